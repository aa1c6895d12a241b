"""A review's overall score from its criteria: the rubric's weighted mean, on 0–100."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sangsaeng.programs.models import Criterion


def weighted_total(
    criteria: Sequence[Criterion], scores: Mapping[str, int], low: int, high: int
) -> float | None:
    """100 × Σ weight × (score − low) / (high − low) / Σ weight, or None until every
    criterion is scored. A review scoring the top of the scale everywhere gets 100."""
    if not criteria or any(str(criterion.pk) not in scores for criterion in criteria):
        return None
    weights = sum(criterion.weight for criterion in criteria)
    points = sum(
        criterion.weight * (scores[str(criterion.pk)] - low) / (high - low)
        for criterion in criteria
    )
    return round(100 * points / weights, 2)
