"""A call's ranking and selection proposals, from the engine (``engine/selection.py``).

The ranking reads each submitted review's overall score (the rubric's weighted total, 0–100):
the mean per application, and the reviewer-normalised score (each reviewer's scores
standardised, so a lenient or a severe reviewer weighs like any other), with ties shown.
Proposals fund down the ranking (``greedy``: in rank order) or choose the set with the
highest total normalised score within the budget (``optimised``), each line with its reason
in the reader's language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sangsaeng.engine.selection import (
    FundingApplication,
    Ranking,
    ReviewScore,
    SelectionInfeasible,
    rank_applications,
    select_within_budget,
)
from sangsaeng.programs.models import Application, Call, Review

RANKED_STATUSES = (
    Application.Status.ELIGIBLE,
    Application.Status.SELECTED,
    Application.Status.NOT_SELECTED,
)


@dataclass
class CallRanking:
    applications: list[Application]
    ranking: Ranking
    totals: dict[int, list[float]] = field(default_factory=dict)

    def entry(self, application: Application):  # type: ignore[no-untyped-def]
        return self.ranking.entry(str(application.pk))


def call_ranking(call: Call) -> CallRanking:
    applications = list(
        Application.objects.filter(call=call, status__in=RANKED_STATUSES)
        .select_related("organisation", "area")
        .order_by("receipt_number")
    )
    reviews: list[tuple[int, int, float]] = [
        (application_id, reviewer_id, total)
        for application_id, reviewer_id, total in Review.objects.filter(
            assignment__application__call=call, status=Review.Status.SUBMITTED
        ).values_list("assignment__application_id", "assignment__reviewer_id", "total")
        if total is not None
    ]
    totals: dict[int, list[float]] = defaultdict(list)
    for application_id, _reviewer, total in reviews:
        totals[application_id].append(total)
    known = {a.pk for a in applications}
    ranking = rank_applications(
        [str(a.pk) for a in applications],
        [
            ReviewScore(str(application_id), str(reviewer_id), float(total))
            for application_id, reviewer_id, total in reviews
            if application_id in known
        ],
    )
    return CallRanking(applications, ranking, dict(totals))


@dataclass(frozen=True)
class ProposalLine:
    application_id: int
    funded: bool
    amount: float
    requested: float
    score: float | None
    rank: int | None
    reason: str
    explanation: str


@dataclass
class Proposal:
    method: str
    rank_by: str
    budget: int
    lines: dict[int, ProposalLine]
    order: list[int]
    spent: int
    baseline: float

    @property
    def left(self) -> int:
        return self.budget - self.spent

    @property
    def funded_count(self) -> int:
        return sum(1 for line in self.lines.values() if line.funded)


def _explain(
    reason: str,
    amount: float,
    requested: float,
    score: float | None,
    call: Call,
    minimum_score: float | None,
    baseline: float,
) -> str:
    values = {
        "amount": f"{int(amount):,}",
        "requested": f"{int(requested):,}",
        "maximum": f"{call.max_award:,}",
        "score": f"{score:.1f}" if score is not None else "—",
        "minimum": f"{minimum_score:g}" if minimum_score is not None else "—",
        "baseline": f"{baseline:.1f}",
    }
    if reason == "funded":
        return _("Funded as requested: %(amount)s won.") % values
    if reason == "funded_capped":
        return (
            _("Funded at the per-award maximum of %(maximum)s won (requested %(requested)s).")
            % values
        )
    if reason == "no_reviews":
        return _("Not funded: no submitted review yet.")
    if reason == "below_minimum_score":
        return _("Not funded: its score %(score)s is below the minimum of %(minimum)s.") % values
    if reason == "does_not_fit":
        return (
            _("Not funded: its %(requested)s won did not fit in what was left when its turn came.")
            % values
        )
    if reason == "over_maximum":
        return (
            _("Not funded: it requests more than the per-award maximum of %(maximum)s won.")
            % values
        )
    if score is not None and score <= baseline:
        return (
            _("Not funded: its score %(score)s is not above the panel's mean of %(baseline)s.")
            % values
        )
    return _(
        "Not funded: the applications funded instead add up to a higher total score within the "
        "budget."
    )


def selection_proposal(
    call: Call,
    *,
    method: str,
    rank_by: str,
    minimum_score: float | None = None,
    area_minimums: Mapping[str, float] | None = None,
) -> Proposal:
    """A proposal of which eligible applications to fund within the call's budget.

    Raises ``ValidationError`` (translated, in words) for a choice that cannot work: an
    unknown method, minimum shares that cannot be met.
    """
    if method not in ("greedy", "optimised"):
        raise ValidationError({"method": _("Choose rank order or optimised.")})
    if rank_by not in ("normalised", "mean"):
        raise ValidationError({"rank_by": _("Rank by the normalised or the mean score.")})
    area_minimums = {area: share for area, share in (area_minimums or {}).items() if share}
    if method == "greedy" and area_minimums:
        raise ValidationError(
            {"area_minimums": _("Minimum shares per area need the optimised proposal.")}
        )
    ranked = call_ranking(call)
    applications = [
        FundingApplication(
            str(a.pk), float(a.requested_amount or 1), a.area.code if a.area else None
        )
        for a in ranked.applications
    ]
    budget = call.total_budget
    problems = []
    for area, share in sorted(area_minimums.items()):
        if not 0 < share <= 1:
            problems.append(_("A minimum share is a percentage from 1 to 100."))
            continue
        asked = 0.0
        for candidate in applications:
            entry = ranked.ranking.entry(candidate.id)
            score = entry.score("mean" if rank_by == "mean" else "normalised")
            if (
                candidate.area == area
                and entry.reviews
                and (minimum_score is None or (score or 0) >= minimum_score)
            ):
                asked += min(candidate.amount, call.max_award)
        if asked < share * budget:
            problems.append(
                _(
                    "Area %(area)s must get at least %(share)s%% of the budget (%(needed)s won), "
                    "but its fundable applications ask for %(asked)s won in all."
                )
                % {
                    "area": area,
                    "share": f"{share * 100:g}",
                    "needed": f"{int(share * budget):,}",
                    "asked": f"{int(asked):,}",
                }
            )
    if sum(area_minimums.values()) > 1:
        problems.append(_("The minimum shares add up to more than the whole budget."))
    if problems:
        raise ValidationError({"area_minimums": problems})
    try:
        selection = select_within_budget(
            applications,
            ranked.ranking,
            budget=float(budget),
            max_award=float(call.max_award),
            method=method,  # type: ignore[arg-type]
            rank_by=rank_by,  # type: ignore[arg-type]
            area_minimums=area_minimums or None,
            minimum_score=minimum_score,
        )
    except SelectionInfeasible:
        raise ValidationError(
            {
                "area_minimums": _(
                    "The minimum shares per area cannot all be met within the budget with these "
                    "applications."
                )
            }
        ) from None
    lines = {}
    for decision in selection.decisions:
        lines[int(decision.application)] = ProposalLine(
            application_id=int(decision.application),
            funded=decision.funded,
            amount=decision.amount,
            requested=decision.requested,
            score=decision.score,
            rank=decision.rank,
            reason=decision.reason,
            explanation=_explain(
                decision.reason,
                decision.amount,
                decision.requested,
                decision.score,
                call,
                minimum_score,
                selection.baseline,
            ),
        )
    return Proposal(
        method=method,
        rank_by=rank_by,
        budget=budget,
        lines=lines,
        order=[int(d.application) for d in selection.decisions],
        spent=int(selection.spent),
        baseline=selection.baseline,
    )
