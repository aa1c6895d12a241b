"""Ranking and budget selection: normalisation, ties, greedy, brute-force optima, infeasibility."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sangsaeng.engine.selection import (
    FundingApplication,
    ReviewScore,
    SelectionInfeasible,
    rank_applications,
    select_within_budget,
)


def reviews_from(table: dict[str, dict[str, float]]) -> list[ReviewScore]:
    """{reviewer: {application: score}} as review records."""
    return [
        ReviewScore(application, reviewer, score)
        for reviewer, scores in table.items()
        for application, score in scores.items()
    ]


# --- ranking -------------------------------------------------------------------------------


def test_normalising_removes_a_lenient_reviewers_generosity():
    # The lenient reviewer gives everything 20 points more; by the mean, the applications they
    # happened to review win. Standardised per reviewer, the two panels' best are level.
    reviews = reviews_from(
        {
            "lenient": {"a": 95, "b": 90, "c": 85},
            "severe": {"d": 75, "e": 70, "f": 65},
        }
    )
    ranking = rank_applications(list("abcdef"), reviews)
    assert [e.application for e in ranking.ordered("mean")] == list("abcdef")
    a, d = ranking.entry("a"), ranking.entry("d")
    assert a.z_score == pytest.approx(d.z_score)
    assert a.rank_normalised == d.rank_normalised == 1
    assert a.tied_normalised == ("d",) and d.tied_normalised == ("a",)
    assert ranking.entry("c").rank_normalised == 5
    assert {r.basis for r in ranking.reviewers} == {"own"}


def test_normalised_score_reads_on_the_panels_scale():
    reviews = reviews_from({"r1": {"a": 80, "b": 60}, "r2": {"a": 70, "b": 50}})
    ranking = rank_applications(["a", "b"], reviews)
    # panel mean 65, sd 11.18; a is one sd above each reviewer's mean.
    assert ranking.panel_mean == pytest.approx(65)
    assert ranking.entry("a").z_score == pytest.approx(1.0)
    assert ranking.entry("a").normalised_score == pytest.approx(65 + np.std([80, 60, 70, 50]))
    assert ranking.entry("a").mean_score == pytest.approx(75)


def test_reviewers_with_one_review_or_no_spread_are_standardised_against_the_panel():
    reviews = reviews_from(
        {
            "regular": {"a": 80, "b": 60, "c": 70},
            "once": {"d": 90},
            "flat": {"a": 70, "c": 70},
        }
    )
    ranking = rank_applications(list("abcd"), reviews)
    basis = {r.reviewer: r.basis for r in ranking.reviewers}
    assert basis == {"flat": "panel", "once": "panel", "regular": "own"}
    scores = [80, 60, 70, 90, 70, 70]
    expected_d = (90 - np.mean(scores)) / np.std(scores)
    assert ranking.entry("d").z_score == pytest.approx(expected_d)
    assert ranking.entry("d").rank_normalised == 1  # well above the panel's average


def test_when_every_score_is_equal_nothing_is_told_apart():
    ranking = rank_applications(["a", "b"], reviews_from({"r": {"a": 70}, "s": {"b": 70}}))
    assert {r.basis for r in ranking.reviewers} == {"none"}
    assert ranking.entry("a").rank_normalised == ranking.entry("b").rank_normalised == 1
    assert ranking.ties("normalised") == [("a", "b")]
    assert ranking.ties("mean") == [("a", "b")]


def test_ties_share_a_rank_and_the_next_rank_skips():
    reviews = reviews_from({"r": {"a": 90, "b": 80, "c": 80, "d": 70}})
    ranking = rank_applications(list("abcd"), reviews)
    assert [ranking.entry(x).rank_mean for x in "abcd"] == [1, 2, 2, 4]
    assert ranking.entry("b").tied_mean == ("c",)
    assert ranking.summary()["ties_mean"] == [["b", "c"]]


def test_unreviewed_applications_are_listed_last_without_a_rank():
    ranking = rank_applications(["a", "b"], reviews_from({"r": {"a": 50}}))
    assert [e.application for e in ranking.ordered()] == ["a", "b"]
    assert ranking.entry("b").rank_normalised is None and ranking.entry("b").reviews == 0


@st.composite
def panels(draw: st.DrawFn):
    applications = [f"a{k}" for k in range(draw(st.integers(2, 6)))]
    reviewers = [f"r{k}" for k in range(draw(st.integers(1, 4)))]
    table = {}
    for reviewer in reviewers:
        chosen = draw(st.lists(st.sampled_from(applications), min_size=2, unique=True))
        scores = draw(st.lists(st.integers(0, 10), min_size=len(chosen), max_size=len(chosen)))
        table[reviewer] = dict(zip(chosen, map(float, scores), strict=True))
    return applications, table


@settings(max_examples=150, deadline=None)
@given(
    panel=panels(),
    scale=st.floats(0.1, 10),
    shift=st.floats(-50, 50),
    which=st.integers(0, 3),
)
def test_normalised_ranking_ignores_how_generous_or_spread_out_a_reviewer_is(
    panel, scale, shift, which
):
    applications, table = panel
    ranking = rank_applications(applications, reviews_from(table))
    assume(all(r.basis == "own" for r in ranking.reviewers))
    reviewer = sorted(table)[which % len(table)]
    rescaled = dict(table)
    rescaled[reviewer] = {a: s * scale + shift for a, s in table[reviewer].items()}
    again = rank_applications(applications, reviews_from(rescaled))
    for application in applications:
        before, after = ranking.entry(application), again.entry(application)
        if before.z_score is None:
            assert after.z_score is None
        else:
            assert after.z_score == pytest.approx(before.z_score, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(panel=panels())
def test_ranks_are_competition_ranks_of_the_scores(panel):
    applications, table = panel
    ranking = rank_applications(applications, reviews_from(table))
    reviewed = [e for e in ranking.entries if e.reviews]
    for entry in reviewed:
        better = sum(
            other.mean_score > entry.mean_score + 1e-9 * max(1.0, abs(entry.mean_score))
            for other in reviewed
        )
        assert entry.rank_mean == better + 1
        ties = {o.application for o in reviewed if o.rank_mean == entry.rank_mean}
        assert set(entry.tied_mean) == ties - {entry.application}


# --- selection -----------------------------------------------------------------------------


def simple(scores: dict[str, float], amounts: dict[str, float], areas=None):
    applications = [FundingApplication(a, amounts[a], (areas or {}).get(a)) for a in scores]
    ranking = rank_applications(applications, [ReviewScore(a, "r", s) for a, s in scores.items()])
    return applications, ranking


def test_greedy_goes_down_the_ranking_and_skips_what_no_longer_fits():
    applications, ranking = simple(
        {"a": 90, "b": 80, "c": 70, "d": 60}, {"a": 50, "b": 40, "c": 30, "d": 10}
    )
    selection = select_within_budget(
        applications, ranking, budget=100, method="greedy", rank_by="mean"
    )
    assert [d.application for d in selection.funded] == ["a", "b", "d"]
    c = selection.decision("c")
    assert (c.funded, c.reason) == (False, "does_not_fit")
    assert c.detail == "does not fit: 30 needed, 10 of the budget left when its turn came"
    assert selection.spent == 100


def test_optimised_funds_what_rises_furthest_above_the_baseline_in_sum():
    # Panel mean 70: a adds 25, b and c add 15 each; a alone (budget 100) loses to b + c.
    applications, ranking = simple(
        {"a": 95, "b": 85, "c": 85, "d": 40, "e": 45},
        {"a": 100, "b": 50, "c": 50, "d": 10, "e": 10},
    )
    greedy = select_within_budget(applications, ranking, budget=100, method="greedy")
    optimised = select_within_budget(applications, ranking, budget=100, method="optimised")
    assert [d.application for d in greedy.funded] == ["a"]
    assert {d.application for d in optimised.funded} == {"b", "c"}
    assert optimised.summary()["value_funded"] == pytest.approx(30)
    a = optimised.decision("a")
    assert a.reason == "not_selected" and "does not fit in what is left (0)" in a.detail


def test_optimised_never_funds_below_the_baseline_and_says_so():
    applications, ranking = simple({"a": 90, "b": 50}, {"a": 10, "b": 10})
    selection = select_within_budget(applications, ranking, budget=100)
    assert [d.application for d in selection.funded] == ["a"]
    b = selection.decision("b")
    assert b.reason == "not_selected" and "not above the baseline of 70" in b.detail
    assert selection.summary()["left"] == 90


def test_a_minimum_score_is_a_cut_off_and_the_baseline():
    applications, ranking = simple({"a": 90, "b": 65, "c": 55}, {"a": 10, "b": 10, "c": 10})
    selection = select_within_budget(applications, ranking, budget=100, minimum_score=60)
    assert [d.application for d in selection.funded] == ["a", "b"]
    assert selection.decision("c").reason == "below_minimum_score"
    greedy = select_within_budget(
        applications, ranking, budget=100, minimum_score=60, method="greedy"
    )
    assert [d.application for d in greedy.funded] == ["a", "b"]


def test_requests_over_the_per_award_maximum_are_capped_or_refused():
    applications, ranking = simple({"a": 90, "b": 80}, {"a": 300, "b": 100})
    capped = select_within_budget(
        applications, ranking, budget=1000, max_award=200, method="greedy"
    )
    a = capped.decision("a")
    assert (a.funded, a.amount, a.requested, a.reason) == (True, 200, 300, "funded_capped")
    assert a.detail == "funded at the per-award maximum of 200 (requested 300)"
    refused = select_within_budget(
        applications, ranking, budget=1000, max_award=200, over_maximum="refuse"
    )
    a = refused.decision("a")
    assert (a.funded, a.reason) == (False, "over_maximum")
    assert a.detail == "refused: it requests 300, more than the per-award maximum of 200"


def test_area_minimum_shares_are_honoured_by_the_optimised_proposal():
    applications, ranking = simple(
        {"ai-1": 95, "ai-2": 90, "fab-1": 75, "fab-2": 72},
        {"ai-1": 40, "ai-2": 40, "fab-1": 30, "fab-2": 30},
        {"ai-1": "ai", "ai-2": "ai", "fab-1": "fabless", "fab-2": "fabless"},
    )
    selection = select_within_budget(
        applications, ranking, budget=100, area_minimums={"fabless": 0.3}, minimum_score=70
    )
    funded = {d.application for d in selection.funded}
    assert "fab-1" in funded and selection.spent <= 100
    share = {s.area: s for s in selection.area_shares}["fabless"]
    assert share.met and share.funded_amount >= 30
    greedy = select_within_budget(
        applications, ranking, budget=60, area_minimums={"fabless": 0.6}, method="greedy"
    )
    assert not {s.area: s for s in greedy.area_shares}["fabless"].met  # greedy only reports


@pytest.mark.parametrize(
    ("minimums", "message"),
    [
        ({"ai": 0.6, "fabless": 0.6}, "add up to 120% of the budget"),
        ({"fabless": 0.8}, "its fundable applications ask for only 60 in all"),
        ({"ai": 0.75}, "no combination of its applications adds up to between that"),
    ],
)
def test_impossible_minimum_shares_are_explained_in_words(minimums, message):
    applications, ranking = simple(
        {"ai-1": 95, "ai-2": 90, "fab-1": 75, "fab-2": 72},
        {"ai-1": 40, "ai-2": 70, "fab-1": 30, "fab-2": 30},
        {"ai-1": "ai", "ai-2": "ai", "fab-1": "fabless", "fab-2": "fabless"},
    )
    with pytest.raises(SelectionInfeasible, match=message) as raised:
        select_within_budget(applications, ranking, budget=100, area_minimums=minimums)
    assert raised.value.describe().startswith("no selection meets every minimum share:")


def test_minimums_each_possible_alone_but_not_together_are_reported():
    applications, ranking = simple(
        {"a": 90, "b": 80}, {"a": 60, "b": 60}, {"a": "ai", "b": "fabless"}
    )
    with pytest.raises(SelectionInfeasible, match="cannot be met together"):
        select_within_budget(
            applications, ranking, budget=100, area_minimums={"ai": 0.5, "fabless": 0.5}
        )


def test_ties_are_broken_by_a_seeded_lottery_in_the_greedy_proposal():
    applications, ranking = simple({f"a{k}": 80 for k in range(6)}, {f"a{k}": 10 for k in range(6)})
    first = select_within_budget(applications, ranking, budget=30, method="greedy", seed=4)
    again = select_within_budget(applications, ranking, budget=30, method="greedy", seed=4)
    assert first.decisions == again.decisions
    assert len(first.funded) == 3


@st.composite
def calls(draw: st.DrawFn):
    count = draw(st.integers(1, 7))
    applications = [
        FundingApplication(
            f"a{k}",
            float(draw(st.integers(1, 12))),
            draw(st.sampled_from(["ai", "fabless", None])),
        )
        for k in range(count)
    ]
    reviews = [
        ReviewScore(a.id, f"r{j}", float(draw(st.integers(0, 10))))
        for a in applications
        for j in range(draw(st.integers(1, 2)))
    ]
    budget = float(draw(st.integers(1, 30)))
    max_award = draw(st.none() | st.integers(2, 10).map(float))
    minimums = draw(
        st.dictionaries(st.sampled_from(["ai", "fabless"]), st.sampled_from([0.2, 0.4, 0.6]))
    )
    minimums = {a: s for a, s in minimums.items() if any(x.area == a for x in applications)}
    return applications, reviews, budget, max_award, minimums


@settings(max_examples=200, deadline=None)
@given(call=calls(), over=st.sampled_from(["cap", "refuse"]))
def test_optimised_is_as_good_as_every_subset_and_infeasible_exactly_when_none_fits(call, over):
    applications, reviews, budget, max_award, minimums = call
    ranking = rank_applications(applications, reviews)
    baseline = ranking.panel_mean
    amount, value = {}, {}
    for application in applications:
        if max_award is not None and application.amount > max_award:
            if over == "refuse":
                continue
            amount[application.id] = max_award
        else:
            amount[application.id] = application.amount
        value[application.id] = ranking.entry(application.id).normalised_score - baseline
    area = {a.id: a.area for a in applications}
    best = None
    for size in range(len(amount) + 1):
        for subset in itertools.combinations(sorted(amount), size):
            if sum(amount[a] for a in subset) > budget:
                continue
            if any(
                sum(amount[a] for a in subset if area[a] == name) < share * budget - 1e-9
                for name, share in minimums.items()
            ):
                continue
            total = sum(value[a] for a in subset)
            best = total if best is None else max(best, total)
    arguments = dict(budget=budget, max_award=max_award, over_maximum=over)
    if best is None:
        with pytest.raises(SelectionInfeasible):
            select_within_budget(applications, ranking, area_minimums=minimums, **arguments)
        return
    selection = select_within_budget(applications, ranking, area_minimums=minimums, **arguments)
    assert selection.status == "optimal"
    assert selection.spent <= budget
    assert selection.summary()["value_funded"] == pytest.approx(best, abs=1e-6)
    assert all(share.met for share in selection.area_shares)
    greedy = select_within_budget(applications, ranking, method="greedy", **arguments)
    assert greedy.spent <= budget
    for decision in greedy.decisions:  # whatever greedy skipped did not fit when its turn came
        if decision.reason == "does_not_fit":
            assert decision.requested > 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: FundingApplication("a", 0), "amount must be positive"),
        (lambda: ReviewScore("a", "r", float("inf")), "score must be a finite number"),
        (
            lambda: rank_applications(["a"], [ReviewScore("b", "r", 1)]),
            "unknown application 'b'",
        ),
        (
            lambda: rank_applications(["a"], [ReviewScore("a", "r", 1), ReviewScore("a", "r", 2)]),
            "scored application 'a' twice",
        ),
        (lambda: rank_applications(["a", "a"], []), "duplicate application ids: a"),
    ],
)
def test_bad_input_says_what_is_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"budget": 0}, "budget must be positive"),
        ({"budget": 10, "max_award": -1}, "max_award must be positive"),
        ({"budget": 10, "method": "random"}, "method must be one of greedy, optimised"),
        ({"budget": 10, "over_maximum": "split"}, "over_maximum must be one of cap, refuse"),
        ({"budget": 10, "area_minimums": {"ai": 1.5}}, r"minimum share of area 'ai'"),
        ({"budget": 10, "area_minimums": {"space": 0.1}}, "no application is in area 'space'"),
    ],
)
def test_bad_selection_arguments_say_what_is_wrong(arguments, message):
    applications, ranking = simple({"a": 1}, {"a": 1}, {"a": "ai"})
    with pytest.raises(ValueError, match=message):
        select_within_budget(applications, ranking, **arguments)
