"""Students to internships: stability, student-optimality and welfare against brute force."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sangsaeng.engine.students import (
    Opening,
    Student,
    StudentScore,
    find_blocking_pairs,
    match_students,
    resolve_preferences,
)


@st.composite
def markets(draw: st.DrawFn, max_students: int = 5, max_openings: int = 3):
    student_ids = [f"s{k}" for k in range(draw(st.integers(1, max_students)))]
    opening_ids = [f"o{k}" for k in range(draw(st.integers(1, max_openings)))]
    students = [
        Student(s, tuple(draw(st.permutations(opening_ids))[: draw(st.integers(0, 3))]))
        for s in student_ids
    ]
    openings = []
    for o in opening_ids:
        ranked = draw(st.permutations(student_ids))[: draw(st.integers(0, len(student_ids)))]
        stated = draw(st.booleans())
        openings.append(Opening(o, draw(st.integers(0, 2)), tuple(ranked) if stated else None))
    return students, openings


def all_matchings(students, openings):
    """Every capacity-respecting matching over acceptable pairs, as {student: opening}."""
    accepts = {o.id: set(o.preferences) for o in openings}
    options = [[None, *[o for o in s.preferences if s.id in accepts[o]]] for s in students]
    capacity = {o.id: o.capacity for o in openings}
    for combination in itertools.product(*options):
        load = Counter(o for o in combination if o is not None)
        if all(load[o] <= capacity[o] for o in load):
            yield {s.id: o for s, o in zip(students, combination, strict=True) if o is not None}


def check_matching_respects_constraints(result, students, openings):
    accepts = {o.id: set(o.preferences) for o in openings}
    capacity = {o.id: o.capacity for o in openings}
    load = Counter(p.opening for p in result.placements if p.opening is not None)
    assert all(load[o] <= capacity[o] for o in load)
    preferences = {s.id: s.preferences for s in students}
    for placement in result.placements:
        if placement.opening is not None:
            assert placement.opening in preferences[placement.student]
            assert placement.student in accepts[placement.opening]
            assert preferences[placement.student][placement.rank - 1] == placement.opening


@settings(max_examples=120, deadline=None)
@given(market=markets())
def test_deferred_acceptance_is_stable_and_student_optimal(market):
    students, openings = resolve_preferences(*market, seed=3)
    result = match_students(students, openings, method="stable")
    check_matching_respects_constraints(result, students, openings)
    chosen = {p.student: p.opening for p in result.placements if p.opening is not None}
    assert find_blocking_pairs(chosen, students, openings) == []
    assert result.blocking_pairs == 0

    # Student-optimal: no stable matching gives any student something they prefer.
    position = {s.id: {o: k for k, o in enumerate(s.preferences)} for s in students}

    def rank(student_id, matching):
        opening = matching.get(student_id)
        return position[student_id][opening] if opening else len(position[student_id])

    for matching in all_matchings(students, openings):
        if not find_blocking_pairs(matching, students, openings):
            assert all(rank(s.id, chosen) <= rank(s.id, matching) for s in students)


@settings(max_examples=120, deadline=None)
@given(market=markets())
def test_optimal_places_most_students_then_minimises_total_rank_like_brute_force(market):
    students, openings = resolve_preferences(*market, seed=3)
    result = match_students(students, openings, method="optimal")
    check_matching_respects_constraints(result, students, openings)
    position = {s.id: {o: k + 1 for k, o in enumerate(s.preferences)} for s in students}
    best = min(
        (-len(m), sum(position[s][o] for s, o in m.items()))
        for m in all_matchings(students, openings)
    )
    summary = result.summary()
    assert (-summary["placed"], summary["total_rank"]) == best


def test_optimal_places_more_students_than_stable_at_the_cost_of_a_blocking_pair():
    # The lab prefers kim, who would also take the fab; lee only wants the lab.
    students = [Student("kim", ("lab", "fab")), Student("lee", ("lab",))]
    openings = [Opening("lab", 1, ("kim", "lee")), Opening("fab", 1, ("kim",))]
    stable = match_students(students, openings, method="stable")
    optimal = match_students(students, openings, method="optimal")
    assert stable.opening_of("kim") == "lab" and stable.opening_of("lee") is None
    assert stable.rank_counts == {1: 1} and stable.unplaced == 1
    assert optimal.opening_of("kim") == "fab" and optimal.opening_of("lee") == "lab"
    assert optimal.rank_counts == {1: 1, 2: 1}
    assert optimal.summary()["choice_counts"] == {"1": 1, "2": 1}
    assert optimal.blocking_pairs == 1  # kim and the lab would both rather have each other


def test_preferences_missing_on_both_sides_are_derived_from_scores():
    students = [Student("kim"), Student("lee", ("fab-2",))]
    openings = [Opening("fab-1", 1), Opening("fab-2", 1)]
    scores = [
        StudentScore("kim", "fab-1", 0.4),
        StudentScore("kim", "fab-2", 0.9),
        StudentScore("lee", "fab-2", 0.5),
    ]
    resolved_students, resolved_openings = resolve_preferences(students, openings, scores)
    assert resolved_students[0].preferences == ("fab-2", "fab-1")
    assert resolved_students[1].preferences == ("fab-2",)  # stated lists are kept
    assert resolved_openings[1].preferences == ("kim", "lee")
    result = match_students(students, openings, scores, method="stable")
    assert result.opening_of("kim") == "fab-2"
    assert result.opening_of("lee") is None
    assert result.unplaced == 1


def test_opening_without_preferences_accepts_every_applicant_in_a_seeded_lottery():
    students = [Student(f"s{k}", ("lab",)) for k in range(6)]
    openings = [Opening("lab", 2)]
    first = match_students(students, openings, seed=1)
    again = match_students(students, openings, seed=1)
    assert first.placements == again.placements
    assert sum(p.opening == "lab" for p in first.placements) == 2


@pytest.mark.parametrize(
    ("students", "openings", "scores", "message"),
    [
        ([Student("a", ("x",))], [Opening("y", 1)], [], "name unknown ids: 'x'"),
        ([Student("a"), Student("a")], [], [], "duplicate student ids: a"),
        ([Student("a")], [Opening("x", 1)], [StudentScore("b", "x", 1)], "unknown student"),
        ([Student("a", ("x", "x"))], [Opening("x", 1)], [], "list an id twice"),
    ],
)
def test_bad_inputs_say_what_is_wrong(students, openings, scores, message):
    with pytest.raises(ValueError, match=message):
        match_students(students, openings, scores)


def test_negative_capacity_is_refused():
    with pytest.raises(ValueError, match="capacity must not be negative"):
        Opening("x", -1)
