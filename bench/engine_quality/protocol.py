"""The reviewer-expertise data, its loss, and the cross-validation protocol over reviewers.

The loss of the data set (README of the data): for every reviewer and every pair of papers
the reviewer rated differently, weight w = |e1 - e2|; the numerator adds w for a pair
predicted in the opposite order and w/2 for a tie; loss = numerator / denominator, summed
over reviewers, averaged over the ten ``d_20_x`` versions. A reviewer's denominator depends
only on the ratings, so the mean over versions equals (sum over reviewers of the mean
numerator) / (sum of the denominators): everything below works on per-reviewer numerators.

Protocol (what every figure chosen here goes through):

- **Folds over reviewers.** The 29 reviewers are split into ``FOLDS`` folds, repeated with
  ``SEEDS`` seeds. For each split, a *selection procedure* (for example: "the candidate
  configuration with the lowest loss on the training reviewers") sees only the training
  reviewers; the held-out reviewers are scored with what it chose. Every reviewer is held
  out once per seed, and the cross-validated loss pools their held-out numerators.
- **Interval.** A bootstrap over reviewers (resampled with replacement, ``BOOTSTRAP``
  draws) of the pooled ratio gives a 95% percentile interval; a paired bootstrap of the
  difference between two procedures says whether one is better beyond the noise.
- A fixed system (nothing chosen) is its own procedure: its held-out loss is its loss.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np


def default_data(repo: Path) -> Path:
    """The data folder beside the repository (``shared/``), or beside a worktree's parent."""
    for root in (repo.parent, repo.parent.parent):
        candidate = root / "shared/data/reviewer-expertise"
        if candidate.exists():
            return candidate
    return repo.parent / "shared/data/reviewer-expertise"


VERSIONS = tuple(f"d_20_{i}" for i in range(1, 11))
FOLDS = 5
SEEDS = 10
BOOTSTRAP = 10_000


def read_ratings(data: Path) -> dict[str, dict[str, float]]:
    """Reviewer id -> {paper id: expertise rating}, in file order."""
    ratings: dict[str, dict[str, float]] = {}
    with open(data / "evaluations-dev.tsv", encoding="utf-8") as source:
        for row in csv.DictReader(source, delimiter="\t"):
            rated = {}
            for i in range(1, 11):
                paper, rating = row.get(f"Paper{i}"), row.get(f"Expertise{i}")
                if paper and rating:
                    rated[paper] = float(rating)
            ratings[row["ParticipantID"]] = rated
    return ratings


def read_archive(data: Path, version: str, reviewer: str) -> list[dict]:
    """A reviewer's profile papers in one version: ``{"id", "content": {...}}`` each."""
    with open(data / version / "archives" / f"~{reviewer}.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def read_submissions(data: Path, version: str) -> dict[str, dict]:
    with open(data / version / "submissions.json", encoding="utf-8") as source:
        return json.load(source)


def reviewer_loss_parts(
    rated: Mapping[str, float], score: Callable[[str], float]
) -> tuple[float, float]:
    """(numerator, denominator) of one reviewer's loss for the scores ``score(paper)``."""
    numerator = denominator = 0.0
    for (paper_a, rating_a), (paper_b, rating_b) in itertools.combinations(rated.items(), 2):
        if rating_a == rating_b:
            continue
        weight = abs(rating_a - rating_b)
        denominator += weight
        score_a, score_b = score(paper_a), score(paper_b)
        if score_a == score_b:
            numerator += weight / 2
        elif (score_a - score_b) * (rating_a - rating_b) < 0:
            numerator += weight
    return numerator, denominator


def denominators(ratings: Mapping[str, Mapping[str, float]]) -> np.ndarray:
    return np.array([reviewer_loss_parts(rated, lambda _: 0.0)[1] for rated in ratings.values()])


@dataclass(frozen=True)
class Result:
    """A procedure's cross-validated per-reviewer numerators and what it chose."""

    numerators: np.ndarray  # per reviewer: held-out numerator, mean over versions and seeds
    chosen: dict[str, int]  # candidate name -> how many splits chose it

    def loss(self, denominators: np.ndarray) -> float:
        return float(self.numerators.sum() / denominators.sum())


def splits(count: int, folds: int = FOLDS, seeds: int = SEEDS):
    """(seed, training indices, held-out indices) for every fold of every seed."""
    for seed in range(seeds):
        order = np.random.default_rng(seed).permutation(count)
        for fold in range(folds):
            held_out = np.sort(order[fold::folds])
            training = np.setdiff1d(np.arange(count), held_out)
            yield seed, training, held_out


def cross_validate(
    candidates: Mapping[str, np.ndarray],
    denominators: np.ndarray,
    folds: int = FOLDS,
    seeds: int = SEEDS,
) -> Result:
    """Choose the candidate with the lowest training loss in each split; pool the held-out.

    ``candidates`` maps a name to its per-reviewer numerators (mean over versions).
    """
    names = list(candidates)
    table = np.stack([candidates[name] for name in names])  # candidates x reviewers
    held_out_sum = np.zeros(len(denominators))
    chosen: dict[str, int] = {}
    for _, training, held_out in splits(len(denominators), folds, seeds):
        training_loss = table[:, training].sum(axis=1) / denominators[training].sum()
        best = int(np.argmin(training_loss))  # ties: the first listed (the simpler one)
        chosen[names[best]] = chosen.get(names[best], 0) + 1
        held_out_sum[held_out] += table[best, held_out]
    return Result(held_out_sum / seeds, chosen)


def bootstrap_interval(
    numerators: np.ndarray, denominators: np.ndarray, draws: int = BOOTSTRAP, seed: int = 0
) -> tuple[float, float]:
    """95% percentile interval of the pooled loss, reviewers resampled with replacement."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(denominators), size=(draws, len(denominators)))
    losses = numerators[picks].sum(axis=1) / denominators[picks].sum(axis=1)
    low, high = np.percentile(losses, [2.5, 97.5])
    return float(low), float(high)


def paired_difference(
    first: np.ndarray,
    second: np.ndarray,
    denominators: np.ndarray,
    draws: int = BOOTSTRAP,
    seed: int = 0,
) -> tuple[float, float, float]:
    """Loss(first) - loss(second) with its 95% interval over resampled reviewers."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(denominators), size=(draws, len(denominators)))
    totals = denominators[picks].sum(axis=1)
    differences = (first[picks].sum(axis=1) - second[picks].sum(axis=1)) / totals
    low, high = np.percentile(differences, [2.5, 97.5])
    return float((first.sum() - second.sum()) / denominators.sum()), float(low), float(high)
