"""Many queries against many profiles at once (the reviewer assignment's affinities)."""

from __future__ import annotations

import numpy as np
import pytest

from sangsaeng.engine.index import ExpertiseIndex, Query
from sangsaeng.engine.scoring import ScoringConfig
from tests.engine.test_index import PROFILES

QUERIES = [
    Query("app-1", "엣지 AI 추론을 위한 저전력 NPU 가속기와 LPDDR5 메모리", "NPU 공동연구"),
    Query("app-2", "Scan insertion and ATPG for a design-for-testability flow.", "DFT"),
    Query("app-3", "A buck converter PMIC for wearable SoCs."),
]
PROFILE_IDS = ["kim-npu", "lee-rf", "park-pmic", "choi-dft"]


@pytest.fixture(scope="module")
def index(use_embedder) -> ExpertiseIndex:
    built = ExpertiseIndex(use_embedder)
    built.add_profiles(PROFILES)
    return built


def test_the_matrix_equals_scoring_each_query_on_its_own(index):
    matrix = index.score_matrix(QUERIES, PROFILE_IDS)
    assert matrix.scores.shape == (3, 4)
    for position, query in enumerate(QUERIES):
        one_by_one = [m.score for m in index.score_pairs(query, PROFILE_IDS, explain=False)]
        np.testing.assert_allclose(matrix.scores[position], one_by_one, rtol=1e-5, atol=1e-6)
    # Among the profiles written in the query's language, the right expert comes first.
    english = [0, 2, 3]
    assert PROFILE_IDS[english[int(matrix.scores[1, english].argmax())]] == "choi-dft"
    assert PROFILE_IDS[english[int(matrix.scores[2, english].argmax())]] == "park-pmic"


def test_given_query_vectors_are_used_instead_of_embedding_again(index, use_embedder):
    vectors = use_embedder.embed_queries([query.full_text for query in QUERIES])
    given = index.score_matrix(QUERIES, PROFILE_IDS, query_vectors=vectors)
    computed = index.score_matrix(QUERIES, PROFILE_IDS)
    np.testing.assert_allclose(given.scores, computed.scores, rtol=1e-5)
    # A vector that says something else changes the cosine channel's part of the score.
    swapped = index.score_matrix(QUERIES, PROFILE_IDS, query_vectors=vectors[[2, 0, 1]])
    assert not np.allclose(swapped.scores, computed.scores)
    with pytest.raises(ValueError, match="shape"):
        index.score_matrix(QUERIES, PROFILE_IDS, query_vectors=vectors[:2])


def test_documents_narrow_a_profile_to_its_chosen_evidence(index):
    full = index.score_matrix(QUERIES, PROFILE_IDS)
    # Kim keeps only the LLM paper: the NPU application fits Kim less than before.
    narrowed = index.score_matrix(QUERIES, PROFILE_IDS, documents={"kim-npu": ["kim-2"]})
    assert narrowed.scores[0, 0] < full.scores[0, 0]
    np.testing.assert_allclose(narrowed.scores[:, 1:], full.scores[:, 1:])
    assert narrowed.explain(0, 0).best_document_id == "kim-2"
    nothing = index.score_matrix(QUERIES, PROFILE_IDS, documents={"kim-npu": []})
    assert nothing.explain(0, 0).best_document_id is None


def test_explain_names_the_best_document_and_shared_words(index):
    matrix = index.score_matrix(QUERIES, PROFILE_IDS)
    explanation = matrix.explain(1, 3)
    assert explanation.best_document_id == "choi-1"
    assert "atpg" in explanation.shared_terms
    assert explanation.best_sentence is None


def test_unknown_profiles_are_refused(index):
    with pytest.raises(KeyError, match="nobody"):
        index.score_matrix(QUERIES, ["nobody"])


def test_population_normalisation_agrees_too(use_embedder):
    built = ExpertiseIndex(use_embedder, ScoringConfig(normalisation="population"))
    built.add_profiles(PROFILES)
    matrix = built.score_matrix(QUERIES, PROFILE_IDS)
    for position, query in enumerate(QUERIES):
        one_by_one = [m.score for m in built.score_pairs(query, PROFILE_IDS, explain=False)]
        np.testing.assert_allclose(matrix.scores[position], one_by_one, rtol=1e-5, atol=1e-6)


def test_given_query_terms_are_used_instead_of_analysing_again(index):
    read = index.analyzer.terms_with_words_many([query.full_text for query in QUERIES])
    given = index.score_matrix(QUERIES, PROFILE_IDS, query_terms=read)
    computed = index.score_matrix(QUERIES, PROFILE_IDS)
    np.testing.assert_allclose(given.scores, computed.scores)
    assert given.explain(1, 3).shared_terms == computed.explain(1, 3).shared_terms
    with pytest.raises(ValueError, match="one entry per query"):
        index.score_matrix(QUERIES, PROFILE_IDS, query_terms=read[:1])


@pytest.mark.parametrize("method", ["max", "mean", "top_k_mean", "softmax"])
def test_one_profiles_aggregate_equals_the_segments_aggregate(method):
    from sangsaeng.engine.index import _aggregate_one
    from sangsaeng.engine.scoring import Aggregation, aggregate_segments

    values = np.array([0.2, 0.9, 0.4, 0.7])
    aggregation = Aggregation(method, k=3)
    expected = aggregate_segments(values, np.zeros(4, dtype=np.int64), 1, aggregation)[0]
    assert _aggregate_one(values, aggregation) == pytest.approx(expected)


def test_a_two_part_embedder_is_compared_by_language_as_one_query_at_a_time(
    minilm_use_embedder,
):
    built = ExpertiseIndex(minilm_use_embedder)
    built.add_profiles(PROFILES)
    matrix = built.score_matrix(QUERIES, PROFILE_IDS)
    for position, query in enumerate(QUERIES):
        one_by_one = [m.score for m in built.score_pairs(query, PROFILE_IDS, explain=False)]
        np.testing.assert_allclose(matrix.scores[position], one_by_one, rtol=1e-5, atol=1e-6)
