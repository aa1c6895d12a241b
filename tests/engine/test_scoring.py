"""Aggregating a profile's document scores, and the scoring configuration."""

from __future__ import annotations

import numpy as np
import pytest

from sangsaeng.engine.embedders import DEFAULT_BATCH_EMBEDDER, EMBEDDER_CHOICES
from sangsaeng.engine.scoring import (
    Aggregation,
    ScoringConfig,
    aggregate_segments,
    candidate_configs,
    tuned_config,
)

# three profiles: [0.9, 0.1, 0.2], [0.5, 0.6], and one with no documents
VALUES = np.array([0.9, 0.5, 0.1, 0.6, 0.2])
SEGMENTS = np.array([0, 1, 0, 1, 0])


def _aggregate(aggregation):
    return aggregate_segments(VALUES, SEGMENTS, 3, aggregation)


def test_max_takes_the_best_document():
    np.testing.assert_allclose(_aggregate(Aggregation("max")), [0.9, 0.6, 0.0])


def test_mean_rewards_breadth():
    np.testing.assert_allclose(_aggregate(Aggregation("mean")), [0.4, 0.55, 0.0])


def test_top_k_mean_averages_the_k_best():
    np.testing.assert_allclose(_aggregate(Aggregation("top_k_mean", k=2)), [0.55, 0.55, 0.0])
    # with k larger than a profile's documents, all its documents count
    np.testing.assert_allclose(_aggregate(Aggregation("top_k_mean", k=5)), [0.4, 0.55, 0.0])


def test_softmax_lies_between_mean_and_max_and_tends_to_max_when_cold():
    warm = _aggregate(Aggregation("softmax", temperature=0.2))
    cold = _aggregate(Aggregation("softmax", temperature=0.001))
    assert 0.4 < warm[0] < 0.9
    np.testing.assert_allclose(cold[:2], [0.9, 0.6], atol=1e-6)


def test_the_aggregations_order_profiles_differently():
    # one brilliant paper against two good ones: max prefers the first, mean the second
    assert _aggregate(Aggregation("max"))[0] > _aggregate(Aggregation("max"))[1]
    assert _aggregate(Aggregation("mean"))[0] < _aggregate(Aggregation("mean"))[1]


def test_unknown_aggregation_and_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="unknown aggregation 'median'"):
        Aggregation("median")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="k >= 1"):
        Aggregation("top_k_mean", k=0)
    with pytest.raises(ValueError, match="sparse_weight"):
        ScoringConfig(sparse_weight=1.5)
    with pytest.raises(ValueError, match="cross_language_sparse_weight"):
        ScoringConfig(cross_language_sparse_weight=-0.1)
    with pytest.raises(ValueError, match="normalisation"):
        ScoringConfig(normalisation="rank")  # type: ignore[arg-type]


def test_each_model_has_a_tuned_configuration():
    for kind in EMBEDDER_CHOICES:
        assert tuned_config(kind).cross_language_sparse_weight == 0.0
    with pytest.raises(ValueError, match="no tuned configuration"):
        tuned_config("bert")


def test_the_batch_default_is_one_of_the_candidates_it_was_chosen_among():
    chosen = (DEFAULT_BATCH_EMBEDDER, tuned_config(DEFAULT_BATCH_EMBEDDER))
    assert chosen in candidate_configs().values()
    assert ("use", tuned_config("use")) in candidate_configs().values()


def test_config_round_trips_through_a_dict():
    config = ScoringConfig(sparse_weight=0.3, dense_aggregation=Aggregation("softmax", 3, 0.1))
    assert ScoringConfig.from_dict(config.to_dict()) == config
