"""Meetings that need different kinds of place: tables on site and rooms online, each with its
own number per slot (the events app schedules hybrid matchmaking days this way)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sangsaeng.cli import main
from sangsaeng.engine.meetings import MeetingRequest, Participant, TimeSlot, schedule_meetings
from tests.engine.test_meetings import brute_force_best, events


def test_each_venue_has_its_own_places_per_slot():
    people = [Participant(f"p{k}") for k in range(8)]
    # Three on-site pairs and one online pair, one slot: one table and one online room.
    requests = [
        MeetingRequest("p0", "p1", 3),
        MeetingRequest("p2", "p3", 2),
        MeetingRequest("p4", "p5", 1),
        MeetingRequest("p6", "p7", 1, venue="online"),
    ]
    schedule = schedule_meetings(people, requests, [TimeSlot("t1")], {"table": 1, "online": 1})
    held = {(m.requester, m.requested): (m.venue, m.table) for m in schedule.meetings}
    assert held == {("p0", "p1"): ("table", 1), ("p6", "p7"): ("online", 1)}
    assert schedule.objective == pytest.approx(4.0)
    assert schedule.lp_bound == pytest.approx(4.0)


def test_a_venue_without_places_leaves_its_meetings_out_with_the_reason():
    people = [Participant("a"), Participant("b"), Participant("c")]
    requests = [MeetingRequest("a", "b"), MeetingRequest("a", "c", venue="online")]
    schedule = schedule_meetings(
        people, requests, [TimeSlot("t1"), TimeSlot("t2")], {"table": 2, "online": 0}
    )
    assert [(m.requester, m.requested) for m in schedule.meetings] == [("a", "b")]
    assert [u.reason for u in schedule.unscheduled] == ["no online places at the event"]


def test_a_number_of_tables_is_the_default_venue():
    schedule = schedule_meetings(
        [Participant("a"), Participant("b")], [MeetingRequest("a", "b")], [TimeSlot("t")], 1
    )
    assert schedule.meetings[0].venue == "table"


@pytest.mark.parametrize(
    ("tables", "requests", "message"),
    [
        ({"table": 1}, [MeetingRequest("a", "b", venue="online")], "venue 'online'"),
        (1, [MeetingRequest("a", "b", venue="online")], "venue 'online'"),
        (
            {"table": 1, "online": 1},
            [MeetingRequest("a", "b"), MeetingRequest("b", "a", venue="online")],
            "two venues",
        ),
        ({"table": 0, "online": 0}, [MeetingRequest("a", "b")], "at least one place"),
        ({"table": -1, "online": 2}, [MeetingRequest("a", "b")], "whole number"),
    ],
)
def test_venues_that_do_not_fit_are_refused(tables, requests, message):
    with pytest.raises(ValueError, match=message):
        schedule_meetings([Participant("a"), Participant("b")], requests, [TimeSlot("t")], tables)


@st.composite
def hybrid_events(draw: st.DrawFn):
    participants, requests, slots, _tables, affinities = draw(events())
    online = [draw(st.booleans()) for _ in requests]
    # A pair asked in both directions meets at one venue.
    venue_of: dict[frozenset[str], str] = {}
    venued = []
    for request, is_online in zip(requests, online, strict=True):
        pair = frozenset((request.requester, request.requested))
        venue = venue_of.setdefault(pair, "online" if is_online else "table")
        venued.append(MeetingRequest(request.requester, request.requested, request.priority, venue))
    tables = {"table": draw(st.integers(0, 2)), "online": draw(st.integers(1, 2))}
    return participants, venued, slots, tables, affinities


@settings(max_examples=80, deadline=None)
@given(event=hybrid_events())
def test_hybrid_schedules_keep_every_venue_within_its_places(event):
    participants, requests, slots, tables, affinities = event
    schedule = schedule_meetings(participants, requests, slots, tables, affinities)
    per_venue_slot = Counter((m.venue, m.slot) for m in schedule.meetings)
    assert all(count <= tables[venue] for (venue, _), count in per_venue_slot.items())
    numbered = Counter((m.venue, m.slot, m.table) for m in schedule.meetings)
    assert all(count == 1 for count in numbered.values())
    assert all(1 <= m.table <= tables[m.venue] for m in schedule.meetings)
    busy = Counter((p, m.slot) for m in schedule.meetings for p in (m.requester, m.requested))
    assert all(count == 1 for count in busy.values())
    venue_of = {frozenset((r.requester, r.requested)): r.venue for r in requests}
    assert all(
        m.venue == venue_of[frozenset((m.requester, m.requested))] for m in schedule.meetings
    )
    # With every meeting at one venue of enough places, it is the one-venue problem.
    if all(r.venue == "online" for r in requests):
        best = brute_force_best(participants, requests, slots, tables["online"], affinities)
        assert schedule.objective == pytest.approx(best)


def test_the_command_takes_places_per_venue(tmp_path: Path, capsys):
    def write(name: str, records: list[dict]) -> str:
        path = tmp_path / name
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        return str(path)

    participants = write("p.jsonl", [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}])
    requests = write(
        "r.jsonl", [{"from": "a", "to": "b"}, {"from": "c", "to": "d", "venue": "online"}]
    )
    slots = write("s.jsonl", [{"id": "t1", "label": "10:00"}])
    out = tmp_path / "out.jsonl"
    code = main(
        [
            "engine",
            "schedule",
            "--participants",
            participants,
            "--requests",
            requests,
            "--slots",
            slots,
            "--tables",
            "table=1,online=1",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    venues = {(line["requester"], line["venue"]) for line in lines if "table" in line}
    assert venues == {("a", "table"), ("c", "online")}

    bad = write("bad.jsonl", [{"from": "a", "to": "b", "venue": "boat"}])
    code = main(
        [
            "engine",
            "schedule",
            "--participants",
            participants,
            "--requests",
            bad,
            "--slots",
            slots,
            "--tables",
            "table=1,online=1",
            "--out",
            str(out),
        ]
    )
    assert code == 2
    assert "bad.jsonl:1" in capsys.readouterr().err
