"""Reviewer assignment with bids and ranked alternates: a declined invitation is filled at once
without moving any other assignment."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sangsaeng.engine.assignment import (
    BID_KINDS,
    Affinity,
    AssignmentInfeasible,
    Bid,
    BidBonuses,
    Conflict,
    Item,
    Reviewer,
    assign_reviewers,
)


def test_an_eager_bid_wins_a_close_call_and_not_willing_loses_it():
    items = [Item("app-1", 1, 1)]
    reviewers = [Reviewer("kim", 1), Reviewer("lee", 1)]
    affinities = [Affinity("app-1", "kim", 0.62), Affinity("app-1", "lee", 0.60)]
    assert assign_reviewers(items, reviewers, affinities).reviewers_of("app-1") == ["kim"]
    eager = assign_reviewers(items, reviewers, affinities, bids=[Bid("app-1", "lee", "eager")])
    assert eager.reviewers_of("app-1") == ["lee"]
    (pair,) = eager.pairs
    assert (pair.score, pair.affinity, pair.bid) == (pytest.approx(0.70), 0.60, "eager")
    unwilling = assign_reviewers(
        items, reviewers, affinities, bids=[Bid("app-1", "kim", "not_willing")]
    )
    assert unwilling.reviewers_of("app-1") == ["lee"]
    assert unwilling.summary()["bids"]["not_willing_candidates"] == 1
    assert unwilling.summary()["bids"]["not_willing_assigned"] == 0


def test_a_conflict_always_wins_over_an_eager_bid():
    items = [Item("app-1", 1, 1)]
    reviewers = [Reviewer("kim", 1), Reviewer("lee", 1)]
    affinities = [Affinity("app-1", "kim", 0.9), Affinity("app-1", "lee", 0.1)]
    result = assign_reviewers(
        items,
        reviewers,
        affinities,
        [Conflict("app-1", "kim", "same organisation")],
        bids=[Bid("app-1", "kim", "eager")],
    )
    assert result.reviewers_of("app-1") == ["lee"]
    assert all(a.reviewer != "kim" for a in result.alternates)


def test_bid_bonuses_can_be_changed():
    items = [Item("app-1", 1, 1)]
    reviewers = [Reviewer("kim", 1), Reviewer("lee", 1)]
    affinities = [Affinity("app-1", "kim", 0.62), Affinity("app-1", "lee", 0.60)]
    result = assign_reviewers(
        items,
        reviewers,
        affinities,
        bids=[Bid("app-1", "lee", "willing")],
        bid_bonuses=BidBonuses(willing=0.01),
    )
    assert result.reviewers_of("app-1") == ["kim"]


@pytest.mark.parametrize(
    ("bids", "message"),
    [
        ([Bid("app-1", "park", "eager")], "bid eager on item 'app-1' but the pair has no affinity"),
        ([Bid("app-9", "kim", "eager")], "bid names unknown item 'app-9'"),
        ([Bid("app-1", "choi", "willing")], "bid names unknown reviewer 'choi'"),
        (
            [Bid("app-1", "kim", "eager"), Bid("app-1", "kim", "willing")],
            "reviewer 'kim' bid twice on item 'app-1'",
        ),
    ],
)
def test_bad_bids_say_what_is_wrong(bids, message):
    items = [Item("app-1", 1, 1)]
    reviewers = [Reviewer("kim", 1), Reviewer("park", 1)]
    with pytest.raises(ValueError, match=message):
        assign_reviewers(items, reviewers, [Affinity("app-1", "kim", 0.5)], bids=bids)


def test_not_willing_on_a_pair_that_is_not_a_candidate_changes_nothing():
    items = [Item("app-1", 1, 1)]
    reviewers = [Reviewer("kim", 1), Reviewer("park", 1)]
    result = assign_reviewers(
        items,
        reviewers,
        [Affinity("app-1", "kim", 0.5)],
        bids=[Bid("app-1", "park", "not_willing")],
    )
    assert result.reviewers_of("app-1") == ["kim"]


def test_bad_bid_kind_and_alternate_count_are_refused():
    with pytest.raises(ValueError, match="kind must be one of eager, willing, not_willing"):
        Bid("app-1", "kim", "keen")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alternates must not be negative"):
        assign_reviewers([], [], [], alternates=-1)


def test_alternates_are_the_next_best_with_spare_load_and_fill_a_declined_invitation():
    items = [Item("app-1", 2, 2), Item("app-2", 1, 1)]
    reviewers = [Reviewer("kim", 1), Reviewer("lee", 1), Reviewer("park", 2), Reviewer("choi", 1)]
    affinities = [
        Affinity("app-1", "kim", 0.9),
        Affinity("app-1", "lee", 0.8),
        Affinity("app-1", "park", 0.7),
        Affinity("app-1", "choi", 0.6),
        Affinity("app-2", "park", 0.9),
        Affinity("app-2", "kim", 0.5),
    ]
    result = assign_reviewers(items, reviewers, affinities, alternates=3)
    assert result.reviewers_of("app-1") == ["kim", "lee"]
    assert result.reviewers_of("app-2") == ["park"]
    assert [(a.reviewer, a.rank, a.spare_load) for a in result.alternates_of("app-1")] == [
        ("park", 1, 1),
        ("choi", 2, 1),
    ]
    assert result.alternates_of("app-2") == []  # kim is full, nobody else has an affinity
    assert result.items_short_of_alternates == ("app-1", "app-2")
    # lee declines app-1: park takes the place; kim and app-2 stay as they were.
    first = result.replacement_for("app-1", declined=[("app-1", "lee")])
    assert first is not None and first.reviewer == "park"
    # then park declines too: choi is next.
    second = result.replacement_for(
        "app-1", declined=[("app-1", "lee"), ("app-1", "park")], replacements=[("app-1", "park")]
    )
    assert second is not None and second.reviewer == "choi"
    # once choi is used elsewhere, nobody is left.
    assert (
        result.replacement_for(
            "app-1",
            declined=[("app-1", "lee"), ("app-1", "park")],
            replacements=[("app-1", "park"), ("app-9", "choi")],
        )
        is None
    )


@st.composite
def markets(draw: st.DrawFn):
    items = [Item(f"i{k}", 1, draw(st.integers(1, 2))) for k in range(draw(st.integers(1, 5)))]
    reviewers = [Reviewer(f"r{k}", draw(st.integers(1, 3))) for k in range(draw(st.integers(2, 7)))]
    affinities, conflicts, bids = [], [], []
    for item in items:
        for reviewer in reviewers:
            kind = draw(st.sampled_from(["score", "score", "score", "absent", "conflict"]))
            if kind != "absent":
                affinities.append(Affinity(item.id, reviewer.id, draw(st.integers(0, 20)) / 20))
                bid = draw(st.none() | st.sampled_from(BID_KINDS))
                if bid is not None:
                    bids.append(Bid(item.id, reviewer.id, bid))
            if kind == "conflict":
                conflicts.append(Conflict(item.id, reviewer.id))
    return items, reviewers, affinities, conflicts, bids


@settings(max_examples=200, deadline=None)
@given(market=markets(), per_item=st.integers(1, 3), objective=st.sampled_from(["total", "fair"]))
def test_declines_are_filled_from_alternates_without_moving_anything_else(
    market, per_item, objective
):
    items, reviewers, affinities, conflicts, bids = market
    try:
        result = assign_reviewers(
            items, reviewers, affinities, conflicts, objective=objective, bids=bids,
            alternates=per_item,
        )  # fmt: skip
    except AssignmentInfeasible:
        assume(False)
    conflicted = {(c.item, c.reviewer) for c in conflicts}
    max_load = {r.id: r.max_load for r in reviewers}
    assigned = {(p.item, p.reviewer) for p in result.pairs}
    load = Counter(p.reviewer for p in result.pairs)
    scored = {(a.item, a.reviewer) for a in affinities}
    for item in items:
        alternates = result.alternates_of(item.id)
        assert len(alternates) <= per_item
        assert [a.rank for a in alternates] == list(range(1, len(alternates) + 1))
        assert [a.score for a in alternates] == sorted((a.score for a in alternates), reverse=True)
        for alternate in alternates:
            key = (item.id, alternate.reviewer)
            assert key in scored and key not in conflicted and key not in assigned
            assert alternate.spare_load == max_load[alternate.reviewer] - load[alternate.reviewer]
            assert alternate.spare_load > 0
        # No better open candidate was left out.
        if len(alternates) < per_item:
            open_candidates = {
                a.reviewer
                for a in affinities
                if a.item == item.id
                and (a.item, a.reviewer) not in conflicted | assigned
                and load[a.reviewer] < max_load[a.reviewer]
            }
            assert open_candidates == {a.reviewer for a in alternates}

    # Every assigned reviewer declines in turn; each decline is filled from the alternates
    # when one has room, and no other pair ever moves.
    declined: list[tuple[str, str]] = []
    replacements: list[tuple[str, str]] = []
    for pair in result.pairs:
        declined.append((pair.item, pair.reviewer))
        replacement = result.replacement_for(
            pair.item, declined=declined, replacements=replacements
        )
        if replacement is not None:
            assert replacement in result.alternates_of(pair.item)
            replacements.append((pair.item, replacement.reviewer))
        current = (assigned - set(declined)) | set(replacements) - set(declined)
        now = Counter(reviewer for _item, reviewer in current)
        assert all(now[r] <= max_load[r] for r in now)
        assert not current & conflicted
        assert len(current) == len({(i, r) for i, r in current})  # nobody twice on an item


@settings(max_examples=150, deadline=None)
@given(market=markets(), objective=st.sampled_from(["total", "fair"]))
def test_bids_act_exactly_as_their_bonuses_added_to_the_affinities(market, objective):
    items, reviewers, affinities, conflicts, bids = market
    bonuses = BidBonuses()
    bonus = {(b.item, b.reviewer): bonuses.bonus(b.kind) for b in bids}
    adjusted = [
        Affinity(a.item, a.reviewer, a.score + bonus.get((a.item, a.reviewer), 0.0))
        for a in affinities
    ]
    try:
        with_bids = assign_reviewers(
            items, reviewers, affinities, conflicts, objective=objective, bids=bids
        )
    except AssignmentInfeasible:
        with pytest.raises(AssignmentInfeasible):
            assign_reviewers(items, reviewers, adjusted, conflicts, objective=objective)
        return
    plain = assign_reviewers(items, reviewers, adjusted, conflicts, objective=objective)
    assert with_bids.total_affinity == pytest.approx(plain.total_affinity)
    assert with_bids.minimum_pair_affinity == pytest.approx(plain.minimum_pair_affinity)
    for pair in with_bids.pairs:
        assert pair.score == pytest.approx(
            pair.affinity + bonus.get((pair.item, pair.reviewer), 0.0)
        )
