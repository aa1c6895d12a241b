"""Reviewer assignment: expert reviewers to applications, solved exactly with network flows.

Every item (an application to a support program, a paper, a proposal) gets between
``min_reviewers`` and ``max_reviewers`` reviewers; every reviewer gets between ``min_load``
and ``max_load`` items; no pair with a conflict of interest is used; only pairs that have an
affinity (a score) are candidates, so a sparse top-k affinity list bounds the problem.

Two objectives, both exact:

``total``
    maximise the sum of affinities: one min-cost circulation (OR-Tools ``SimpleMinCostFlow``)
    on source → reviewer → item → sink with lower bounds, costs the negated affinities scaled
    to integers (the scale maps the largest |score| to 10⁹, so ties finer than 10⁻⁹ of the
    largest score are not distinguished).
``fair``
    first maximise the affinity of the worst-served assignment — the lowest score that any
    item has to accept from one of its reviewers — then the total among assignments that
    reach it. The threshold is found by binary search over the distinct scores with a
    max-flow feasibility test (OR-Tools ``SimpleMaxFlow``), then one min-cost circulation
    over the pairs at or above it. Maximising the lowest *sum* per item instead is NP-hard
    (Garg et al. 2010, max-min fair allocation), which is why FairFlow and FairIR are
    approximations; the bottleneck form is solvable exactly at conference scale.

Bids (:class:`Bid`: eager, willing, not willing) move a candidate pair's affinity by a bonus
or a penalty (:class:`BidBonuses`) before solving; a conflict always wins over a bid.

Alternates: with ``alternates=k`` the result keeps, for every item, its k best unassigned and
unconflicted candidates whose reviewers still have spare load after the assignment (ranked by
affinity, bids included, as OpenReview's matcher does), so that a declined invitation is filled
at once without moving any other assignment (:meth:`ReviewerAssignment.replacement_for`).

An infeasible problem raises :class:`AssignmentInfeasible` with the items (and reviewers)
that cannot be served and why; there is never a partial answer.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

Objective = Literal["total", "fair"]
OBJECTIVES: tuple[Objective, ...] = ("total", "fair")
BidKind = Literal["eager", "willing", "not_willing"]
BID_KINDS: tuple[BidKind, ...] = ("eager", "willing", "not_willing")
_LARGEST_INTEGER_COST = 10**9


@dataclass(frozen=True)
class Reviewer:
    """An expert who can review up to ``max_load`` items (and at least ``min_load``)."""

    id: str
    max_load: int
    min_load: int = 0

    def __post_init__(self) -> None:
        if self.max_load < 0 or self.min_load < 0:
            raise ValueError(f"reviewer {self.id!r}: loads must not be negative")
        if self.min_load > self.max_load:
            raise ValueError(
                f"reviewer {self.id!r}: min_load {self.min_load} exceeds max_load {self.max_load}"
            )


@dataclass(frozen=True)
class Item:
    """Something to review (an application, a proposal) and how many reviewers it needs."""

    id: str
    min_reviewers: int = 3
    max_reviewers: int = 3

    def __post_init__(self) -> None:
        if self.min_reviewers < 0 or self.max_reviewers < 0:
            raise ValueError(f"item {self.id!r}: reviewer counts must not be negative")
        if self.min_reviewers > self.max_reviewers:
            raise ValueError(
                f"item {self.id!r}: min_reviewers {self.min_reviewers} "
                f"exceeds max_reviewers {self.max_reviewers}"
            )


@dataclass(frozen=True)
class Affinity:
    """How well ``reviewer`` fits ``item`` (higher is better; any finite number)."""

    item: str
    reviewer: str
    score: float


@dataclass(frozen=True)
class Conflict:
    """A pair that must never be assigned, and why (shown to the operator)."""

    item: str
    reviewer: str
    reason: str = "declared"


@dataclass(frozen=True)
class Bid:
    """A reviewer's wish about an item they saw by title: eager, willing or not willing."""

    item: str
    reviewer: str
    kind: BidKind

    def __post_init__(self) -> None:
        if self.kind not in BID_KINDS:
            raise ValueError(
                f"bid of {self.reviewer!r} on {self.item!r}: kind must be one of "
                f"{', '.join(BID_KINDS)}, got {self.kind!r}"
            )


@dataclass(frozen=True)
class BidBonuses:
    """What each kind of bid adds to a pair's affinity (negative: a penalty).

    The defaults are a convention on the scale of the engine's scores (0 to about 1, where
    the best few reviewers of an item are usually within 0.1 of each other), not a measured
    figure: an eager bid outweighs a small difference in expertise, a willing bid half as
    much, and "not willing" pushes the pair below nearly every other candidate without
    forbidding it (declare a conflict to forbid it). Change them to suit the call.
    """

    eager: float = 0.10
    willing: float = 0.05
    not_willing: float = -0.50

    def __post_init__(self) -> None:
        for kind in BID_KINDS:
            if not np.isfinite(getattr(self, kind)):
                raise ValueError(f"the {kind} bid bonus must be a finite number")

    def bonus(self, kind: BidKind) -> float:
        return float(getattr(self, kind))


@dataclass(frozen=True)
class AffinityMatrix:
    """Sparse affinities as parallel arrays of positions into the items and reviewers lists.

    The fast path for large problems: building two million :class:`Affinity` objects costs
    more than solving. ``item_positions[k]`` indexes the ``items`` sequence given to
    :func:`assign_reviewers`, ``reviewer_positions[k]`` the ``reviewers`` sequence.
    """

    item_positions: np.ndarray
    reviewer_positions: np.ndarray
    scores: np.ndarray

    def __post_init__(self) -> None:
        lengths = {len(self.item_positions), len(self.reviewer_positions), len(self.scores)}
        if len(lengths) != 1:
            raise ValueError("affinity arrays must have the same length")
        if len(self.scores) and not np.all(np.isfinite(self.scores)):
            raise ValueError("affinity scores must be finite numbers")

    @classmethod
    def from_affinities(
        cls, affinities: Iterable[Affinity], items: Sequence[Item], reviewers: Sequence[Reviewer]
    ) -> AffinityMatrix:
        item_position = {item.id: position for position, item in enumerate(items)}
        reviewer_position = {reviewer.id: position for position, reviewer in enumerate(reviewers)}
        rows: list[int] = []
        columns: list[int] = []
        scores: list[float] = []
        for affinity in affinities:
            if affinity.item not in item_position:
                raise ValueError(f"affinity names unknown item {affinity.item!r}")
            if affinity.reviewer not in reviewer_position:
                raise ValueError(f"affinity names unknown reviewer {affinity.reviewer!r}")
            rows.append(item_position[affinity.item])
            columns.append(reviewer_position[affinity.reviewer])
            scores.append(float(affinity.score))
        return cls(
            np.asarray(rows, dtype=np.int64),
            np.asarray(columns, dtype=np.int64),
            np.asarray(scores, dtype=np.float64),
        )

    @classmethod
    def from_dense(cls, scores: np.ndarray) -> AffinityMatrix:
        """Every pair of an items × reviewers score array is a candidate."""
        scores = np.asarray(scores, dtype=np.float64)
        if scores.ndim != 2:
            raise ValueError(
                f"dense affinities must be 2-D (items × reviewers), got {scores.shape}"
            )
        rows, columns = np.indices(scores.shape)
        return cls(rows.ravel(), columns.ravel(), scores.ravel())


@dataclass(frozen=True)
class ReviewPair:
    """An assigned pair; ``score`` is what the solver used (the affinity plus any bid bonus)."""

    item: str
    reviewer: str
    score: float
    affinity: float | None = None  # before the bid's bonus (None when built by hand)
    bid: BidKind | None = None


@dataclass(frozen=True)
class Alternate:
    """A ranked stand-in for an item: unassigned to it, unconflicted, with spare load after
    the assignment (``spare_load``: how many more items the reviewer can take)."""

    item: str
    reviewer: str
    rank: int
    score: float
    affinity: float
    bid: BidKind | None
    spare_load: int


@dataclass(frozen=True)
class ReviewerAssignment:
    """An optimal assignment and what it achieves."""

    pairs: tuple[ReviewPair, ...]
    objective: Objective
    total_affinity: float
    minimum_item_affinity: float
    minimum_pair_affinity: float
    status: str
    solve_seconds: float
    fairness_threshold: float | None = None
    alternates: tuple[Alternate, ...] = ()
    bid_counts: Mapping[str, int] = field(default_factory=dict)
    alternates_per_item: int = 0
    items_short_of_alternates: tuple[str, ...] = ()  # fewer than alternates_per_item found

    def reviewers_of(self, item_id: str) -> list[str]:
        return [pair.reviewer for pair in self.pairs if pair.item == item_id]

    def alternates_of(self, item_id: str) -> list[Alternate]:
        """The item's alternates, best first."""
        return [alternate for alternate in self.alternates if alternate.item == item_id]

    def replacement_for(
        self,
        item_id: str,
        *,
        declined: Iterable[tuple[str, str]] = (),
        replacements: Iterable[tuple[str, str]] = (),
    ) -> Alternate | None:
        """The best alternate who can take ``item_id`` now, or None when none is left.

        ``declined`` lists the (item, reviewer) invitations declined so far (the one being
        filled included) and ``replacements`` the (item, reviewer) pairs added since the
        proposal; both change reviewers' spare loads. Nothing else moves: the replacement
        only takes a slot its reviewer had free.
        """
        declined = set(declined)
        replacements = list(replacements)
        load_change: dict[str, int] = defaultdict(int)
        for _item, reviewer in replacements:
            load_change[reviewer] += 1
        for _item, reviewer in declined:
            load_change[reviewer] -= 1
        reviewing = {
            pair.reviewer
            for pair in self.pairs
            if pair.item == item_id and (item_id, pair.reviewer) not in declined
        } | {reviewer for item, reviewer in replacements if item == item_id}
        for alternate in self.alternates_of(item_id):
            if (item_id, alternate.reviewer) in declined or alternate.reviewer in reviewing:
                continue
            if alternate.spare_load - load_change[alternate.reviewer] > 0:
                return alternate
        return None

    def summary(self) -> dict[str, object]:
        descriptions = {
            "total": "total: maximise the sum of affinities",
            "fair": "fair: maximise the lowest affinity any item accepts, then the total",
        }
        return {
            "objective": self.objective,
            "objective_description": descriptions[self.objective],
            "assignments": len(self.pairs),
            "total_affinity": self.total_affinity,
            "minimum_item_affinity": self.minimum_item_affinity,
            "minimum_pair_affinity": self.minimum_pair_affinity,
            "fairness_threshold": self.fairness_threshold,
            "alternates_per_item": self.alternates_per_item,
            "alternates": len(self.alternates),
            "items_short_of_alternates": len(self.items_short_of_alternates),
            "bids": dict(self.bid_counts),
            "status": self.status,
            "solver": "OR-Tools SimpleMinCostFlow"
            + (" + SimpleMaxFlow threshold search" if self.objective == "fair" else ""),
            "solve_seconds": round(self.solve_seconds, 3),
        }


@dataclass(frozen=True)
class UnservableItem:
    item: str
    needed: int
    attainable: int
    reason: str


@dataclass(frozen=True)
class UnderloadedReviewer:
    reviewer: str
    min_load: int
    attainable: int
    reason: str


class AssignmentInfeasible(Exception):
    """No assignment meets every constraint; carries which items and reviewers fail and why."""

    def __init__(
        self,
        reasons: Sequence[str],
        items: Sequence[UnservableItem] = (),
        reviewers: Sequence[UnderloadedReviewer] = (),
    ) -> None:
        self.reasons = tuple(reasons)
        self.items = tuple(items)
        self.reviewers = tuple(reviewers)
        super().__init__(self.describe())

    def describe(self, limit: int = 20) -> str:
        lines = ["no reviewer assignment meets every constraint:"]
        lines += [f"  {reason}" for reason in self.reasons]
        for unservable in self.items[:limit]:
            lines.append(
                f"  item {unservable.item}: needs {unservable.needed} reviewers, "
                f"at most {unservable.attainable} possible — {unservable.reason}"
            )
        if len(self.items) > limit:
            lines.append(f"  … and {len(self.items) - limit} more items")
        for reviewer in self.reviewers[:limit]:
            lines.append(
                f"  reviewer {reviewer.reviewer}: min_load {reviewer.min_load}, "
                f"at most {reviewer.attainable} possible — {reviewer.reason}"
            )
        if len(self.reviewers) > limit:
            lines.append(f"  … and {len(self.reviewers) - limit} more reviewers")
        return "\n".join(lines)


# --- deriving conflicts of interest ------------------------------------------------------


@dataclass(frozen=True)
class Coauthorship:
    """Two people who published or worked together, and the year it last happened."""

    person: str
    other: str
    year: int


def derive_conflicts(
    *,
    item_organisations: Mapping[str, Iterable[str]],
    item_people: Mapping[str, Iterable[str]] | None = None,
    reviewer_organisations: Mapping[str, Iterable[str]],
    coauthorships: Iterable[Coauthorship] = (),
    conflicted_partners: Mapping[str, Iterable[str]] | None = None,
    declared: Iterable[Conflict] = (),
    current_year: int,
    coauthorship_years: int = 3,
) -> list[Conflict]:
    """Conflicts of interest from the cluster's records, one per (item, reviewer) pair.

    - same organisation: the reviewer belongs to an organisation that submitted the item;
    - co-author or collaborator: the reviewer worked with one of the item's people in the last
      ``coauthorship_years`` years (``year >= current_year - coauthorship_years``);
    - partner: the item's organisation is listed in ``conflicted_partners`` of one of the
      reviewer's organisations (a partner that organisation declared conflicted);
    - declared: explicit declarations, kept as given.

    Reviewer ids in ``item_people`` / ``coauthorships`` are person ids; a reviewer is a person,
    so reviewer ids and person ids share one namespace. The first reason found is kept.
    """
    item_people = item_people or {}
    conflicted_partners = conflicted_partners or {}
    found: dict[tuple[str, str], str] = {}

    def note(item: str, reviewer: str, reason: str) -> None:
        found.setdefault((item, reviewer), reason)

    for conflict in declared:
        note(conflict.item, conflict.reviewer, conflict.reason)

    items_by_organisation: dict[str, set[str]] = defaultdict(set)
    for item, organisations in item_organisations.items():
        for organisation in organisations:
            items_by_organisation[organisation].add(item)
    for reviewer, organisations in reviewer_organisations.items():
        for organisation in organisations:
            for item in sorted(items_by_organisation.get(organisation, ())):
                note(item, reviewer, f"same organisation ({organisation})")
            for partner in conflicted_partners.get(organisation, ()):
                for item in sorted(items_by_organisation.get(partner, ())):
                    note(item, reviewer, f"partner of {organisation} ({partner})")

    recent_collaborators: dict[str, set[str]] = defaultdict(set)
    for link in coauthorships:
        if link.year >= current_year - coauthorship_years:
            recent_collaborators[link.person].add(link.other)
            recent_collaborators[link.other].add(link.person)
    reviewers = set(reviewer_organisations)
    for item, people in item_people.items():
        for person in people:
            if person in reviewers:
                note(item, person, "is one of the item's people")
            for collaborator in sorted(recent_collaborators.get(person, ())):
                if collaborator in reviewers:
                    note(item, collaborator, f"co-author or collaborator of {person}")
    return [Conflict(item, reviewer, reason) for (item, reviewer), reason in found.items()]


# --- solving -------------------------------------------------------------------------------


@dataclass
class _Problem:
    """Candidate pairs (after conflicts) as arrays, and the bounds on both sides."""

    items: Sequence[Item]
    reviewers: Sequence[Reviewer]
    item_of_pair: np.ndarray
    reviewer_of_pair: np.ndarray
    score_of_pair: np.ndarray  # what the solver maximises: the affinity plus the bid's bonus
    conflicts_per_item: np.ndarray
    raw_score_of_pair: np.ndarray  # the affinity as given
    bid_of_pair: np.ndarray  # index into BID_KINDS, or -1 for no bid
    item_min: np.ndarray = field(init=False)
    item_max: np.ndarray = field(init=False)
    reviewer_min: np.ndarray = field(init=False)
    reviewer_max: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.item_min = np.array([item.min_reviewers for item in self.items], dtype=np.int64)
        self.item_max = np.array([item.max_reviewers for item in self.items], dtype=np.int64)
        self.reviewer_min = np.array([r.min_load for r in self.reviewers], dtype=np.int64)
        self.reviewer_max = np.array([r.max_load for r in self.reviewers], dtype=np.int64)


def assign_reviewers(
    items: Sequence[Item],
    reviewers: Sequence[Reviewer],
    affinities: Iterable[Affinity] | AffinityMatrix,
    conflicts: Iterable[Conflict] = (),
    *,
    objective: Objective = "total",
    bids: Iterable[Bid] = (),
    bid_bonuses: BidBonuses | None = None,
    alternates: int = 0,
) -> ReviewerAssignment:
    """Assign reviewers to items optimally; raise :class:`AssignmentInfeasible` if impossible.

    Pairs without an affinity are not candidates. ``bids`` add ``bid_bonuses`` (default
    :class:`BidBonuses`) to their pairs' affinities; an eager or willing bid on a pair without
    an affinity is an error (score that pair too), a "not willing" bid there changes nothing,
    and a bid on a conflicted pair is ignored. ``alternates`` is how many ranked stand-ins to
    keep per item. Unknown ids, duplicate ids, duplicate affinities and duplicate bids raise
    ``ValueError``.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}, got {objective!r}")
    if alternates < 0:
        raise ValueError(f"alternates must not be negative, got {alternates}")
    started = time.perf_counter()
    problem = _build_problem(
        items, reviewers, affinities, conflicts, bids, bid_bonuses or BidBonuses()
    )
    _raise_if_locally_infeasible(problem)

    threshold: float | None = None
    selected_pairs = np.arange(len(problem.score_of_pair))
    if objective == "fair":
        threshold = _best_threshold(problem)
        if threshold is not None:
            selected_pairs = np.flatnonzero(problem.score_of_pair >= threshold)
    chosen = _min_cost_assignment(problem, selected_pairs)
    if chosen is None:
        raise _diagnose(problem)

    item_of = problem.item_of_pair[chosen]
    order = np.lexsort((-problem.score_of_pair[chosen], item_of))
    chosen = chosen[order]
    pairs = tuple(
        ReviewPair(
            items[problem.item_of_pair[k]].id,
            reviewers[problem.reviewer_of_pair[k]].id,
            float(problem.score_of_pair[k]),
            float(problem.raw_score_of_pair[k]),
            BID_KINDS[problem.bid_of_pair[k]] if problem.bid_of_pair[k] >= 0 else None,
        )
        for k in chosen
    )
    scores = problem.score_of_pair[chosen]
    bid_counts = {
        f"{kind}_{where}": int(np.count_nonzero(bid_kinds == position))
        for position, kind in enumerate(BID_KINDS)
        for where, bid_kinds in (
            ("candidates", problem.bid_of_pair),
            ("assigned", problem.bid_of_pair[chosen]),
        )
    }
    per_item = np.bincount(problem.item_of_pair[chosen], weights=scores, minlength=len(items))
    kept_alternates = _alternates(problem, chosen, alternates)
    alternates_found = Counter(alternate.item for alternate in kept_alternates)
    return ReviewerAssignment(
        pairs=pairs,
        objective=objective,
        total_affinity=float(scores.sum()),
        minimum_item_affinity=float(per_item.min()) if len(items) else 0.0,
        minimum_pair_affinity=float(scores.min()) if len(scores) else 0.0,
        status="optimal",
        solve_seconds=time.perf_counter() - started,
        fairness_threshold=threshold,
        alternates=kept_alternates,
        bid_counts=bid_counts if np.any(problem.bid_of_pair >= 0) else {},
        alternates_per_item=alternates,
        items_short_of_alternates=tuple(
            item.id for item in items if alternates and alternates_found[item.id] < alternates
        ),
    )


def _alternates(problem: _Problem, chosen: np.ndarray, per_item: int) -> tuple[Alternate, ...]:
    """Each item's best ``per_item`` unassigned candidates whose reviewers have spare load."""
    if per_item == 0 or len(problem.score_of_pair) == 0:
        return ()
    load = np.bincount(problem.reviewer_of_pair[chosen], minlength=len(problem.reviewers))
    spare = problem.reviewer_max - load
    open_pair = np.ones(len(problem.score_of_pair), dtype=bool)
    open_pair[chosen] = False
    open_pair &= spare[problem.reviewer_of_pair] > 0
    candidates = np.flatnonzero(open_pair)
    order = np.lexsort(
        (
            problem.reviewer_of_pair[candidates],
            -problem.score_of_pair[candidates],
            problem.item_of_pair[candidates],
        )
    )
    candidates = candidates[order]
    item_of = problem.item_of_pair[candidates]
    starts = np.flatnonzero(np.r_[True, item_of[1:] != item_of[:-1]])
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(item_of)]))
    rank = np.arange(len(candidates)) - group_start
    keep = rank < per_item
    return tuple(
        Alternate(
            item=problem.items[problem.item_of_pair[k]].id,
            reviewer=problem.reviewers[problem.reviewer_of_pair[k]].id,
            rank=int(r) + 1,
            score=float(problem.score_of_pair[k]),
            affinity=float(problem.raw_score_of_pair[k]),
            bid=BID_KINDS[problem.bid_of_pair[k]] if problem.bid_of_pair[k] >= 0 else None,
            spare_load=int(spare[problem.reviewer_of_pair[k]]),
        )
        for k, r in zip(candidates[keep], rank[keep], strict=True)
    )


def _build_problem(
    items: Sequence[Item],
    reviewers: Sequence[Reviewer],
    affinities: Iterable[Affinity] | AffinityMatrix,
    conflicts: Iterable[Conflict],
    bids: Iterable[Bid] = (),
    bid_bonuses: BidBonuses | None = None,
) -> _Problem:
    for kind, ids in (("item", [i.id for i in items]), ("reviewer", [r.id for r in reviewers])):
        if len(set(ids)) != len(ids):
            duplicates = sorted({x for x in ids if ids.count(x) > 1})[:5]
            raise ValueError(f"duplicate {kind} ids: {', '.join(duplicates)}")
    matrix = (
        affinities
        if isinstance(affinities, AffinityMatrix)
        else AffinityMatrix.from_affinities(affinities, items, reviewers)
    )
    item_of_pair = np.asarray(matrix.item_positions, dtype=np.int64)
    reviewer_of_pair = np.asarray(matrix.reviewer_positions, dtype=np.int64)
    if len(item_of_pair) and (
        item_of_pair.min() < 0
        or item_of_pair.max() >= len(items)
        or reviewer_of_pair.min() < 0
        or reviewer_of_pair.max() >= len(reviewers)
    ):
        raise ValueError("affinity positions fall outside the items or reviewers given")
    pair_keys = item_of_pair * max(len(reviewers), 1) + reviewer_of_pair
    unique_keys, first_index, counts = np.unique(pair_keys, return_index=True, return_counts=True)
    if len(unique_keys) != len(pair_keys):
        duplicate = first_index[np.argmax(counts > 1)]
        raise ValueError(
            "more than one affinity for item "
            f"{items[item_of_pair[duplicate]].id!r} and reviewer "
            f"{reviewers[reviewer_of_pair[duplicate]].id!r}"
        )

    item_position = {item.id: position for position, item in enumerate(items)}
    reviewer_position = {reviewer.id: position for position, reviewer in enumerate(reviewers)}
    conflict_keys: set[int] = set()
    for conflict in conflicts:
        if conflict.item not in item_position:
            raise ValueError(f"conflict names unknown item {conflict.item!r}")
        if conflict.reviewer not in reviewer_position:
            raise ValueError(f"conflict names unknown reviewer {conflict.reviewer!r}")
        conflict_keys.add(
            item_position[conflict.item] * max(len(reviewers), 1)
            + reviewer_position[conflict.reviewer]
        )
    conflicts_per_item = np.zeros(len(items), dtype=np.int64)
    keep = np.ones(len(pair_keys), dtype=bool)
    if conflict_keys:
        conflict_array = np.fromiter(conflict_keys, dtype=np.int64)
        np.add.at(conflicts_per_item, conflict_array // max(len(reviewers), 1), 1)
        keep = ~np.isin(pair_keys, conflict_array)
    raw_scores = np.asarray(matrix.scores, dtype=np.float64)[keep]
    kept_keys = pair_keys[keep]
    bid_of_pair = _bid_positions(
        bids, kept_keys, conflict_keys, item_position, reviewer_position, len(reviewers)
    )
    scores = raw_scores
    if np.any(bid_of_pair >= 0):
        bonuses = bid_bonuses or BidBonuses()
        table = np.array([bonuses.bonus(kind) for kind in BID_KINDS] + [0.0])
        scores = raw_scores + table[bid_of_pair]  # -1 (no bid) picks the trailing 0
    return _Problem(
        items,
        reviewers,
        item_of_pair[keep],
        reviewer_of_pair[keep],
        scores,
        conflicts_per_item,
        raw_scores,
        bid_of_pair,
    )


def _bid_positions(
    bids: Iterable[Bid],
    kept_keys: np.ndarray,
    conflict_keys: set[int],
    item_position: Mapping[str, int],
    reviewer_position: Mapping[str, int],
    reviewer_count: int,
) -> np.ndarray:
    """Per candidate pair, the index of its bid's kind in ``BID_KINDS`` (-1: no bid)."""
    bid_of_pair = np.full(len(kept_keys), -1, dtype=np.int8)
    bids = list(bids)
    if not bids:
        return bid_of_pair
    order = np.argsort(kept_keys, kind="stable")
    sorted_keys = kept_keys[order]
    seen: set[int] = set()
    for bid in bids:
        if bid.item not in item_position:
            raise ValueError(f"bid names unknown item {bid.item!r}")
        if bid.reviewer not in reviewer_position:
            raise ValueError(f"bid names unknown reviewer {bid.reviewer!r}")
        key = item_position[bid.item] * max(reviewer_count, 1) + reviewer_position[bid.reviewer]
        if key in seen:
            raise ValueError(f"reviewer {bid.reviewer!r} bid twice on item {bid.item!r}")
        seen.add(key)
        if key in conflict_keys:
            continue  # a conflict always wins over a bid
        at = int(np.searchsorted(sorted_keys, key))
        if at < len(sorted_keys) and sorted_keys[at] == key:
            bid_of_pair[order[at]] = BID_KINDS.index(bid.kind)
        elif bid.kind != "not_willing":
            raise ValueError(
                f"reviewer {bid.reviewer!r} bid {bid.kind} on item {bid.item!r} but the pair "
                "has no affinity, so it is not a candidate: score that pair too"
            )
    return bid_of_pair


def _raise_if_locally_infeasible(problem: _Problem) -> None:
    """Checks one item, one reviewer or the totals can fail on their own, with plain reasons."""
    usable = problem.reviewer_max[problem.reviewer_of_pair] > 0
    eligible_reviewers = np.bincount(
        problem.item_of_pair[usable], minlength=len(problem.items)
    ).astype(np.int64)
    reviewer_capacity = np.minimum(
        np.bincount(problem.reviewer_of_pair, minlength=len(problem.reviewers)),
        problem.reviewer_max,
    )
    unservable = []
    for position in np.flatnonzero(eligible_reviewers < problem.item_min):
        eligible = int(eligible_reviewers[position])
        conflicted = int(problem.conflicts_per_item[position])
        unservable.append(
            UnservableItem(
                problem.items[int(position)].id,
                int(problem.item_min[position]),
                eligible,
                f"only {eligible} eligible reviewers ({conflicted} excluded by conflicts of "
                "interest; reviewers without an affinity line or with no load are not candidates)",
            )
        )
    eligible_items = np.bincount(problem.reviewer_of_pair, minlength=len(problem.reviewers))
    underloaded = [
        UnderloadedReviewer(
            problem.reviewers[int(position)].id,
            int(problem.reviewer_min[position]),
            int(eligible_items[position]),
            f"only {int(eligible_items[position])} items are candidates for this reviewer",
        )
        for position in np.flatnonzero(eligible_items < problem.reviewer_min)
    ]
    reasons = []
    needed, offered = int(problem.item_min.sum()), int(reviewer_capacity.sum())
    if offered < needed:
        reasons.append(
            f"the items need at least {needed} reviews but the reviewers can give at most "
            f"{offered} (sum of max_load over reviewers with candidate items)"
        )
    required_load, room = int(problem.reviewer_min.sum()), int(problem.item_max.sum())
    if room < required_load:
        reasons.append(
            f"the reviewers' min_load adds up to {required_load} but the items take at most "
            f"{room} reviews"
        )
    if unservable or underloaded or reasons:
        raise AssignmentInfeasible(reasons, unservable, underloaded)


def _flow_arcs(
    problem: _Problem, selected_pairs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int, int]:
    """Arcs of the circulation: source → reviewer → item → sink → source, lower bounds moved
    into node supplies. Returns tails, heads, capacities, lower bounds, supplies, source, sink.
    """
    reviewer_count, item_count = len(problem.reviewers), len(problem.items)
    source, sink = 0, 1 + reviewer_count + item_count
    reviewer_nodes = 1 + np.arange(reviewer_count)
    item_nodes = 1 + reviewer_count + np.arange(item_count)
    pair_count = len(selected_pairs)
    tails = np.concatenate(
        [
            np.full(reviewer_count, source),
            reviewer_nodes[problem.reviewer_of_pair[selected_pairs]],
            item_nodes,
            [sink],
        ]
    )
    heads = np.concatenate(
        [
            reviewer_nodes,
            item_nodes[problem.item_of_pair[selected_pairs]],
            np.full(item_count, sink),
            [source],
        ]
    )
    lower = np.concatenate(
        [problem.reviewer_min, np.zeros(pair_count, np.int64), problem.item_min, [0]]
    )
    upper = np.concatenate(
        [problem.reviewer_max, np.ones(pair_count, np.int64), problem.item_max, [0]]
    )
    upper[-1] = int(problem.item_max.sum())
    supplies = np.zeros(sink + 1, dtype=np.int64)
    np.add.at(supplies, heads, lower)
    np.subtract.at(supplies, tails, lower)
    return (
        tails.astype(np.int32),
        heads.astype(np.int32),
        (upper - lower).astype(np.int64),
        lower,
        supplies,
        source,
        sink,
    )


def _min_cost_assignment(problem: _Problem, selected_pairs: np.ndarray) -> np.ndarray | None:
    """Indices of the chosen candidate pairs in a maximum-affinity assignment, or None."""
    tails, heads, capacities, _lower, supplies, _source, _sink = _flow_arcs(problem, selected_pairs)
    scores = problem.score_of_pair[selected_pairs]
    largest = float(np.abs(scores).max()) if len(scores) else 0.0
    scale = _LARGEST_INTEGER_COST / largest if largest > 0 else 1.0
    costs = np.zeros(len(tails), dtype=np.int64)
    reviewer_count = len(problem.reviewers)
    costs[reviewer_count : reviewer_count + len(selected_pairs)] = -np.rint(scores * scale)

    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    solver.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = solver.solve()
    if status == solver.INFEASIBLE:
        return None
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow solver stopped with status {status}")
    pair_arcs = np.arange(reviewer_count, reviewer_count + len(selected_pairs))
    flows = solver.flows(pair_arcs)
    return selected_pairs[flows > 0]


def _max_flow_feasibility(
    problem: _Problem,
    selected_pairs: np.ndarray,
    *,
    ignore_reviewer_minimum: bool = False,
    ignore_item_minimum: bool = False,
) -> tuple[bool, max_flow.SimpleMaxFlow, np.ndarray, np.ndarray]:
    """Whether a feasible assignment exists using only ``selected_pairs`` (lower bounds handled
    by the classic super-source / super-sink reduction). Returns the solver for diagnosis.
    """
    saved = problem.reviewer_min, problem.item_min
    if ignore_reviewer_minimum:
        problem.reviewer_min = np.zeros_like(problem.reviewer_min)
    if ignore_item_minimum:
        problem.item_min = np.zeros_like(problem.item_min)
    try:
        tails, heads, capacities, _lower, supplies, _source, sink = _flow_arcs(
            problem, selected_pairs
        )
    finally:
        problem.reviewer_min, problem.item_min = saved
    super_source, super_sink = sink + 1, sink + 2
    givers = np.flatnonzero(supplies > 0)
    takers = np.flatnonzero(supplies < 0)
    all_tails = np.concatenate([tails, np.full(len(givers), super_source), takers])
    all_heads = np.concatenate([heads, givers, np.full(len(takers), super_sink)])
    all_capacities = np.concatenate([capacities, supplies[givers], -supplies[takers]])
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(
        all_tails.astype(np.int32), all_heads.astype(np.int32), all_capacities
    )
    status = solver.solve(super_source, super_sink)
    if status != solver.OPTIMAL:
        raise RuntimeError(f"max-flow solver stopped with status {status}")
    feasible = solver.optimal_flow() == int(supplies[givers].sum())
    return feasible, solver, all_tails, all_heads


def _best_threshold(problem: _Problem) -> float | None:
    """The largest score t such that pairs scoring at least t still allow a full assignment."""
    distinct = np.unique(problem.score_of_pair)
    everything = np.arange(len(problem.score_of_pair))
    if not _max_flow_feasibility(problem, everything)[0]:
        raise _diagnose(problem)
    if len(distinct) == 0:
        return None  # no candidate pairs: nothing to hold to a threshold
    low, high = 0, len(distinct) - 1  # distinct[low] is always feasible
    while low < high:
        middle = (low + high + 1) // 2
        selected = np.flatnonzero(problem.score_of_pair >= distinct[middle])
        if _max_flow_feasibility(problem, selected)[0]:
            low = middle
        else:
            high = middle - 1
    return float(distinct[low])


def _diagnose(problem: _Problem) -> AssignmentInfeasible:
    """Explain a global infeasibility through the minimum cut of a max-flow.

    Items on the sink side of the cut form a group whose demand exceeds what the reviewers
    they can reach can give (Hall's condition fails for them); likewise for reviewers' minimum
    loads in the mirrored flow.
    """
    everything = np.arange(len(problem.score_of_pair))
    reviewer_count = len(problem.reviewers)
    item_nodes = 1 + reviewer_count + np.arange(len(problem.items))

    feasible, solver, tails, heads = _max_flow_feasibility(
        problem, everything, ignore_reviewer_minimum=True
    )
    if not feasible:
        inflow = _node_inflow(solver, tails, heads)
        served = inflow[item_nodes]
        source_side = np.zeros(len(inflow) + 2, dtype=bool)
        source_side[solver.get_source_side_min_cut()] = True
        group = np.flatnonzero(~source_side[item_nodes])
        needed = int(problem.item_min[group].sum())
        given = int(np.minimum(served[group], problem.item_min[group]).sum())
        short = [g for g in group if served[g] < problem.item_min[g]]
        reason = (
            f"competes for the same reviewers with {len(group) - 1} other items: together "
            f"they need {needed} reviews but their eligible reviewers can give only {given}"
        )
        return AssignmentInfeasible(
            [],
            [
                UnservableItem(
                    problem.items[int(g)].id, int(problem.item_min[g]), int(served[g]), reason
                )
                for g in short
            ],
        )
    feasible, solver, tails, heads = _max_flow_feasibility(
        problem, everything, ignore_item_minimum=True
    )
    if not feasible:
        reviewer_nodes = 1 + np.arange(reviewer_count)
        outflow = _node_outflow(solver, tails, heads)
        given_per_reviewer = outflow[reviewer_nodes]
        underloaded_positions = np.flatnonzero(given_per_reviewer < problem.reviewer_min)
        return AssignmentInfeasible(
            [],
            [],
            [
                UnderloadedReviewer(
                    problem.reviewers[int(r)].id,
                    int(problem.reviewer_min[r]),
                    int(given_per_reviewer[r]),
                    "its candidate items are taken up to their max_reviewers by other "
                    "reviewers' minimum loads",
                )
                for r in underloaded_positions
            ],
        )
    return AssignmentInfeasible(
        ["the items' minimum reviewers and the reviewers' minimum loads cannot be met together"]
    )


def _node_inflow(
    solver: max_flow.SimpleMaxFlow, tails: np.ndarray, heads: np.ndarray
) -> np.ndarray:
    flows = solver.flows(np.arange(len(tails)))
    return np.bincount(heads, weights=flows, minlength=int(heads.max()) + 1).astype(np.int64)


def _node_outflow(
    solver: max_flow.SimpleMaxFlow, tails: np.ndarray, heads: np.ndarray
) -> np.ndarray:
    flows = solver.flows(np.arange(len(tails)))
    return np.bincount(tails, weights=flows, minlength=int(tails.max()) + 1).astype(np.int64)
