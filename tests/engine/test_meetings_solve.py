"""How a schedule is found: the LP rounding with local search alone is feasible and reports its
gap honestly; larger events go to branch-and-cut when the rounding is not close enough;
"must" and "like" priorities as weights."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from sangsaeng.cli import main
from sangsaeng.engine.meetings import (
    PRIORITY_WEIGHTS,
    MeetingRequest,
    Participant,
    TimeSlot,
    schedule_meetings,
)
from tests.engine.test_meetings import brute_force_best, check_schedule, events


@settings(max_examples=120, deadline=None)
@given(event=events())
def test_the_rounded_schedule_alone_keeps_every_constraint_and_its_gap_is_true(event):
    participants, requests, slots, tables, affinities = event
    # A gap of 100% accepts whatever the rounding and local search give: no branch-and-cut.
    schedule = schedule_meetings(
        participants, requests, slots, tables, affinities, relative_gap=1.0
    )
    check_schedule(schedule, participants, slots, tables)
    best = brute_force_best(participants, requests, slots, tables, affinities)
    assert schedule.objective <= best + 1e-9
    assert schedule.lp_bound is not None and schedule.lp_bound >= best - 1e-6
    if schedule.requested and schedule.status == "optimal":
        assert schedule.objective == pytest.approx(best)


def crowded_event(seed: int, participants: int = 60, requests: int = 300, slots: int = 6):
    rng = np.random.default_rng(seed)
    people = [Participant(f"p{k:02d}") for k in range(participants)]
    seen: set[frozenset[int]] = set()
    asked = []
    while len(asked) < requests:
        a, b = (int(x) for x in rng.integers(participants, size=2))
        if a == b or frozenset((a, b)) in seen:
            continue
        seen.add(frozenset((a, b)))
        weight = PRIORITY_WEIGHTS["must"] if rng.random() < 0.25 else PRIORITY_WEIGHTS["like"]
        asked.append(MeetingRequest(f"p{a:02d}", f"p{b:02d}", weight))
    return people, asked, [TimeSlot(f"t{k}") for k in range(slots)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_crowded_event_is_scheduled_within_the_gap_asked_for(seed):
    participants, requests, slots = crowded_event(seed)
    schedule = schedule_meetings(participants, requests, slots, tables=12, relative_gap=1e-4)
    check_schedule(schedule, participants, slots, 12)
    assert schedule.status in ("optimal", "within_gap_limit")
    assert schedule.gap is not None and schedule.gap <= 1e-4 + 1e-12
    summary = schedule.summary()
    assert summary["found_by"] in (
        "LP rounding and local search",
        "HiGHS MILP",
        "LP rounding and local search (HiGHS MILP found no better)",
    )
    by_priority = summary["by_priority"]
    assert sum(v["requested"] for v in by_priority.values()) == len(requests)
    assert sum(v["scheduled"] for v in by_priority.values()) == len(schedule.meetings)


def test_must_meet_requests_go_first_when_tables_are_short():
    participants = [Participant(p) for p in ("a", "b", "c", "d")]
    requests = [
        MeetingRequest("a", "b", PRIORITY_WEIGHTS["like"]),
        MeetingRequest("c", "d", PRIORITY_WEIGHTS["must"]),
    ]
    schedule = schedule_meetings(participants, requests, [TimeSlot("t1")], tables=1)
    assert [(m.requester, m.requested) for m in schedule.meetings] == [("c", "d")]
    assert schedule.by_priority() == {3.0: (1, 1), 1.0: (1, 0)}


def write_lines(path: Path, records: list[dict] | str) -> str:
    text = records if isinstance(records, str) else "".join(json.dumps(r) + "\n" for r in records)
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    return {
        "participants": write_lines(
            tmp_path / "participants.jsonl", [{"id": p} for p in ("a", "b", "c", "d")]
        ),
        "requests": write_lines(
            tmp_path / "requests.jsonl",
            [
                {"from": "a", "to": "b", "priority": "like"},
                {"from": "c", "to": "d", "priority": "must"},
            ],
        ),
        "slots": write_lines(tmp_path / "slots.jsonl", [{"id": "t1"}]),
        "out": str(tmp_path / "schedule.jsonl"),
    }


def run_schedule(files: dict[str, str], *extra: str) -> int:
    arguments = ["engine", "schedule", "--tables", "1"]
    for name in ("participants", "requests", "slots", "out"):
        arguments += [f"--{name}", files[name]]
    return main([*arguments, *extra])


def test_named_priorities_on_the_command_line(files):
    assert run_schedule(files) == 0
    lines = [json.loads(t) for t in Path(files["out"]).read_text().splitlines()]
    held = [line for line in lines if "table" in line]
    assert [(m["requester"], m["priority"]) for m in held] == [("c", 3.0)]
    assert lines[-1]["summary"]["by_priority"] == {
        "3": {"requested": 1, "scheduled": 1},
        "1": {"requested": 1, "scheduled": 0},
    }
    # Weighted the other way round, the would-like meeting wins the one table.
    assert run_schedule(files, "--must-weight", "1", "--like-weight", "5") == 0
    lines = [json.loads(t) for t in Path(files["out"]).read_text().splitlines()]
    assert [m["requester"] for m in lines if "table" in m] == ["a"]


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        ('{"from": "a", "to": "b", "priority": "urgent"}\n', [],
         'requests.jsonl:1: "priority" must be "must", "like" or a positive number'),
        ('{"from": "a", "to": "b", "priority": -1}\n', [], "requests.jsonl:1: request 'a'"),
        ('{"from": "a", "to": "b"}\n', ["--must-weight", "0"],
         "--must-weight and --like-weight must be positive"),
    ],
)  # fmt: skip
def test_bad_priorities_exit_2(files, tmp_path, capsys, content, extra, message):
    files["requests"] = write_lines(tmp_path / "requests.jsonl", content)
    assert run_schedule(files, *extra) == 2
    assert message in capsys.readouterr().err


def sparse_event(seed: int, people: int = 40, requests: int = 250, slot_count: int = 8):
    """Everyone free in 4 of 8 slots, some wanting a break after two: the LP bound is not
    reached by any schedule here, so branch-and-cut has work to do."""
    rng = np.random.default_rng(seed)
    slots = [TimeSlot(f"t{k}") for k in range(slot_count)]
    participants = [
        Participant(
            f"p{k:02d}",
            frozenset(rng.choice([s.id for s in slots], 4, replace=False).tolist()),
            max_consecutive=2 if rng.random() < 0.3 else None,
        )
        for k in range(people)
    ]
    seen: set[frozenset[int]] = set()
    asked = []
    while len(asked) < requests:
        a, b = (int(x) for x in rng.integers(people, size=2))
        if a == b or frozenset((a, b)) in seen:
            continue
        seen.add(frozenset((a, b)))
        priority = float(rng.choice([1.0, 3.0])) + round(float(rng.random()), 2)
        asked.append(MeetingRequest(f"p{a:02d}", f"p{b:02d}", priority))
    return participants, asked, slots


def test_branch_and_cut_runs_when_the_rounding_is_not_close_enough_and_the_better_is_kept():
    participants, requests, slots = sparse_event(0)
    rounded = schedule_meetings(participants, requests, slots, 30, relative_gap=1.0)
    exact = schedule_meetings(participants, requests, slots, 30, relative_gap=0.0)
    check_schedule(exact, participants, slots, 30)
    assert rounded.summary()["found_by"] == "LP rounding and local search"
    assert exact.summary()["found_by"] == "HiGHS MILP" and exact.status == "optimal"
    assert rounded.objective <= exact.objective
    assert exact.solver_bound == pytest.approx(exact.objective)
    assert exact.lp_bound is not None and exact.lp_bound > exact.objective  # an integrality gap
