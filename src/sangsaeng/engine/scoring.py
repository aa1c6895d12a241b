"""How document scores become one profile score: aggregation, normalisation and mixing.

A profile (an expert, an organisation) is a set of documents. For one query every document
gets a sparse score (BM25) and a dense score (cosine of embeddings). Each channel is
aggregated over the profile's documents, standardised against the whole population of
profiles for that query, and the two are mixed with a fixed weight:

    score = w * z(aggregate(bm25)) + (1 - w) * z(aggregate(cosine))

Standardising per query (z-scores over all profiles in the index) is what makes the two
channels mixable, and also what makes one profile's scores for different queries
comparable: a long query has larger raw BM25 scores against everyone, not more expertise.
The defaults were chosen on the development split of the reviewer-expertise benchmark;
``bench/engine_quality/run.py`` reproduces the measurements, and docs/engine.md lists them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

from sangsaeng.engine.sparse import BM25Parameters

AggregationMethod = Literal["max", "mean", "top_k_mean", "softmax"]
Normalisation = Literal["query", "population"]
NORMALISATIONS: tuple[Normalisation, ...] = ("query", "population")
AGGREGATION_METHODS: tuple[AggregationMethod, ...] = ("max", "mean", "top_k_mean", "softmax")


@dataclass(frozen=True)
class Aggregation:
    """How a profile's document scores become one score.

    - ``max``: the best document alone;
    - ``mean``: all documents equally (breadth of expertise);
    - ``top_k_mean``: the mean of the ``k`` best documents (a profile needs several
      matching documents, not one lucky one);
    - ``softmax``: documents weighted by exp(score / ``temperature``), between max and mean.
    """

    method: AggregationMethod = "top_k_mean"
    k: int = 3
    temperature: float = 0.05

    def __post_init__(self) -> None:
        if self.method not in AGGREGATION_METHODS:
            choices = ", ".join(AGGREGATION_METHODS)
            raise ValueError(f"unknown aggregation {self.method!r}; choose one of {choices}")
        if self.k < 1:
            raise ValueError(f"top_k_mean needs k >= 1, got {self.k}")
        if self.temperature <= 0:
            raise ValueError(f"softmax needs a positive temperature, got {self.temperature}")


@dataclass(frozen=True)
class ScoringConfig:
    """Everything that decides a score, saved with an index and checked on load."""

    # BM25's share of the score when query and document share a language, and when they do
    # not (then the words rarely match and the embedding carries the meaning).
    sparse_weight: float = 0.9
    cross_language_sparse_weight: float = 0.0
    # "query": BM25 divided by the query's own IDF mass (the score of a document holding
    # every query term many times), so it reads as a share in [0, 1], mixed with the raw
    # cosine; needs no other profiles. "population": z-scores over all profiles per query.
    normalisation: Normalisation = "query"
    sparse_aggregation: Aggregation = field(default_factory=Aggregation)
    dense_aggregation: Aggregation = field(default_factory=lambda: Aggregation("top_k_mean", k=3))
    bm25: BM25Parameters = field(default_factory=lambda: BM25Parameters(k1=1.2, b=0.75))
    # Weight query terms by their count in the query (long queries: whole abstracts).
    use_query_term_counts: bool = True
    # Above this many profiles, the per-query mean and spread come from a fixed sample.
    normalisation_sample: int = 2000

    def __post_init__(self) -> None:
        for name in ("sparse_weight", "cross_language_sparse_weight"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1], got {getattr(self, name)}")
        if self.normalisation not in NORMALISATIONS:
            choices = ", ".join(NORMALISATIONS)
            raise ValueError(f"unknown normalisation {self.normalisation!r}; choose {choices}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        """The choices that the benchmarks vary, in a few words."""
        return f"BM25 weight {self.sparse_weight:g}"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoringConfig:
        return cls(
            sparse_weight=float(data["sparse_weight"]),
            cross_language_sparse_weight=float(data["cross_language_sparse_weight"]),
            normalisation=data["normalisation"],
            sparse_aggregation=Aggregation(**data["sparse_aggregation"]),
            dense_aggregation=Aggregation(**data["dense_aggregation"]),
            bm25=BM25Parameters(**data["bm25"]),
            use_query_term_counts=bool(data["use_query_term_counts"]),
            normalisation_sample=int(data["normalisation_sample"]),
        )


# The same-language BM25 weight of each embedder, chosen by cross-validation over the
# reviewers of the reviewer-expertise dev split (bench/engine_quality/run.py: the weight with
# the lowest loss on the training reviewers of each fold; here, on all 29). The cross-language
# weight (0: the embedding alone) comes from bench/engine_crosslingual.
SPARSE_WEIGHTS = {"use": 0.97, "e5": 0.8, "minilm": 0.7, "minilm-use": 0.7}
# The weights the choice was made among (the same grid for every embedder).
SPARSE_WEIGHT_GRID = (1.0, 0.97, 0.9, 0.8, 0.7, 0.5)


def tuned_config(embedder_kind: str) -> ScoringConfig:
    """The configuration measured best for an embedder (``use``, ``e5``, ``minilm``,
    ``minilm-use``); docs/engine.md has the figures behind each."""
    if embedder_kind not in SPARSE_WEIGHTS:
        raise ValueError(f"no tuned configuration for embedder {embedder_kind!r}")
    return ScoringConfig(
        sparse_weight=SPARSE_WEIGHTS[embedder_kind], cross_language_sparse_weight=0.0
    )


def candidate_configs() -> dict[str, tuple[str, ScoringConfig]]:
    """Every (embedder, configuration) the defaults are chosen among, by name.

    bench/engine_quality/run.py scores each through the batch command and cross-validates
    the choice over reviewers; the defaults are what that choice makes on all of them.
    """
    candidates: dict[str, tuple[str, ScoringConfig]] = {}
    for kind in ("use", "minilm-use"):
        for weight in SPARSE_WEIGHT_GRID:
            config = ScoringConfig(sparse_weight=weight, cross_language_sparse_weight=0.0)
            candidates[f"{kind}, {config.describe()}"] = (kind, config)
    return candidates


def aggregate_segments(
    values: np.ndarray, segment_ids: np.ndarray, segment_count: int, aggregation: Aggregation
) -> np.ndarray:
    """Aggregate ``values`` grouped by ``segment_ids`` (0..segment_count-1); empty -> 0.

    Vectorised over all segments at once, so scoring thousands of profiles is a few
    NumPy calls rather than a Python loop.
    """
    result = np.zeros(segment_count, dtype=np.float64)
    if len(values) == 0:
        return result
    values = values.astype(np.float64)
    counts = np.bincount(segment_ids, minlength=segment_count)
    present = counts > 0
    method = aggregation.method
    if method == "mean":
        sums = np.bincount(segment_ids, weights=values, minlength=segment_count)
        result[present] = sums[present] / counts[present]
        return result
    order = np.lexsort((-values, segment_ids))
    sorted_segments = segment_ids[order]
    sorted_values = values[order]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    if method == "max":
        result[present] = sorted_values[starts[present]]
        return result
    if method == "top_k_mean":
        rank = np.arange(len(sorted_values)) - starts[sorted_segments]
        keep = rank < aggregation.k
        sums = np.bincount(
            sorted_segments[keep], weights=sorted_values[keep], minlength=segment_count
        )
        taken = np.minimum(counts, aggregation.k)
        result[present] = sums[present] / taken[present]
        return result
    # softmax: weights exp((v - max) / T), shifted by each segment's max for stability
    maxima = np.zeros(segment_count)
    maxima[present] = sorted_values[starts[present]]
    weights = np.exp((values - maxima[segment_ids]) / aggregation.temperature)
    weighted = np.bincount(segment_ids, weights=weights * values, minlength=segment_count)
    totals = np.bincount(segment_ids, weights=weights, minlength=segment_count)
    result[present] = weighted[present] / totals[present]
    return result


@dataclass(frozen=True)
class ChannelStatistics:
    """The mean and spread of one channel's profile scores for one query."""

    mean: float
    spread: float

    @classmethod
    def of(cls, population_scores: np.ndarray) -> ChannelStatistics:
        if len(population_scores) == 0:
            return cls(0.0, 1.0)
        spread = float(np.std(population_scores))
        # All profiles equal (an empty query, a one-profile index): nobody stands out.
        return cls(float(np.mean(population_scores)), spread if spread > 1e-12 else 1.0)

    def standardise(self, scores: np.ndarray) -> np.ndarray:
        return (scores - self.mean) / self.spread
