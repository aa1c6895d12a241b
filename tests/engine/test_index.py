"""The expertise index: ranking, cross-lingual retrieval, explanations, updates, persistence."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from sangsaeng.engine.index import (
    Document,
    ExpertiseIndex,
    IndexCompatibilityError,
    Profile,
    Query,
)
from sangsaeng.engine.scoring import Aggregation, ScoringConfig

PROFILES = [
    Profile(
        "kim-npu",
        (
            Document(
                "kim-1",
                "We design a low-power NPU for edge AI inference. The accelerator uses "
                "LPDDR5 memory and is taped out in 3nm FinFET.",
                "An edge NPU with LPDDR5",
            ),
            Document("kim-2", "Quantisation of large language models for on-device NPUs.", "LLM"),
        ),
    ),
    Profile(
        "lee-rf",
        (
            Document(
                "lee-1",
                "저잡음 증폭기와 RF 송수신기 회로를 설계합니다. 밀리미터파 5G 대역을 다룹니다.",
                "RF 송수신기 설계",
            ),
        ),
    ),
    Profile(
        "park-pmic",
        (
            Document(
                "park-1",
                "A power management IC with buck converters and low-dropout regulators for "
                "mobile SoCs. Efficiency reaches 93 percent at light load.",
                "PMIC for mobile SoCs",
            ),
        ),
    ),
    Profile(
        "choi-dft",
        (
            Document(
                "choi-1",
                "Scan chain insertion and ATPG test pattern generation for design for testability.",
                "DFT at scale",
            ),
            Document("choi-2", "Memory built-in self-test for HBM3E stacks.", "MBIST"),
        ),
    ),
]


@pytest.fixture(scope="module")
def index(use_embedder) -> ExpertiseIndex:
    built = ExpertiseIndex(use_embedder)
    built.add_profiles(PROFILES)
    return built


def test_bm25_and_embeddings_rank_the_right_expert_first(index):
    assert index.search("buck converter efficiency", top_k=1)[0].profile_id == "park-pmic"
    assert index.search("ATPG scan test patterns", top_k=1)[0].profile_id == "choi-dft"
    assert index.search("LPDDR5 edge NPU", top_k=1)[0].profile_id == "kim-npu"


def test_search_returns_top_k_best_first_with_filter(index):
    matches = index.search("NPU accelerator", top_k=3)
    assert len(matches) == 3
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    only = index.search("NPU accelerator", top_k=5, profile_ids=["lee-rf", "park-pmic"])
    assert {m.profile_id for m in only} == {"lee-rf", "park-pmic"}
    with pytest.raises(KeyError, match="nobody"):
        index.search("NPU", profile_ids=["nobody"])


def test_a_korean_need_finds_an_english_profile_and_the_reverse(use_embedder):
    # dense only: no shared words, so only the multilingual embedding can connect them
    dense_only = ExpertiseIndex(use_embedder, ScoringConfig(sparse_weight=0.0))
    dense_only.add_profiles(PROFILES)
    korean_need = "스마트폰용 전력 관리 반도체와 벅 컨버터 효율 개선"
    assert dense_only.search(korean_need, top_k=1)[0].profile_id == "park-pmic"
    english_need = "low noise amplifier and radio transceiver circuits"
    assert dense_only.search(english_need, top_k=1)[0].profile_id == "lee-rf"


def test_the_explanation_names_shared_terms_best_document_and_sentence(index):
    explanation = index.explain("Which NPU team has LPDDR5 memory experience?", "kim-npu")
    assert {"lpddr5", "npu"} <= set(explanation.shared_terms)
    assert explanation.best_document_id == "kim-1"
    assert explanation.best_document_title == "An edge NPU with LPDDR5"
    assert explanation.best_sentence == (
        "The accelerator uses LPDDR5 memory and is taped out in 3nm FinFET."
    )
    as_dict = explanation.to_dict()
    assert as_dict["best_document"] == {"id": "kim-1", "title": "An edge NPU with LPDDR5"}


def test_a_cross_lingual_explanation_picks_the_sentence_by_meaning(index):
    explanation = index.explain("low noise amplifiers for radio receivers", "lee-rf")
    assert explanation.shared_terms == []
    assert explanation.best_sentence == "저잡음 증폭기와 RF 송수신기 회로를 설계합니다."


def test_score_pairs_keeps_order_and_agrees_with_search(index):
    query = Query("q1", "buck converter for mobile SoCs")
    pairs = index.score_pairs(query, ["lee-rf", "park-pmic"])
    assert [m.profile_id for m in pairs] == ["lee-rf", "park-pmic"]
    searched = {m.profile_id: m.score for m in index.search(query, top_k=4)}
    for match in pairs:
        assert match.score == pytest.approx(searched[match.profile_id])


@pytest.mark.parametrize(
    "aggregation",
    [Aggregation("max"), Aggregation("mean"), Aggregation("softmax", temperature=0.1)],
)
def test_every_aggregation_can_be_configured(use_embedder, aggregation):
    config = ScoringConfig(sparse_aggregation=aggregation, dense_aggregation=aggregation)
    configured = ExpertiseIndex(use_embedder, config)
    configured.add_profiles(PROFILES)
    assert configured.search("HBM3E memory self-test", top_k=1)[0].profile_id == "choi-dft"


def test_empty_texts_are_scored_not_crashed_on(use_embedder):
    index = ExpertiseIndex(use_embedder)
    index.add_profiles([*PROFILES, Profile("blank", (Document("b-1", ""),)), Profile("none")])
    matches = index.search("", top_k=10)
    assert len(matches) == 6
    assert all(np.isfinite(m.score) for m in matches)
    blank = index.score_pairs("NPU", ["blank", "none"])
    assert all(np.isfinite(m.score) for m in blank)
    assert blank[1].explanation is not None and blank[1].explanation.best_document_id is None


def _scores(index: ExpertiseIndex, queries: list[str]) -> dict[tuple[str, str], float]:
    return {
        (q, m.profile_id): m.score
        for q in queries
        for m in index.search(q, top_k=len(index), explain=False)
    }


def test_add_update_remove_equal_a_full_rebuild(use_embedder):
    changed_kim = Profile(
        "kim-npu",
        (PROFILES[0].documents[0], Document("kim-3", "A RISC-V vector unit for LLM inference.")),
    )
    newcomer = Profile("jung-eda", (Document("jung-1", "Placement and routing with EDA tools."),))
    incremental = ExpertiseIndex(use_embedder)
    incremental.add_profiles(PROFILES)
    incremental.update_profile(changed_kim)
    incremental.remove_profile("lee-rf")
    incremental.add_profile(newcomer)

    rebuilt = ExpertiseIndex(use_embedder)
    rebuilt.add_profiles([changed_kim, PROFILES[2], PROFILES[3], newcomer])

    queries = ["RISC-V LLM inference", "EDA placement", "buck converter", "RF 송수신기"]
    assert sorted(incremental.profile_ids) == sorted(rebuilt.profile_ids)
    expected = _scores(rebuilt, queries)
    for key, score in _scores(incremental, queries).items():
        assert score == pytest.approx(expected[key], abs=1e-6)
    assert incremental.profile("kim-npu") == changed_kim


def test_update_reuses_embeddings_of_unchanged_documents(use_embedder):
    class CountingEmbedder:
        def __init__(self, inner):
            self.inner, self.embedded = inner, []
            self.name, self.dimension = inner.name, inner.dimension

        def embed_documents(self, texts):
            self.embedded.extend(texts)
            return self.inner.embed_documents(texts)

        def embed_queries(self, texts):
            return self.inner.embed_queries(texts)

    counting = CountingEmbedder(use_embedder)
    index = ExpertiseIndex(counting)
    index.add_profiles(PROFILES[:1])
    counting.embedded.clear()
    index.update_profile(
        Profile("kim-npu", (*PROFILES[0].documents, Document("kim-9", "A new NPU compiler.")))
    )
    assert counting.embedded == ["A new NPU compiler."]


def test_adding_an_existing_profile_or_removing_a_missing_one_is_an_error(index):
    with pytest.raises(KeyError, match="already in the index"):
        index.add_profile(PROFILES[0])
    with pytest.raises(KeyError, match="not in the index"):
        index.remove_profile("nobody")


def test_save_and_load_round_trip(index, use_embedder, tmp_path):
    index.save(tmp_path / "idx")
    loaded = ExpertiseIndex.load(tmp_path / "idx", use_embedder)
    queries = ["LPDDR5 NPU", "저잡음 증폭기", ""]
    assert _scores(loaded, queries) == pytest.approx(_scores(index, queries))
    assert loaded.profile("lee-rf") == index.profile("lee-rf")
    assert loaded.config == index.config


def test_save_after_removal_compacts_and_still_matches(use_embedder, tmp_path):
    index = ExpertiseIndex(use_embedder)
    index.add_profiles(PROFILES)
    index.remove_profile("kim-npu")
    before = _scores(index, ["HBM3E", "buck"])
    index.save(tmp_path / "idx")
    assert _scores(ExpertiseIndex.load(tmp_path / "idx", use_embedder), ["HBM3E", "buck"]) == (
        pytest.approx(before)
    )


def test_loading_with_another_model_or_format_version_is_refused(
    index, use_embedder, e5_embedder, tmp_path
):
    folder = tmp_path / "idx"
    index.save(folder)
    with pytest.raises(IndexCompatibilityError, match="multilingual-e5-small"):
        ExpertiseIndex.load(folder, e5_embedder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["format_version"] = 999
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexCompatibilityError, match="format version 999"):
        ExpertiseIndex.load(folder, use_embedder)
    with pytest.raises(IndexCompatibilityError, match="holds no saved expertise index"):
        ExpertiseIndex.load(tmp_path / "empty", use_embedder)


def test_e5_embedder_also_connects_korean_and_english(e5_embedder):
    vectors = e5_embedder.embed_documents(
        ["power management IC with buck converters", "a recipe for kimchi stew"]
    )
    query = e5_embedder.embed_queries(["전력 관리 반도체"])[0]
    assert vectors[0] @ query > vectors[1] @ query
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0], abs=1e-4)


def test_approximate_vector_search_finds_what_exact_search_finds(use_embedder, monkeypatch):
    import sangsaeng.engine.index as index_module

    many = [
        Profile(f"filler-{i}", (Document(f"f-{i}", f"unrelated topic number {i} about cooking"),))
        for i in range(120)
    ]
    exact = ExpertiseIndex(use_embedder)
    exact.add_profiles([*PROFILES, *many])
    exact.remove_profile("choi-dft")
    monkeypatch.setattr(index_module, "APPROXIMATE_SEARCH_FROM", 1)
    monkeypatch.setattr(index_module, "_CANDIDATE_DOCUMENTS_PER_CHANNEL", 20)
    approximate = ExpertiseIndex(use_embedder, replace(exact.config, normalisation_sample=10))
    approximate.add_profiles([*PROFILES, *many])
    approximate.optimise()
    approximate.remove_profile("choi-dft")  # removed rows stay in the IVF index, unseen
    for need in ("전력 관리 반도체", "low noise amplifier", "HBM3E memory test"):
        top = approximate.search(need, top_k=3, explain=False)
        assert "choi-dft" not in [m.profile_id for m in top]
        expected = exact.search(need, top_k=3, explain=False)
        assert top[0].profile_id == expected[0].profile_id
        assert top[0].score == pytest.approx(expected[0].score)
