"""Reviewer assignment: constraints on random instances, brute-force optima, diagnoses."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sangsaeng.engine.assignment import (
    Affinity,
    AffinityMatrix,
    AssignmentInfeasible,
    Coauthorship,
    Conflict,
    Item,
    Reviewer,
    assign_reviewers,
    derive_conflicts,
)


@st.composite
def instances(draw: st.DrawFn, max_items: int = 4, max_reviewers: int = 4):
    item_count = draw(st.integers(1, max_items))
    reviewer_count = draw(st.integers(1, max_reviewers))
    items = []
    for i in range(item_count):
        low = draw(st.integers(0, 2))
        items.append(Item(f"i{i}", low, low + draw(st.integers(0, 1))))
    reviewers = []
    for r in range(reviewer_count):
        low = draw(st.integers(0, 1))
        reviewers.append(Reviewer(f"r{r}", low + draw(st.integers(0, 2)), low))
    affinities, conflicts = [], []
    for item in items:
        for reviewer in reviewers:
            kind = draw(st.sampled_from(["score", "score", "score", "absent", "conflict"]))
            score = draw(st.integers(-3, 9)) / 2
            if kind != "absent":
                affinities.append(Affinity(item.id, reviewer.id, score))
            if kind == "conflict":
                conflicts.append(Conflict(item.id, reviewer.id, "same organisation"))
    return items, reviewers, affinities, conflicts


def brute_force(items, reviewers, affinities, conflicts, objective):
    """The optimum by enumeration of every feasible assignment, or None if there is none.

    total: the best sum. fair: the threshold t* (the highest t such that a feasible assignment
    uses only pairs scoring at least t; an empty assignment meets any t, so t* is capped at the
    best candidate score), then the best sum among assignments that meet t*.
    """
    conflicted = {(c.item, c.reviewer) for c in conflicts}
    score = {(a.item, a.reviewer): a.score for a in affinities}
    choices = []
    for item in items:
        candidates = [r.id for r in reviewers if (item.id, r.id) in score]
        candidates = [r for r in candidates if (item.id, r) not in conflicted]
        options = [
            subset
            for size in range(item.min_reviewers, item.max_reviewers + 1)
            for subset in itertools.combinations(candidates, size)
        ]
        choices.append(options)
    feasible = []
    for combination in itertools.product(*choices):
        load = Counter(r for subset in combination for r in subset)
        if any(not (r.min_load <= load[r.id] <= r.max_load) for r in reviewers):
            continue
        feasible.append(
            [
                score[(item.id, r)]
                for item, subset in zip(items, combination, strict=True)
                for r in subset
            ]
        )
    if not feasible:
        return None
    if objective == "total":
        return (max(sum(scores) for scores in feasible),)
    candidate_scores = [v for (i, r), v in score.items() if (i, r) not in conflicted]
    threshold = min(
        max(min(scores, default=float("inf")) for scores in feasible),
        max(candidate_scores, default=float("inf")),
    )
    best_total = max(
        sum(scores) for scores in feasible if min(scores, default=threshold) >= threshold
    )
    return (threshold, best_total)


def check_constraints(result, items, reviewers, affinities, conflicts):
    score = {(a.item, a.reviewer): a.score for a in affinities}
    conflicted = {(c.item, c.reviewer) for c in conflicts}
    per_item = Counter(pair.item for pair in result.pairs)
    per_reviewer = Counter(pair.reviewer for pair in result.pairs)
    assert len({(p.item, p.reviewer) for p in result.pairs}) == len(result.pairs)
    for item in items:
        assert item.min_reviewers <= per_item[item.id] <= item.max_reviewers
    for reviewer in reviewers:
        assert reviewer.min_load <= per_reviewer[reviewer.id] <= reviewer.max_load
    for pair in result.pairs:
        assert (pair.item, pair.reviewer) not in conflicted
        assert score[(pair.item, pair.reviewer)] == pair.score
    assert result.total_affinity == pytest.approx(sum(p.score for p in result.pairs))


@pytest.mark.parametrize("objective", ["total", "fair"])
@settings(max_examples=60, deadline=None)
@given(instance=instances())
def test_assignment_meets_constraints_and_equals_brute_force_optimum(instance, objective):
    items, reviewers, affinities, conflicts = instance
    best = brute_force(items, reviewers, affinities, conflicts, objective)
    if best is None:
        with pytest.raises(AssignmentInfeasible):
            assign_reviewers(items, reviewers, affinities, conflicts, objective=objective)
        return
    result = assign_reviewers(items, reviewers, affinities, conflicts, objective=objective)
    check_constraints(result, items, reviewers, affinities, conflicts)
    assert result.status == "optimal"
    assert result.objective == objective
    if objective == "fair":
        assert result.minimum_pair_affinity >= best[0] or not result.pairs
        if result.fairness_threshold is not None:
            assert result.fairness_threshold == pytest.approx(best[0])
    assert result.total_affinity == pytest.approx(best[-1], abs=1e-6)


def test_default_gives_every_application_exactly_three_reviewers():
    rng = np.random.default_rng(7)
    items = [Item(f"app-{i}") for i in range(20)]
    reviewers = [Reviewer(f"expert-{r}", max_load=6) for r in range(12)]
    result = assign_reviewers(items, reviewers, AffinityMatrix.from_dense(rng.random((20, 12))))
    assert Counter(p.item for p in result.pairs) == {f"app-{i}": 3 for i in range(20)}
    assert max(Counter(p.reviewer for p in result.pairs).values()) <= 6


def test_fair_objective_raises_the_worst_assignment_at_some_cost_in_total():
    # Total prefers giving the strong reviewer to b (9 + 1 = 10); fair refuses the 1.
    items = [Item("a", 1, 1), Item("b", 1, 1)]
    reviewers = [Reviewer("strong", 1), Reviewer("weak", 1)]
    affinities = [
        Affinity("a", "strong", 5),
        Affinity("a", "weak", 1),
        Affinity("b", "strong", 9),
        Affinity("b", "weak", 4),
    ]
    total = assign_reviewers(items, reviewers, affinities, objective="total")
    fair = assign_reviewers(items, reviewers, affinities, objective="fair")
    assert total.total_affinity == 10 and total.minimum_pair_affinity == 1
    assert fair.total_affinity == 9 and fair.minimum_pair_affinity == 4
    assert fair.fairness_threshold == 4
    assert fair.summary()["objective"] == "fair"


def test_conflicted_pair_is_never_used_even_when_it_is_the_best():
    items = [Item("app", 1, 1)]
    reviewers = [Reviewer("same-org", 1), Reviewer("outsider", 1)]
    affinities = [Affinity("app", "same-org", 10), Affinity("app", "outsider", 1)]
    result = assign_reviewers(
        items, reviewers, affinities, [Conflict("app", "same-org", "same organisation")]
    )
    assert result.reviewers_of("app") == ["outsider"]


def test_item_left_without_enough_reviewers_by_conflicts_is_named_with_the_reason():
    items = [Item("app-1", 2, 2), Item("app-2", 1, 1)]
    reviewers = [Reviewer("x", 2), Reviewer("y", 2)]
    affinities = [Affinity(i.id, r.id, 1.0) for i in items for r in reviewers]
    with pytest.raises(AssignmentInfeasible) as raised:
        assign_reviewers(items, reviewers, affinities, [Conflict("app-1", "y", "co-author")])
    diagnosis = raised.value
    assert [u.item for u in diagnosis.items] == ["app-1"]
    assert diagnosis.items[0].attainable == 1
    assert "1 excluded by conflicts" in diagnosis.items[0].reason
    assert "app-1" in str(diagnosis)


def test_too_few_reviewers_overall_is_reported_with_totals():
    items = [Item(f"a{i}") for i in range(5)]
    reviewers = [Reviewer(f"r{r}", 2) for r in range(4)]
    affinities = [Affinity(i.id, r.id, 1.0) for i in items for r in reviewers]
    with pytest.raises(AssignmentInfeasible, match=r"need at least 15 reviews.*at most 8"):
        assign_reviewers(items, reviewers, affinities)


def test_items_competing_for_the_same_scarce_reviewers_are_diagnosed_as_a_group():
    # Each item alone has 2 eligible reviewers, but a and b share the same two, who can each
    # take only one: Hall's condition fails for {a, b} while the totals look fine.
    items = [Item("a", 2, 2), Item("b", 2, 2), Item("c", 0, 2)]
    reviewers = [Reviewer("x", 1), Reviewer("y", 1), Reviewer("z", 4), Reviewer("w", 4)]
    affinities = [Affinity(i, r, 1.0) for i in ("a", "b") for r in ("x", "y")]
    affinities += [Affinity("c", r, 1.0) for r in ("z", "w")]
    with pytest.raises(AssignmentInfeasible) as raised:
        assign_reviewers(items, reviewers, affinities)
    diagnosis = raised.value
    assert {u.item for u in diagnosis.items} <= {"a", "b"} and diagnosis.items
    assert "together they need 4 reviews" in diagnosis.items[0].reason
    assert "can give only 2" in diagnosis.items[0].reason


def test_reviewer_minimum_load_that_cannot_be_met_is_reported():
    items = [Item("a", 1, 1)]
    reviewers = [Reviewer("x", 3, min_load=2)]
    with pytest.raises(AssignmentInfeasible) as raised:
        assign_reviewers(items, reviewers, [Affinity("a", "x", 1.0)])
    assert raised.value.reviewers[0].reviewer == "x"


def test_pairs_without_affinity_are_not_candidates():
    items = [Item("a", 1, 1)]
    reviewers = [Reviewer("x", 1), Reviewer("y", 1)]
    result = assign_reviewers(items, reviewers, [Affinity("a", "y", -2.0)])
    assert result.reviewers_of("a") == ["y"]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Reviewer("x", -1), "must not be negative"),
        (lambda: Reviewer("x", 1, 2), "exceeds max_load"),
        (lambda: Item("a", 3, 2), "exceeds max_reviewers"),
        (
            lambda: assign_reviewers([Item("a")], [Reviewer("x", 1)], [Affinity("b", "x", 1)]),
            "unknown item 'b'",
        ),
        (
            lambda: assign_reviewers(
                [Item("a", 1, 1)], [Reviewer("x", 1)], [Affinity("a", "x", 1)] * 2
            ),
            "more than one affinity",
        ),
        (
            lambda: assign_reviewers([Item("a")], [Reviewer("x", 1)], [], objective="best"),
            "objective must be one of",
        ),
    ],
)
def test_bad_inputs_raise_value_errors_that_say_what_is_wrong(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_derive_conflicts_covers_organisation_coauthors_partners_and_declarations():
    conflicts = derive_conflicts(
        item_organisations={"app-1": ["fabless-a"], "app-2": ["fabless-b"], "app-3": ["uni"]},
        item_people={"app-3": ["kim"]},
        reviewer_organisations={"lee": ["fabless-a"], "park": ["institute"], "choi": ["uni2"]},
        coauthorships=[Coauthorship("kim", "park", 2024), Coauthorship("kim", "choi", 2015)],
        conflicted_partners={"institute": ["fabless-b"]},
        declared=[Conflict("app-2", "choi", "declared: advisor")],
        current_year=2026,
        coauthorship_years=3,
    )
    reasons = {(c.item, c.reviewer): c.reason for c in conflicts}
    assert reasons[("app-1", "lee")] == "same organisation (fabless-a)"
    assert reasons[("app-2", "park")] == "partner of institute (fabless-b)"
    assert reasons[("app-3", "park")] == "co-author or collaborator of kim"
    assert reasons[("app-2", "choi")] == "declared: advisor"
    assert ("app-3", "choi") not in reasons  # the 2015 co-authorship is too old
    assert len(reasons) == 4
