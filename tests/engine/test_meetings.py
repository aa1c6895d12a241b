"""Matchmaking meetings: every constraint on random events, brute-force optima, bad input."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sangsaeng.engine.meetings import (
    MeetingRequest,
    PairAffinity,
    Participant,
    TimeSlot,
    schedule_meetings,
)


@st.composite
def events(draw: st.DrawFn):
    slot_count = draw(st.integers(1, 4))
    slots = [TimeSlot(f"t{k}", is_break=draw(st.booleans()) and k > 0) for k in range(slot_count)]
    slot_ids = [s.id for s in slots]
    participants = []
    for k in range(draw(st.integers(2, 5))):
        available = draw(st.none() | st.frozensets(st.sampled_from(slot_ids)))
        participants.append(
            Participant(
                f"p{k}",
                available,
                max_meetings=draw(st.none() | st.integers(0, 2)),
                max_consecutive=draw(st.none() | st.integers(1, 2)),
            )
        )
    ids = [p.id for p in participants]
    pairs = draw(
        st.lists(st.permutations(ids).map(lambda p: (p[0], p[1])), max_size=5, unique=True)
    )
    requests = [MeetingRequest(a, b, draw(st.integers(1, 3))) for a, b in pairs]
    distinct = {frozenset(pair): pair for pair in pairs[:2]}.values()
    affinities = [PairAffinity(a, b, draw(st.integers(0, 4)) / 4) for a, b in distinct]
    tables = draw(st.integers(1, 2))
    return participants, requests, slots, tables, affinities


def merged_weights(requests, affinities):
    weight: dict[frozenset, float] = Counter()
    for request in requests:
        weight[frozenset((request.requester, request.requested))] += request.priority
    for affinity in affinities:
        key = frozenset((affinity.first, affinity.second))
        if key in weight:
            weight[key] += affinity.score
    return weight


def check_schedule(schedule, participants, slots, tables):
    person = {p.id: p for p in participants}
    slot_position = {s.id: k for k, s in enumerate(slots)}
    breaks = {s.id for s in slots if s.is_break}
    busy = Counter()
    per_slot = Counter()
    for meeting in schedule.meetings:
        assert meeting.slot not in breaks
        per_slot[meeting.slot] += 1
        assert 1 <= meeting.table <= tables
        for party in (meeting.requester, meeting.requested):
            busy[(party, meeting.slot)] += 1
            available = person[party].available
            assert available is None or meeting.slot in available
    assert all(count <= 1 for count in busy.values())
    assert all(count <= tables for count in per_slot.values())
    tables_in_slot = Counter((m.slot, m.table) for m in schedule.meetings)
    assert all(count == 1 for count in tables_in_slot.values())
    pairs = [frozenset((m.requester, m.requested)) for m in schedule.meetings]
    assert len(pairs) == len(set(pairs))
    for participant_id, agenda in schedule.agendas().items():
        p = person[participant_id]
        if p.max_meetings is not None:
            assert len(agenda) <= p.max_meetings
        if p.max_consecutive is not None:
            positions = sorted(slot_position[m.slot] for m in agenda)
            run = 1
            for before, after in itertools.pairwise(positions):
                run = run + 1 if after == before + 1 else 1
                assert run <= p.max_consecutive
        positions = [slot_position[m.slot] for m in agenda]
        assert positions == sorted(positions)


def brute_force_best(participants, requests, slots, tables, affinities):
    weight = merged_weights(requests, affinities)
    pairs = list(weight)
    options = [None, *range(len(slots))]
    best = 0.0
    for choice in itertools.product(options, repeat=len(pairs)):
        meetings = [
            (tuple(pair), slot)
            for pair, slot in zip(pairs, choice, strict=True)
            if slot is not None
        ]
        schedule = _FakeSchedule(meetings, slots)
        if _valid(schedule, participants, slots, tables):
            best = max(best, sum(weight[frozenset(p)] for p, _ in meetings))
    return best


class _FakeSchedule:
    def __init__(self, meetings, slots):
        self.items = [(pair, slots[slot].id) for pair, slot in meetings]


def _valid(schedule, participants, slots, tables):
    person = {p.id: p for p in participants}
    slot_position = {s.id: k for k, s in enumerate(slots)}
    breaks = {s.id for s in slots if s.is_break}
    per_slot = Counter(slot for _, slot in schedule.items)
    if any(count > tables for count in per_slot.values()):
        return False
    agenda: dict[str, list[int]] = {p.id: [] for p in participants}
    for pair, slot in schedule.items:
        if slot in breaks:
            return False
        for party in pair:
            available = person[party].available
            if available is not None and slot not in available:
                return False
            agenda[party].append(slot_position[slot])
    for party, positions in agenda.items():
        positions.sort()
        if len(positions) != len(set(positions)):
            return False
        p = person[party]
        if p.max_meetings is not None and len(positions) > p.max_meetings:
            return False
        if p.max_consecutive is not None:
            run = 1
            for before, after in itertools.pairwise(positions):
                run = run + 1 if after == before + 1 else 1
                if run > p.max_consecutive:
                    return False
    return True


@settings(max_examples=80, deadline=None)
@given(event=events())
def test_schedule_meets_every_constraint_and_equals_brute_force_optimum(event):
    participants, requests, slots, tables, affinities = event
    schedule = schedule_meetings(participants, requests, slots, tables, affinities, relative_gap=0)
    check_schedule(schedule, participants, slots, tables)
    assert schedule.status == "optimal"
    best = brute_force_best(participants, requests, slots, tables, affinities)
    assert schedule.objective == pytest.approx(best)
    assert schedule.lp_bound >= best - 1e-6
    assert schedule.requested == len(merged_weights(requests, affinities))


def test_tables_limit_meetings_per_slot_and_priority_decides_who_meets():
    participants = [Participant(f"p{k}") for k in range(6)]
    requests = [
        MeetingRequest("p0", "p1", 3),
        MeetingRequest("p2", "p3", 1),
        MeetingRequest("p4", "p5", 2),
    ]
    schedule = schedule_meetings(participants, requests, [TimeSlot("10:00")], tables=2)
    held = {(m.requester, m.requested) for m in schedule.meetings}
    assert held == {("p0", "p1"), ("p4", "p5")}
    assert schedule.unscheduled[0].requester == "p2"
    assert schedule.unscheduled[0].reason.startswith("not chosen")
    assert schedule.summary()["scheduled_share"] == 0.6667


def test_request_in_both_directions_is_one_meeting_with_summed_priority():
    participants = [Participant("kim"), Participant("lee")]
    requests = [MeetingRequest("kim", "lee", 2), MeetingRequest("lee", "kim", 1)]
    schedule = schedule_meetings(participants, requests, [TimeSlot("a"), TimeSlot("b")], 1)
    assert len(schedule.meetings) == 1 and schedule.meetings[0].priority == 3


def test_no_common_availability_is_given_as_the_reason():
    participants = [Participant("kim", frozenset({"a"})), Participant("lee", frozenset({"b"}))]
    schedule = schedule_meetings(
        participants, [MeetingRequest("kim", "lee")], [TimeSlot("a"), TimeSlot("b")], 1
    )
    assert schedule.meetings == ()
    assert schedule.unscheduled[0].reason == "no open slot where both are available"


def test_break_after_a_run_of_meetings_is_respected():
    participants = [Participant("host", max_consecutive=2)] + [
        Participant(f"g{k}") for k in range(3)
    ]
    requests = [MeetingRequest(f"g{k}", "host") for k in range(3)]
    slots = [TimeSlot(f"t{k}") for k in range(3)]
    schedule = schedule_meetings(participants, requests, slots, tables=3)
    # Three guests but the host meets at most two in a row, and there are only three slots.
    assert len(schedule.meetings) == 2
    assert schedule.unscheduled[0].reason.startswith("not chosen")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: schedule_meetings([], [], [TimeSlot("a")], 0), "tables must be at least 1"),
        (lambda: MeetingRequest("kim", "kim"), "with themselves"),
        (lambda: MeetingRequest("kim", "lee", 0), "priority must be positive"),
        (lambda: Participant("kim", max_meetings=-1), "must not be negative"),
        (
            lambda: schedule_meetings(
                [Participant("kim")], [MeetingRequest("kim", "ghost")], [TimeSlot("a")], 1
            ),
            "unknown participant 'ghost'",
        ),
        (
            lambda: schedule_meetings(
                [Participant("kim", frozenset({"z"}))], [], [TimeSlot("a")], 1
            ),
            "unknown slots 'z'",
        ),
    ],
)
def test_bad_inputs_say_what_is_wrong(call, message):
    with pytest.raises(ValueError, match=message):
        call()
