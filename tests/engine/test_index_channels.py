"""Scores for callers that rank many profiles and explain a few in their own way."""

from __future__ import annotations

import numpy as np
import pytest

from sangsaeng.engine.index import Document, ExpertiseIndex, Profile
from tests.engine.test_index import PROFILES


@pytest.fixture
def index(use_embedder) -> ExpertiseIndex:
    built = ExpertiseIndex(use_embedder)
    built.add_profiles(PROFILES)
    return built


def test_channel_scores_agree_with_search_and_its_explanations(index):
    query = "buck converter efficiency for mobile SoCs"
    ids = ["kim-npu", "park-pmic", "lee-rf"]
    channels = index.channel_scores(query, ids)
    assert channels.profile_ids == ids
    by_search = {m.profile_id: m for m in index.search(query, top_k=3, profile_ids=ids)}
    for position, profile_id in enumerate(ids):
        match = by_search[profile_id]
        assert channels.score[position] == pytest.approx(match.score)
        assert channels.sparse[position] == pytest.approx(match.explanation.sparse_score)
        assert channels.dense[position] == pytest.approx(match.explanation.dense_score)
    assert channels.sparse[ids.index("park-pmic")] > 0
    assert channels.sparse[ids.index("lee-rf")] == 0  # no word in common


def test_document_scores_give_each_document_and_the_terms_it_shares(index):
    scored = index.document_scores("HBM3E memory self-test", "choi-dft")
    assert [s.document.id for s in scored] == ["choi-1", "choi-2"]
    mbist = scored[1]
    assert mbist.score > scored[0].score
    assert {"hbm3e", "memori"} <= set(mbist.shared_terms)
    assert all(value > 0 for value in mbist.shared_terms.values())
    # The scan-chain paper shares only "test" (of "self-test"), none of the memory's words.
    assert set(scored[0].shared_terms) <= {"test"} and scored[0].sparse < mbist.sparse
    assert mbist.language == "en"


def test_unknown_profiles_are_an_error(index):
    with pytest.raises(KeyError):
        index.channel_scores("NPU", ["nobody"])
    with pytest.raises(KeyError):
        index.document_scores("NPU", "nobody")


def test_a_prepared_query_is_reused_until_the_index_changes(index):
    index.channel_scores("PMIC efficiency", ["park-pmic"])
    prepared = index._prepared_queries.copy()
    index.document_scores("PMIC efficiency", "park-pmic")
    assert index._prepared_queries == prepared  # the same preparation, not a second one
    before = index.channel_scores("PMIC efficiency", ["park-pmic"]).score[0]
    index.update_profile(
        Profile("park-pmic", (Document("park-1", "PMIC efficiency PMIC efficiency", "PMIC"),))
    )
    after = index.channel_scores("PMIC efficiency", ["park-pmic"]).score[0]
    assert after != before  # the change is seen, not an old preparation
    assert all(key[1] == index._generation for key in index._prepared_queries)


def test_a_profile_without_documents_scores_nothing(index):
    index.add_profile(Profile("blank", ()))
    assert index.document_scores("NPU", "blank") == []
    channels = index.channel_scores("NPU", ["blank"])
    assert channels.sparse[0] == 0 and channels.dense[0] == 0
    assert np.isfinite(channels.score[0])
