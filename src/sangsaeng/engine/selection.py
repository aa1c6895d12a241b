"""Ranking reviewed applications and proposing which to fund within a support program's budget.

Ranking (:func:`rank_applications`)
    Two scores per application: the **mean** of its reviews, and the **normalised** score,
    which removes each reviewer's leniency or severity. Each reviewer's scores are standardised
    (z = (score − the reviewer's mean) / the reviewer's standard deviation); an application's
    z is the mean of its reviews' z, and its normalised score is that z put back on the
    panel's scale (panel mean + panel standard deviation × z), so that it reads like a score.
    A reviewer whose spread cannot be measured — one review, or the same score everywhere — is
    standardised against the whole panel instead (their scores are compared with everyone's),
    and says so (``basis="panel"``). Equal scores share a rank (1, 2, 2, 4) and each entry
    lists the applications it is tied with.

Selection (:func:`select_within_budget`)
    ``greedy``: down the ranking, fund each application that still fits in the budget, skip
    those that no longer do (ties in a seeded lottery order). ``optimised``: the set of
    applications whose amounts fit in the budget (with optional minimum shares of the budget
    per area) and whose scores (normalised by default) rise furthest above a **baseline** in
    sum: a 0-1 integer program solved by HiGHS (``scipy.optimize.milp``). The baseline is the
    panel's mean score, or ``minimum_score`` when a cut-off is given. Why a baseline: scores
    sit far from zero (70 of 100), so a plain sum of scores grows with the number funded and
    the program would fund the cheapest applications whatever their quality; above the
    baseline, an application adds what it is better than an ordinary one. So the optimised
    proposal never funds an application at or below the baseline unless an area's minimum
    share needs it, and may leave money unspent (the greedy proposal spends down the ranking).

A request above the per-award maximum is either capped at it or refused (``over_maximum``);
every decision says which and why. Minimum shares that cannot be met raise
:class:`SelectionInfeasible` with the reasons in words. ``minimum_score`` (for example 70 of
100) excludes the applications below it from both proposals.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

RankBy = Literal["normalised", "mean"]
RANK_BY: tuple[RankBy, ...] = ("normalised", "mean")
Method = Literal["greedy", "optimised"]
METHODS: tuple[Method, ...] = ("greedy", "optimised")
OverMaximum = Literal["cap", "refuse"]
OVER_MAXIMUM: tuple[OverMaximum, ...] = ("cap", "refuse")
Basis = Literal["own", "panel", "none"]
_TIE = 1e-9


@dataclass(frozen=True)
class FundingApplication:
    """An application to a support program: the amount it asks for and its area (optional)."""

    id: str
    amount: float
    area: str | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.amount) and self.amount > 0):
            raise ValueError(f"application {self.id!r}: amount must be positive, got {self.amount}")


@dataclass(frozen=True)
class ReviewScore:
    """One reviewer's overall score of one application (the rubric's weighted total)."""

    application: str
    reviewer: str
    score: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.score):
            raise ValueError(
                f"review of {self.application!r} by {self.reviewer!r}: score must be a finite "
                f"number, got {self.score}"
            )


@dataclass(frozen=True)
class ReviewerStandard:
    """How one reviewer's scores were standardised."""

    reviewer: str
    reviews: int
    mean: float
    standard_deviation: float
    basis: Basis  # own: by their own mean and spread; panel: by the whole panel's


@dataclass(frozen=True)
class RankedApplication:
    application: str
    reviews: int
    mean_score: float | None
    normalised_score: float | None
    z_score: float | None
    rank_mean: int | None
    rank_normalised: int | None
    tied_mean: tuple[str, ...]
    tied_normalised: tuple[str, ...]

    def score(self, by: RankBy) -> float | None:
        return self.normalised_score if by == "normalised" else self.mean_score

    def rank(self, by: RankBy) -> int | None:
        return self.rank_normalised if by == "normalised" else self.rank_mean

    def tied(self, by: RankBy) -> tuple[str, ...]:
        return self.tied_normalised if by == "normalised" else self.tied_mean


@dataclass(frozen=True)
class Ranking:
    entries: tuple[RankedApplication, ...]  # in the order the applications were given
    reviewers: tuple[ReviewerStandard, ...]
    panel_mean: float
    panel_standard_deviation: float

    def entry(self, application: str) -> RankedApplication:
        for entry in self.entries:
            if entry.application == application:
                return entry
        raise KeyError(application)

    def ordered(self, by: RankBy = "normalised") -> list[RankedApplication]:
        """Reviewed applications best first (ties in the order given), then unreviewed ones."""
        position = {entry.application: k for k, entry in enumerate(self.entries)}
        return sorted(
            self.entries,
            key=lambda e: (e.rank(by) is None, e.rank(by) or 0, position[e.application]),
        )

    def ties(self, by: RankBy = "normalised") -> list[tuple[str, ...]]:
        """Groups of two or more applications sharing a rank, best first."""
        groups = []
        seen: set[str] = set()
        for entry in self.ordered(by):
            if entry.tied(by) and entry.application not in seen:
                group = (entry.application, *entry.tied(by))
                seen.update(group)
                groups.append(group)
        return groups

    def summary(self) -> dict[str, object]:
        return {
            "applications": len(self.entries),
            "reviewed": sum(1 for e in self.entries if e.reviews),
            "reviews": sum(e.reviews for e in self.entries),
            "reviewers": len(self.reviewers),
            "reviewers_standardised_by_panel": sum(r.basis == "panel" for r in self.reviewers),
            "panel_mean": round(self.panel_mean, 6),
            "panel_standard_deviation": round(self.panel_standard_deviation, 6),
            "ties_mean": [list(group) for group in self.ties("mean")],
            "ties_normalised": [list(group) for group in self.ties("normalised")],
        }


def rank_applications(
    applications: Sequence[FundingApplication] | Sequence[str],
    reviews: Iterable[ReviewScore],
) -> Ranking:
    """Rank applications by mean and by reviewer-normalised score (see the module docstring).

    ``applications`` are :class:`FundingApplication` records or plain ids. Raises
    ``ValueError`` for duplicate application ids, a review of an unknown application, or a
    reviewer who reviewed the same application twice.
    """
    ids = [a if isinstance(a, str) else a.id for a in applications]
    _require_unique("application", ids)
    known = set(ids)
    reviews = list(reviews)
    seen: set[tuple[str, str]] = set()
    for review in reviews:
        if review.application not in known:
            raise ValueError(f"review names unknown application {review.application!r}")
        key = (review.application, review.reviewer)
        if key in seen:
            raise ValueError(
                f"reviewer {review.reviewer!r} scored application {review.application!r} twice"
            )
        seen.add(key)

    scores = np.array([r.score for r in reviews], dtype=np.float64)
    panel_mean = float(scores.mean()) if len(scores) else 0.0
    panel_sd = float(scores.std()) if len(scores) else 0.0
    by_reviewer: dict[str, list[float]] = defaultdict(list)
    for review in reviews:
        by_reviewer[review.reviewer].append(review.score)
    standards: dict[str, ReviewerStandard] = {}
    for reviewer, given in sorted(by_reviewer.items()):
        mean, sd = float(np.mean(given)), float(np.std(given))
        own = len(given) >= 2 and sd > _TIE * max(1.0, abs(mean))
        if own:
            standards[reviewer] = ReviewerStandard(reviewer, len(given), mean, sd, "own")
        elif panel_sd > _TIE * max(1.0, abs(panel_mean)):
            standards[reviewer] = ReviewerStandard(reviewer, len(given), mean, sd, "panel")
        else:
            standards[reviewer] = ReviewerStandard(reviewer, len(given), mean, sd, "none")

    z_of: dict[str, list[float]] = defaultdict(list)
    raw_of: dict[str, list[float]] = defaultdict(list)
    for review in reviews:
        standard = standards[review.reviewer]
        if standard.basis == "own":
            z = (review.score - standard.mean) / standard.standard_deviation
        elif standard.basis == "panel":
            z = (review.score - panel_mean) / panel_sd
        else:  # every score in the panel is the same: nothing tells applications apart
            z = 0.0
        z_of[review.application].append(z)
        raw_of[review.application].append(review.score)

    means = {a: float(np.mean(raw_of[a])) for a in ids if raw_of[a]}
    zs = {a: float(np.mean(z_of[a])) for a in ids if z_of[a]}
    normalised = {a: panel_mean + panel_sd * z for a, z in zs.items()}
    rank_mean, tied_mean = _competition_ranks(means, ids)
    rank_normalised, tied_normalised = _competition_ranks(zs, ids)
    entries = tuple(
        RankedApplication(
            application=a,
            reviews=len(raw_of[a]),
            mean_score=means.get(a),
            normalised_score=normalised.get(a),
            z_score=zs.get(a),
            rank_mean=rank_mean.get(a),
            rank_normalised=rank_normalised.get(a),
            tied_mean=tied_mean.get(a, ()),
            tied_normalised=tied_normalised.get(a, ()),
        )
        for a in ids
    )
    return Ranking(entries, tuple(standards.values()), panel_mean, panel_sd)


def _competition_ranks(
    values: Mapping[str, float], order: Sequence[str]
) -> tuple[dict[str, int], dict[str, tuple[str, ...]]]:
    """Ranks 1, 2, 2, 4 (equal within a relative 1e-9) and, per application, its tie partners."""
    position = {a: k for k, a in enumerate(order)}
    ordered = sorted(values, key=lambda a: (-values[a], position[a]))
    ranks: dict[str, int] = {}
    groups: list[list[str]] = []
    for k, application in enumerate(ordered):
        value = values[application]
        if groups and _same(values[groups[-1][0]], value):
            groups[-1].append(application)
            ranks[application] = ranks[groups[-1][0]]
        else:
            groups.append([application])
            ranks[application] = k + 1
    tied = {
        a: tuple(other for other in group if other != a)
        for group in groups
        if len(group) > 1
        for a in group
    }
    return ranks, tied


def _same(first: float, second: float) -> bool:
    return abs(first - second) <= _TIE * max(1.0, abs(first), abs(second))


# --- selection -----------------------------------------------------------------------------

Decision = Literal[
    "funded",
    "funded_capped",
    "over_maximum",
    "no_reviews",
    "below_minimum_score",
    "does_not_fit",
    "not_selected",
]


@dataclass(frozen=True)
class FundingDecision:
    """Whether an application is proposed for funding, at what amount, and why (a code and
    an English sentence)."""

    application: str
    funded: bool
    amount: float
    requested: float
    area: str | None
    score: float | None
    rank: int | None
    reason: Decision
    detail: str


@dataclass(frozen=True)
class AreaShare:
    area: str
    minimum_share: float | None
    minimum_amount: float | None
    funded_amount: float
    met: bool


@dataclass(frozen=True)
class Selection:
    method: Method
    rank_by: RankBy
    budget: float
    max_award: float | None
    baseline: float
    decisions: tuple[FundingDecision, ...]  # in ranking order
    area_shares: tuple[AreaShare, ...]
    status: str
    solve_seconds: float

    @property
    def funded(self) -> list[FundingDecision]:
        return [d for d in self.decisions if d.funded]

    @property
    def spent(self) -> float:
        return float(sum(d.amount for d in self.funded))

    def decision(self, application: str) -> FundingDecision:
        for decision in self.decisions:
            if decision.application == application:
                return decision
        raise KeyError(application)

    def summary(self) -> dict[str, object]:
        reasons: dict[str, int] = defaultdict(int)
        for decision in self.decisions:
            reasons[decision.reason] += 1
        return {
            "method": self.method,
            "method_description": {
                "greedy": "down the ranking, funding each application that still fits",
                "optimised": "the largest sum of (score − baseline) that fits the budget "
                "(integer program)",
            }[self.method],
            "rank_by": self.rank_by,
            "budget": self.budget,
            "max_award": self.max_award,
            "funded": len(self.funded),
            "spent": self.spent,
            "left": self.budget - self.spent,
            "score_funded": round(sum(d.score or 0.0 for d in self.funded), 6),
            "baseline": round(self.baseline, 6),
            "value_funded": round(sum((d.score or 0.0) - self.baseline for d in self.funded), 6),
            "reasons": dict(sorted(reasons.items())),
            "area_shares": {
                share.area: {
                    "minimum_share": share.minimum_share,
                    "minimum_amount": share.minimum_amount,
                    "funded_amount": share.funded_amount,
                    "met": share.met,
                }
                for share in self.area_shares
            },
            "status": self.status,
            "solve_seconds": round(self.solve_seconds, 3),
        }


class SelectionInfeasible(Exception):
    """No selection meets every minimum share of the budget; ``reasons`` say why in words."""

    def __init__(self, reasons: Sequence[str]) -> None:
        self.reasons = tuple(reasons)
        super().__init__(self.describe())

    def describe(self) -> str:
        return "\n".join(
            ["no selection meets every minimum share:", *(f"  {r}" for r in self.reasons)]
        )


def select_within_budget(
    applications: Sequence[FundingApplication],
    ranking: Ranking,
    *,
    budget: float,
    max_award: float | None = None,
    over_maximum: OverMaximum = "cap",
    method: Method = "optimised",
    rank_by: RankBy = "normalised",
    area_minimums: Mapping[str, float] | None = None,
    minimum_score: float | None = None,
    seed: int = 0,
    time_limit_seconds: float = 60.0,
) -> Selection:
    """Propose which applications to fund within ``budget`` (see the module docstring).

    ``area_minimums`` maps an area to the least share of the budget that must go to it
    (0.3: at least 30%); only the optimised method honours it (the greedy proposal reports
    whether it happens to be met). ``minimum_score`` excludes applications scoring below it
    on the ranking's scale. Raises ``ValueError`` for bad arguments and
    :class:`SelectionInfeasible` when the minimum shares cannot be met.
    """
    started = time.perf_counter()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if rank_by not in RANK_BY:
        raise ValueError(f"rank_by must be one of {', '.join(RANK_BY)}, got {rank_by!r}")
    if over_maximum not in OVER_MAXIMUM:
        raise ValueError(
            f"over_maximum must be one of {', '.join(OVER_MAXIMUM)}, got {over_maximum!r}"
        )
    if not (math.isfinite(budget) and budget > 0):
        raise ValueError(f"budget must be positive, got {budget}")
    if max_award is not None and not (math.isfinite(max_award) and max_award > 0):
        raise ValueError(f"max_award must be positive, got {max_award}")
    if not time_limit_seconds > 0:
        raise ValueError(f"time_limit_seconds must be positive, got {time_limit_seconds}")
    area_minimums = dict(area_minimums or {})
    for area, share in area_minimums.items():
        if not (math.isfinite(share) and 0 < share <= 1):
            raise ValueError(f"the minimum share of area {area!r} must be in (0, 1], got {share}")
    _require_unique("application", [a.id for a in applications])
    ranked_ids = {entry.application for entry in ranking.entries}
    missing = [a.id for a in applications if a.id not in ranked_ids]
    if missing:
        raise ValueError(f"applications missing from the ranking: {', '.join(missing[:5])}")
    areas_known = {a.area for a in applications}
    unknown_areas = sorted(set(area_minimums) - areas_known)
    if unknown_areas:
        raise ValueError(
            f"no application is in area {', '.join(map(repr, unknown_areas))} "
            "named by a minimum share"
        )

    baseline = ranking.panel_mean if minimum_score is None else minimum_score
    # Who may be funded at all, and at what amount.
    order = _ranking_order(applications, ranking, rank_by, seed)
    candidates: list[tuple[FundingApplication, RankedApplication, float]] = []
    decisions: dict[str, FundingDecision] = {}
    for application, entry in order:
        score = entry.score(rank_by)
        if score is None:
            decisions[application.id] = _refusal(
                application, entry, rank_by, "no_reviews", "not reviewed"
            )
            continue
        if minimum_score is not None and score < minimum_score - _TIE * max(1.0, abs(score)):
            decisions[application.id] = _refusal(
                application,
                entry,
                rank_by,
                "below_minimum_score",
                f"its {rank_by} score {score:.4g} is below the minimum of {minimum_score:g}",
            )
            continue
        amount = application.amount
        if max_award is not None and amount > max_award:
            if over_maximum == "refuse":
                decisions[application.id] = _refusal(
                    application,
                    entry,
                    rank_by,
                    "over_maximum",
                    f"refused: it requests {amount:,.0f}, more than the per-award maximum "
                    f"of {max_award:,.0f}",
                )
                continue
            amount = max_award
        candidates.append((application, entry, amount))

    if method == "greedy":
        chosen, status = _greedy(candidates, budget), "greedy"
    else:
        chosen, status = _optimise(
            candidates, rank_by, baseline, budget, area_minimums, time_limit_seconds
        )
    spent = sum(amount for application, _, amount in candidates if application.id in chosen)
    left = budget - spent
    spent_before = 0.0
    for application, entry, amount in candidates:
        score, rank = entry.score(rank_by), entry.rank(rank_by)
        capped = amount < application.amount
        if application.id in chosen:
            spent_before += amount
            reason: Decision = "funded_capped" if capped else "funded"
            detail = (
                f"funded at the per-award maximum of {amount:,.0f} (requested "
                f"{application.amount:,.0f})"
                if capped
                else f"funded: {amount:,.0f} as requested"
            )
            funded, granted = True, amount
        elif method == "greedy":
            reason, funded, granted = "does_not_fit", False, 0.0
            room = budget - spent_before
            detail = (
                f"does not fit: {amount:,.0f} needed, {room:,.0f} of the budget left when its "
                "turn came"
            )
        else:
            reason, funded, granted = "not_selected", False, 0.0
            detail = (
                f"not selected: with {amount:,.0f} it does not fit in what is left ({left:,.0f})"
                if amount > left
                else f"not selected: its score is not above the baseline of {baseline:.4g}, "
                "so funding it would not raise the total"
            )
            if amount > left and area_minimums:
                detail += " once the best combination and the areas' minimum shares are funded"
            elif amount > left:
                detail += "; the applications funded instead add up to a higher total score"
        decisions[application.id] = FundingDecision(
            application.id,
            funded,
            granted,
            application.amount,
            application.area,
            score,
            rank,
            reason,
            detail,
        )

    ordered_decisions = tuple(decisions[a.id] for a, _ in order)
    funded_by_area: dict[str | None, float] = defaultdict(float)
    for decision in ordered_decisions:
        if decision.funded:
            funded_by_area[decision.area] += decision.amount
    shares = tuple(
        AreaShare(
            area,
            area_minimums.get(area),
            area_minimums[area] * budget if area in area_minimums else None,
            funded_by_area.get(area, 0.0),
            area not in area_minimums
            or funded_by_area.get(area, 0.0) >= area_minimums[area] * budget - 1e-9 * budget,
        )
        for area in sorted(a for a in areas_known if a is not None)
    )
    return Selection(
        method=method,
        rank_by=rank_by,
        budget=budget,
        max_award=max_award,
        baseline=baseline,
        decisions=ordered_decisions,
        area_shares=shares,
        status=status,
        solve_seconds=time.perf_counter() - started,
    )


def _refusal(
    application: FundingApplication,
    entry: RankedApplication,
    rank_by: RankBy,
    reason: Decision,
    detail: str,
) -> FundingDecision:
    return FundingDecision(
        application.id,
        False,
        0.0,
        application.amount,
        application.area,
        entry.score(rank_by),
        entry.rank(rank_by),
        reason,
        detail,
    )


def _ranking_order(
    applications: Sequence[FundingApplication], ranking: Ranking, rank_by: RankBy, seed: int
) -> list[tuple[FundingApplication, RankedApplication]]:
    """Applications best first; ties in a lottery order fixed by ``seed``; unreviewed last."""
    lottery = np.random.default_rng(seed).permutation(len(applications))
    entries = {entry.application: entry for entry in ranking.entries}
    keyed = [
        (application, entries[application.id], int(lottery[k]))
        for k, application in enumerate(applications)
    ]
    keyed.sort(
        key=lambda item: (
            item[1].rank(rank_by) is None,
            item[1].rank(rank_by) or 0,
            item[2],
        )
    )
    return [(application, entry) for application, entry, _ in keyed]


def _greedy(
    candidates: list[tuple[FundingApplication, RankedApplication, float]], budget: float
) -> set[str]:
    chosen: set[str] = set()
    left = budget
    for application, _entry, amount in candidates:
        if amount <= left:
            chosen.add(application.id)
            left -= amount
    return chosen


def _optimise(
    candidates: list[tuple[FundingApplication, RankedApplication, float]],
    rank_by: RankBy,
    baseline: float,
    budget: float,
    area_minimums: Mapping[str, float],
    time_limit_seconds: float,
) -> tuple[set[str], str]:
    """The 0-1 program: maximise the sum of (score − baseline) funded, under the budget and
    the areas' minimums."""
    _explain_impossible_minimums(candidates, budget, area_minimums, time_limit_seconds)
    if not candidates:
        return set(), "optimal"
    values = np.array([(entry.score(rank_by) or 0.0) - baseline for _, entry, _ in candidates])
    amounts = np.array([amount for _, _, amount in candidates], dtype=np.float64)
    areas = [application.area for application, _, _ in candidates]
    chosen_mask, status = _solve_knapsack(
        values, amounts, areas, budget, area_minimums, time_limit_seconds
    )
    if chosen_mask is None:
        raise SelectionInfeasible(
            [
                "the areas' minimum shares ("
                + ", ".join(f"{a} {s:.0%}" for a, s in sorted(area_minimums.items()))
                + ") cannot be met together within the budget, although each can be met alone"
            ]
        )
    return {candidates[k][0].id for k in np.flatnonzero(chosen_mask)}, status


def _solve_knapsack(
    values: np.ndarray,
    amounts: np.ndarray,
    areas: Sequence[str | None],
    budget: float,
    area_minimums: Mapping[str, float],
    time_limit_seconds: float,
) -> tuple[np.ndarray | None, str]:
    """Best 0-1 choice, or None when infeasible. Amounts are scaled by the budget for HiGHS, and
    the answer is checked in the original amounts (the budget is tightened and the program
    solved again in the rare case that the solver's tolerance let it overspend)."""
    started = time.perf_counter()
    count = len(values)
    scaled = amounts / budget
    rows = [scaled]
    lows, highs = [-np.inf], [1.0]
    for area, share in sorted(area_minimums.items()):
        rows.append(np.where([a == area for a in areas], scaled, 0.0))
        lows.append(share)
        highs.append(np.inf)
    margin = 0.0
    for _attempt in range(4):
        highs[0] = 1.0 - margin
        lows_now = [low * (1 + margin) if k else low for k, low in enumerate(lows)]
        remaining = time_limit_seconds - (time.perf_counter() - started)
        result = milp(
            -values,
            constraints=LinearConstraint(np.vstack(rows), lows_now, highs),
            integrality=np.ones(count),
            bounds=Bounds(0, 1),
            options={"time_limit": max(remaining, 0.5), "mip_rel_gap": 0.0},
        )
        if result.x is None:
            if result.status == 2:  # infeasible
                return None, "infeasible"
            raise RuntimeError(f"HiGHS found no selection: {result.message}")
        chosen = result.x > 0.5
        spent = float(amounts[chosen].sum())
        met = all(
            float(amounts[chosen & np.array([a == area for a in areas])].sum())
            >= share * budget * (1 - 1e-12)
            for area, share in area_minimums.items()
        )
        if spent <= budget and met:
            return chosen, "optimal" if result.status == 0 else "time_limit"
        margin = max(margin * 10, 1e-9)
    raise RuntimeError("the solver's selection stays over the budget after rounding")


def _explain_impossible_minimums(
    candidates: list[tuple[FundingApplication, RankedApplication, float]],
    budget: float,
    area_minimums: Mapping[str, float],
    time_limit_seconds: float,
) -> None:
    """Raise :class:`SelectionInfeasible` naming each area whose minimum cannot be met alone."""
    if not area_minimums:
        return
    reasons = []
    total_share = sum(area_minimums.values())
    if total_share > 1 + 1e-12:
        reasons.append(
            f"the minimum shares add up to {total_share:.0%} of the budget, more than all of it"
        )
    for area, share in sorted(area_minimums.items()):
        needed = share * budget
        amounts = [amount for application, _, amount in candidates if application.area == area]
        if not amounts:
            reasons.append(
                f"area {area!r} must get at least {share:.0%} of the budget ({needed:,.0f}) "
                "but none of its applications can be funded (unreviewed, below the minimum "
                "score or over the per-award maximum)"
            )
        elif sum(amounts) < needed * (1 - 1e-12):
            reasons.append(
                f"area {area!r} must get at least {share:.0%} of the budget ({needed:,.0f}) "
                f"but its fundable applications ask for only {sum(amounts):,.0f} in all"
            )
        else:
            alone, _ = _solve_knapsack(
                np.ones(len(amounts)),
                np.array(amounts),
                [area] * len(amounts),
                budget,
                {area: share},
                time_limit_seconds,
            )
            if alone is None:
                reasons.append(
                    f"area {area!r} must get at least {share:.0%} of the budget "
                    f"({needed:,.0f}) but no combination of its applications adds up to between "
                    f"that and the whole budget ({budget:,.0f})"
                )
    if reasons:
        raise SelectionInfeasible(reasons)


def _require_unique(kind: str, ids: Sequence[str]) -> None:
    duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
    if duplicates:
        raise ValueError(f"duplicate {kind} ids: {', '.join(duplicates[:5])}")
