"""Students to internships and jobs: a stable matching or a welfare-optimal assignment.

Preferences come from both sides; where a side states none they are derived from the
engine's scores (and, for openings with neither, from a seeded lottery):

- a student without preferences ranks the openings that have a score with them, best first;
- an opening without preferences ranks the students scored for it, best first, then every other
  student who listed it, in lottery order (an opening that says nothing accepts any applicant);
- equal scores are broken by the lottery, so results are deterministic given ``seed``.

A pair is *acceptable* when the student lists the opening and the opening ranks the student.

``stable``
    student-proposing deferred acceptance (Gale–Shapley with capacities): no student and
    opening would both rather have each other than what they got, and every student gets the
    best opening they can have in any stable matching.
``optimal``
    the most students placed, and among those placements the lowest total rank (first choice
    counts 1, second 2, …): a min-cost max-flow (OR-Tools). It may leave blocking pairs; the
    summary counts them.

A round may cap how many openings a student ranks (``max_choices``): a longer stated list is
an error, a list derived from scores is cut to that length. The result counts placements by
choice rank and lists unplaced students and unfilled openings. A **second phase**
(:func:`match_second_phase`) runs the same method again on the students the first phase left
unplaced and the positions still open, with nothing placed in the first phase moved; a student's
list keeps only the openings that still have room (a round usually collects new lists first).
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from ortools.graph.python import min_cost_flow

Method = Literal["stable", "optimal"]
METHODS: tuple[Method, ...] = ("stable", "optimal")


@dataclass(frozen=True)
class Student:
    """A student and the openings they want, most wanted first (empty: derive from scores)."""

    id: str
    preferences: tuple[str, ...] = ()


@dataclass(frozen=True)
class Opening:
    """An internship or job with ``capacity`` places; ``preferences`` ranks students (or None)."""

    id: str
    capacity: int
    preferences: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.capacity < 0:
            raise ValueError(f"opening {self.id!r}: capacity must not be negative")


@dataclass(frozen=True)
class StudentScore:
    """How well ``student`` fits ``opening`` (the engine's score; higher is better)."""

    student: str
    opening: str
    score: float


@dataclass(frozen=True)
class Placement:
    student: str
    opening: str | None
    rank: int | None  # 1 = the student's first choice; None when not placed


@dataclass(frozen=True)
class StudentMatching:
    placements: tuple[Placement, ...]
    method: Method
    blocking_pairs: int
    solve_seconds: float
    capacities: Mapping[str, int] = field(default_factory=dict)  # positions per opening
    phase: int = 1

    @property
    def unplaced_students(self) -> tuple[str, ...]:
        return tuple(p.student for p in self.placements if p.opening is None)

    @property
    def unfilled(self) -> dict[str, int]:
        """Openings with positions left after this match, and how many."""
        taken = Counter(p.opening for p in self.placements if p.opening is not None)
        return {
            opening: capacity - taken[opening]
            for opening, capacity in self.capacities.items()
            if capacity > taken[opening]
        }

    @property
    def rank_counts(self) -> dict[int, int]:
        """How many students got their 1st, 2nd, … choice."""
        counts = Counter(p.rank for p in self.placements if p.rank is not None)
        return dict(sorted(counts.items()))

    @property
    def unplaced(self) -> int:
        return sum(1 for p in self.placements if p.opening is None)

    def opening_of(self, student_id: str) -> str | None:
        return next(p.opening for p in self.placements if p.student == student_id)

    def summary(self) -> dict[str, object]:
        return {
            "method": self.method,
            "method_description": {
                "stable": "student-proposing deferred acceptance (stable, student-optimal)",
                "optimal": "most students placed, then lowest total rank (min-cost flow)",
            }[self.method],
            "students": len(self.placements),
            "placed": len(self.placements) - self.unplaced,
            "unplaced": self.unplaced,
            "choice_counts": {str(rank): count for rank, count in self.rank_counts.items()},
            "phase": self.phase,
            "openings": len(self.capacities),
            "positions": sum(self.capacities.values()),
            "unfilled_openings": len(self.unfilled),
            "unfilled_positions": sum(self.unfilled.values()),
            "total_rank": sum(p.rank for p in self.placements if p.rank is not None),
            "blocking_pairs": self.blocking_pairs,
            "status": "optimal" if self.method == "optimal" else "stable",
            "solve_seconds": round(self.solve_seconds, 3),
        }


def resolve_preferences(
    students: Sequence[Student],
    openings: Sequence[Opening],
    scores: Iterable[StudentScore] = (),
    *,
    seed: int = 0,
    max_choices: int | None = None,
) -> tuple[list[Student], list[Opening]]:
    """Fill in the preferences a side did not state (see the module docstring for the rules).

    Raises ``ValueError`` for duplicate or unknown ids, a list naming an id twice, or a stated
    student list longer than ``max_choices`` (a derived one is cut to that length).
    """
    if max_choices is not None and max_choices < 1:
        raise ValueError(f"max_choices must be at least 1, got {max_choices}")
    student_ids = _unique_ids("student", [s.id for s in students])
    opening_ids = _unique_ids("opening", [o.id for o in openings])
    for student in students:
        _check_list(f"student {student.id!r} preferences", student.preferences, opening_ids)
        if max_choices is not None and len(student.preferences) > max_choices:
            raise ValueError(
                f"student {student.id!r} ranks {len(student.preferences)} openings, more than "
                f"the {max_choices} this round allows"
            )
    for opening in openings:
        if opening.preferences is not None:
            _check_list(f"opening {opening.id!r} preferences", opening.preferences, student_ids)

    lottery = {
        student.id: position
        for position, student in zip(
            np.random.default_rng(seed).permutation(len(students)), students, strict=True
        )
    }
    opening_lottery = {opening.id: position for position, opening in enumerate(openings)}
    scored_openings: dict[str, dict[str, float]] = {s.id: {} for s in students}
    scored_students: dict[str, dict[str, float]] = {o.id: {} for o in openings}
    for score in scores:
        if score.student not in student_ids:
            raise ValueError(f"score names unknown student {score.student!r}")
        if score.opening not in opening_ids:
            raise ValueError(f"score names unknown opening {score.opening!r}")
        if score.opening in scored_openings[score.student]:
            raise ValueError(
                f"more than one score for student {score.student!r} and opening {score.opening!r}"
            )
        scored_openings[score.student][score.opening] = score.score
        scored_students[score.opening][score.student] = score.score

    resolved_students = []
    for student in students:
        preferences = student.preferences
        if not preferences:
            scored = scored_openings[student.id]
            preferences = tuple(sorted(scored, key=lambda o: (-scored[o], opening_lottery[o])))
            preferences = preferences[:max_choices]
        resolved_students.append(Student(student.id, preferences))

    applicants: dict[str, list[str]] = {o.id: [] for o in openings}
    for student in resolved_students:
        for opening_id in student.preferences:
            applicants[opening_id].append(student.id)
    resolved_openings = []
    for opening in openings:
        ranking = opening.preferences
        if ranking is None:
            scored = scored_students[opening.id]
            ranking = tuple(sorted(scored, key=lambda s: (-scored[s], lottery[s])))
            unscored = [s for s in applicants[opening.id] if s not in scored]
            ranking += tuple(sorted(unscored, key=lottery.__getitem__))
        resolved_openings.append(Opening(opening.id, opening.capacity, ranking))
    return resolved_students, resolved_openings


def match_students(
    students: Sequence[Student],
    openings: Sequence[Opening],
    scores: Iterable[StudentScore] = (),
    *,
    method: Method = "stable",
    seed: int = 0,
    max_choices: int | None = None,
) -> StudentMatching:
    """Match students to openings by ``method`` ("stable" or "optimal").

    ``max_choices`` caps the openings a student may rank (see :func:`resolve_preferences`).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    started = time.perf_counter()
    students, openings = resolve_preferences(
        students, openings, scores, seed=seed, max_choices=max_choices
    )
    if method == "stable":
        chosen = _deferred_acceptance(students, openings)
    else:
        chosen = _min_rank_max_placement(students, openings)
    placements = tuple(
        Placement(
            s.id,
            chosen.get(s.id),
            s.preferences.index(chosen[s.id]) + 1 if s.id in chosen else None,
        )
        for s in students
    )
    return StudentMatching(
        placements=placements,
        method=method,
        blocking_pairs=len(find_blocking_pairs(chosen, students, openings)),
        solve_seconds=time.perf_counter() - started,
        capacities={o.id: o.capacity for o in openings},
    )


def second_phase_market(
    first: StudentMatching,
    students: Sequence[Student],
    openings: Sequence[Opening],
) -> tuple[list[Student], list[Opening]]:
    """The market a second phase runs on: the students ``first`` left unplaced, and the
    openings with positions left (capacity reduced by what ``first`` filled).

    ``students`` and ``openings`` may carry new preference lists for the second phase; a
    student's list keeps only the openings still open and an opening's ranking only the
    students still unplaced. Students ``first`` placed are left out even if listed, and so are
    students whose stated list names no opening still open (an empty list would otherwise
    mean "derive it from the scores").
    """
    known = {p.student for p in first.placements}
    _unique_ids("student", [s.id for s in students])
    _unique_ids("opening", [o.id for o in openings])
    strangers = [s.id for s in students if s.id not in known]
    if strangers:
        raise ValueError(f"students not in the first phase: {', '.join(map(repr, strangers[:5]))}")
    unknown_openings = [o.id for o in openings if o.id not in first.capacities]
    if unknown_openings:
        raise ValueError(
            f"openings not in the first phase: {', '.join(map(repr, unknown_openings[:5]))}"
        )
    left = first.unfilled
    unplaced = set(first.unplaced_students)
    remaining_students = [
        Student(s.id, tuple(o for o in s.preferences if o in left))
        for s in students
        if s.id in unplaced and (not s.preferences or any(o in left for o in s.preferences))
    ]
    in_market = {s.id for s in remaining_students}
    remaining_openings = [
        Opening(
            o.id,
            left[o.id],
            None if o.preferences is None else tuple(s for s in o.preferences if s in in_market),
        )
        for o in openings
        if o.id in left
    ]
    return remaining_students, remaining_openings


def match_second_phase(
    first: StudentMatching,
    students: Sequence[Student],
    openings: Sequence[Opening],
    scores: Iterable[StudentScore] = (),
    *,
    method: Method = "stable",
    seed: int = 0,
    max_choices: int | None = None,
) -> StudentMatching:
    """Match the students ``first`` left unplaced to the positions still open (see
    :func:`second_phase_market`); the first phase's placements do not move.

    Scores naming a student or opening that is no longer in the market are left out.
    """
    remaining_students, remaining_openings = second_phase_market(first, students, openings)
    student_ids = {s.id for s in remaining_students}
    opening_ids = {o.id for o in remaining_openings}
    kept_scores = [
        score for score in scores if score.student in student_ids and score.opening in opening_ids
    ]
    second = match_students(
        remaining_students,
        remaining_openings,
        kept_scores,
        method=method,
        seed=seed,
        max_choices=max_choices,
    )
    in_market = {p.student for p in second.placements}
    left_out = tuple(
        Placement(s.id, None, None)
        for s in students
        if s.id in set(first.unplaced_students) and s.id not in in_market
    )
    return StudentMatching(
        placements=second.placements + left_out,
        method=second.method,
        blocking_pairs=second.blocking_pairs,
        solve_seconds=second.solve_seconds,
        capacities=second.capacities,
        phase=first.phase + 1,
    )


def find_blocking_pairs(
    chosen: dict[str, str], students: Sequence[Student], openings: Sequence[Opening]
) -> list[tuple[str, str]]:
    """Pairs (student, opening) that would both rather have each other than ``chosen`` gives.

    ``students`` and ``openings`` must carry resolved preferences (see
    :func:`resolve_preferences`).
    """
    rank_of_student = {o.id: {s: k for k, s in enumerate(o.preferences or ())} for o in openings}
    opening_by_id = {o.id: o for o in openings}
    held: dict[str, list[str]] = {o.id: [] for o in openings}
    for student_id, opening_id in chosen.items():
        held[opening_id].append(student_id)
    blocking = []
    for student in students:
        current = chosen.get(student.id)
        for opening_id in student.preferences:
            if opening_id == current:
                break  # every later opening is worse for the student
            ranks = rank_of_student[opening_id]
            if student.id not in ranks:
                continue
            opening = opening_by_id[opening_id]
            holders = held[opening_id]
            if len(holders) < opening.capacity or any(
                ranks[student.id] < ranks[other] for other in holders
            ):
                blocking.append((student.id, opening_id))
    return blocking


def _deferred_acceptance(
    students: Sequence[Student], openings: Sequence[Opening]
) -> dict[str, str]:
    rank_of_student = {o.id: {s: k for k, s in enumerate(o.preferences or ())} for o in openings}
    capacity = {o.id: o.capacity for o in openings}
    preferences = {s.id: s.preferences for s in students}
    next_choice = dict.fromkeys(preferences, 0)
    held: dict[str, list[str]] = {o.id: [] for o in openings}
    free = deque(s.id for s in students)
    while free:
        student_id = free.popleft()
        if next_choice[student_id] >= len(preferences[student_id]):
            continue  # has asked every opening on the list: stays unplaced
        opening_id = preferences[student_id][next_choice[student_id]]
        next_choice[student_id] += 1
        ranks = rank_of_student[opening_id]
        if student_id not in ranks or capacity[opening_id] == 0:
            free.append(student_id)
            continue
        holders = held[opening_id]
        holders.append(student_id)
        if len(holders) > capacity[opening_id]:
            worst = max(holders, key=ranks.__getitem__)
            holders.remove(worst)
            free.append(worst)
    return {s: o for o, holders in held.items() for s in holders}


def _min_rank_max_placement(
    students: Sequence[Student], openings: Sequence[Opening]
) -> dict[str, str]:
    opening_position = {o.id: k for k, o in enumerate(openings)}
    rank_of_student = {o.id: set(o.preferences or ()) for o in openings}
    student_count = len(students)
    source, sink = 0, 1 + student_count + len(openings)
    tails, heads, capacities, costs, pair_of_arc = [], [], [], [], []
    for k, student in enumerate(students):
        tails.append(source)
        heads.append(1 + k)
        capacities.append(1)
        costs.append(0)
        for rank, opening_id in enumerate(student.preferences, start=1):
            if student.id in rank_of_student[opening_id]:
                pair_of_arc.append((len(tails), student.id, opening_id))
                tails.append(1 + k)
                heads.append(1 + student_count + opening_position[opening_id])
                capacities.append(1)
                costs.append(rank)
    for k, opening in enumerate(openings):
        tails.append(1 + student_count + k)
        heads.append(sink)
        capacities.append(opening.capacity)
        costs.append(0)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.asarray(tails, dtype=np.int32),
        np.asarray(heads, dtype=np.int32),
        np.asarray(capacities, dtype=np.int64),
        np.asarray(costs, dtype=np.int64),
    )
    solver.set_node_supply(source, student_count)
    solver.set_node_supply(sink, -student_count)
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow solver stopped with status {status}")
    if not pair_of_arc:
        return {}
    flows = solver.flows(np.asarray([arc for arc, _, _ in pair_of_arc], dtype=np.int32))
    return {
        student_id: opening_id
        for (_, student_id, opening_id), flow in zip(pair_of_arc, flows, strict=True)
        if flow > 0
    }


def _unique_ids(kind: str, ids: list[str]) -> set[str]:
    unique = set(ids)
    if len(unique) != len(ids):
        duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)[:5]
        raise ValueError(f"duplicate {kind} ids: {', '.join(duplicates)}")
    return unique


def _check_list(what: str, listed: Sequence[str], known: set[str]) -> None:
    unknown = [x for x in listed if x not in known]
    if unknown:
        raise ValueError(f"{what} name unknown ids: {', '.join(map(repr, unknown[:5]))}")
    if len(set(listed)) != len(listed):
        raise ValueError(f"{what} list an id twice")
