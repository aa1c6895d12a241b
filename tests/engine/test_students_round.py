"""A placement round: choices capped at N, several positions per opening, stable by default,
counts by choice rank, unplaced students, unfilled openings, and a second phase."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sangsaeng.engine.students import (
    Opening,
    Student,
    StudentScore,
    match_second_phase,
    match_students,
    second_phase_market,
)


@st.composite
def rounds(draw: st.DrawFn):
    """Up to 14 students ranking up to N of up to 6 openings; companies rank some applicants."""
    max_choices = draw(st.integers(1, 4))
    student_ids = [f"s{k:02d}" for k in range(draw(st.integers(1, 14)))]
    opening_ids = [f"o{k}" for k in range(draw(st.integers(1, 6)))]
    students = [
        Student(s, tuple(draw(st.permutations(opening_ids))[: draw(st.integers(0, max_choices))]))
        for s in student_ids
    ]
    openings = []
    for o in opening_ids:
        applicants = [s.id for s in students if o in s.preferences]
        ranked = draw(st.permutations(applicants))
        ranked = ranked[: draw(st.integers(0, len(ranked)))]  # some applicants not acceptable
        openings.append(Opening(o, draw(st.integers(0, 3)), tuple(ranked)))
    return students, openings, max_choices


def blocking_pairs(placed: dict[str, str | None], students, openings) -> list[tuple[str, str]]:
    """Written apart from the module's own check: a student and an opening that ranks them,
    the student preferring it to their placement, the opening with room or holding someone
    it ranks lower."""
    holders: dict[str, list[str]] = {o.id: [] for o in openings}
    for student, opening in placed.items():
        if opening is not None:
            holders[opening].append(student)
    found = []
    for student in students:
        current = placed.get(student.id)
        better = (
            student.preferences
            if current is None
            else student.preferences[: student.preferences.index(current)]
        )
        for opening in openings:
            if opening.id not in better or student.id not in opening.preferences:
                continue
            position = opening.preferences.index
            if len(holders[opening.id]) < opening.capacity or any(
                position(student.id) < position(other) for other in holders[opening.id]
            ):
                found.append((student.id, opening.id))
    return found


@settings(max_examples=300, deadline=None)
@given(market=rounds())
def test_a_stable_round_has_no_blocking_pair_and_its_counts_match_the_result(market):
    students, openings, max_choices = market
    result = match_students(students, openings, max_choices=max_choices)
    placed = {p.student: p.opening for p in result.placements}
    assert blocking_pairs(placed, students, openings) == []
    assert result.blocking_pairs == 0
    # Each placement is acceptable to both sides and within capacity.
    capacity = {o.id: o.capacity for o in openings}
    ranks = {o.id: o.preferences for o in openings}
    load = Counter(o for o in placed.values() if o is not None)
    assert all(load[o] <= capacity[o] for o in load)
    for placement in result.placements:
        if placement.opening is not None:
            assert placement.student in ranks[placement.opening]
    # Counts by choice rank, unplaced students and unfilled openings match the placements.
    preference = {s.id: s.preferences for s in students}
    expected_counts = Counter(
        preference[s].index(o) + 1 for s, o in placed.items() if o is not None
    )
    assert result.rank_counts == dict(sorted(expected_counts.items()))
    assert set(result.unplaced_students) == {s for s, o in placed.items() if o is None}
    assert result.unfilled == {o: capacity[o] - load[o] for o in capacity if capacity[o] > load[o]}
    summary = result.summary()
    assert summary["placed"] + summary["unplaced"] == len(students)
    assert summary["unfilled_positions"] == sum(capacity.values()) - sum(load.values())


@settings(max_examples=200, deadline=None)
@given(market=rounds(), data=st.data())
def test_a_second_phase_fills_only_open_positions_and_moves_nobody_from_the_first(market, data):
    students, openings, max_choices = market
    first = match_students(students, openings, max_choices=max_choices)
    # Unplaced students rank again among all openings (the full ones are dropped).
    opening_ids = [o.id for o in openings]
    new_lists = [
        Student(s, tuple(data.draw(st.permutations(opening_ids))[:max_choices]))
        for s in first.unplaced_students
    ]
    new_rankings = [
        Opening(o.id, o.capacity, tuple(data.draw(st.permutations([s.id for s in new_lists]))))
        for o in openings
    ]
    second = match_second_phase(first, new_lists, new_rankings, max_choices=max_choices)
    assert second.phase == 2
    assert {p.student for p in second.placements} == set(first.unplaced_students)
    left = first.unfilled
    load = Counter(p.opening for p in second.placements if p.opening is not None)
    assert all(opening in left and load[opening] <= left[opening] for opening in load)
    # Stable within the second phase's market.
    market_students, market_openings = second_phase_market(first, new_lists, new_rankings)
    placed = {p.student: p.opening for p in second.placements}
    assert blocking_pairs(placed, market_students, market_openings) == []
    # Together: nobody placed twice, nothing over capacity.
    together = Counter(
        p.opening for p in (*first.placements, *second.placements) if p.opening is not None
    )
    capacity = {o.id: o.capacity for o in openings}
    assert all(together[o] <= capacity[o] for o in together)


def test_a_round_reports_choice_counts_unplaced_students_and_unfilled_openings():
    students = [
        Student("kim", ("npu-intern", "eda-job")),
        Student("lee", ("npu-intern",)),
        Student("park", ("npu-intern", "eda-job")),
        Student("choi", ("pmic-intern",)),
    ]
    openings = [
        Opening("npu-intern", 1, ("lee", "kim", "park")),
        Opening("eda-job", 3, ("kim", "park")),
        Opening("pmic-intern", 2, ()),  # ranks nobody yet: choi is not acceptable
    ]
    result = match_students(students, openings, max_choices=2)
    assert {p.student: p.opening for p in result.placements} == {
        "kim": "eda-job",
        "lee": "npu-intern",
        "park": "eda-job",
        "choi": None,
    }
    assert result.rank_counts == {1: 1, 2: 2}
    assert result.unplaced_students == ("choi",)
    assert result.unfilled == {"eda-job": 1, "pmic-intern": 2}
    summary = result.summary()
    assert (summary["positions"], summary["unfilled_positions"]) == (6, 3)

    # Second phase: choi ranks the openings still open, and pmic now ranks choi.
    second = match_second_phase(
        result,
        [Student("choi", ("npu-intern", "pmic-intern"))],
        [Opening("npu-intern", 1, ("choi",)), Opening("pmic-intern", 2, ("choi",))],
    )
    assert [(p.student, p.opening, p.rank) for p in second.placements] == [
        ("choi", "pmic-intern", 1)  # npu-intern is full, so it left choi's list
    ]
    assert second.unfilled == {"pmic-intern": 1}


def test_a_student_whose_second_phase_list_is_all_full_stays_unplaced_even_with_scores():
    first = match_students(
        [Student("kim", ("lab",)), Student("lee", ("lab",))],
        [Opening("lab", 1, ("kim", "lee")), Opening("fab", 1)],
    )
    second = match_second_phase(
        first,
        [Student("lee", ("lab",))],
        [Opening("lab", 1), Opening("fab", 1)],
        [StudentScore("lee", "fab", 0.9)],
    )
    assert [(p.student, p.opening) for p in second.placements] == [("lee", None)]


def test_max_choices_refuses_longer_lists_and_cuts_derived_ones():
    with pytest.raises(ValueError, match="ranks 3 openings, more than the 2 this round allows"):
        match_students(
            [Student("kim", ("a", "b", "c"))],
            [Opening("a", 1), Opening("b", 1), Opening("c", 1)],
            max_choices=2,
        )
    result = match_students(
        [Student("kim")],
        [Opening("a", 0), Opening("b", 1), Opening("c", 1)],
        [StudentScore("kim", o, s) for o, s in (("a", 0.9), ("b", 0.8), ("c", 0.7))],
        max_choices=1,
    )
    assert result.opening_of("kim") is None  # only "a" was kept, and it has no position
    with pytest.raises(ValueError, match="max_choices must be at least 1"):
        match_students([], [], max_choices=0)


def test_second_phase_refuses_students_or_openings_it_has_never_seen():
    first = match_students([Student("kim", ("lab",))], [Opening("lab", 1)])
    with pytest.raises(ValueError, match="students not in the first phase: 'ghost'"):
        match_second_phase(first, [Student("ghost")], [Opening("lab", 1)])
    with pytest.raises(ValueError, match="openings not in the first phase: 'fab'"):
        match_second_phase(first, [], [Opening("fab", 1)])
