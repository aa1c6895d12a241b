"""`sangsaeng engine schedule`: meeting, agenda and summary lines, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sangsaeng.cli import main


def write_lines(path: Path, records: list[dict] | str) -> str:
    text = records if isinstance(records, str) else "".join(json.dumps(r) + "\n" for r in records)
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    return {
        "participants": write_lines(
            tmp_path / "participants.jsonl",
            [{"id": "fabless-ceo"}, {"id": "professor", "available": ["t1", "t3"]},
             {"id": "investor", "max_meetings": 1}, {"id": "city"}],
        ),
        "requests": write_lines(
            tmp_path / "requests.jsonl",
            [{"from": "fabless-ceo", "to": "professor", "priority": 3},
             {"from": "fabless-ceo", "to": "investor", "priority": 2},
             {"from": "city", "to": "investor"},
             {"from": "city", "to": "professor"}],
        ),
        "slots": write_lines(
            tmp_path / "slots.jsonl",
            [{"id": "t1", "label": "10:00"}, {"id": "t2", "label": "10:20", "break": True},
             {"id": "t3", "label": "10:40"}],
        ),
        "affinity": write_lines(
            tmp_path / "scores.jsonl", [{"query": "professor", "profile": "city", "score": 0.5}]
        ),
        "out": str(tmp_path / "schedule.jsonl"),
    }  # fmt: skip


def run_schedule(files: dict[str, str], tables: str = "1") -> int:
    arguments = ["engine", "schedule", "--tables", tables]
    for name in ("participants", "requests", "slots", "affinity", "out"):
        arguments += [f"--{name}", files[name]]
    return main(arguments)


def test_schedule_writes_meetings_unscheduled_agendas_and_summary(files):
    assert run_schedule(files, tables="1") == 0
    lines = [json.loads(t) for t in Path(files["out"]).read_text().splitlines()]
    meetings = [line for line in lines if "slot" in line and "agenda" not in line]
    unscheduled = [line for line in lines if "unscheduled" in line]
    agendas = {line["participant"]: line["agenda"] for line in lines if "agenda" in line}
    summary = lines[-1]["summary"]
    # One table and two open slots: the two heaviest compatible meetings are held.
    assert {(m["requester"], m["requested"]) for m in meetings} == {
        ("fabless-ceo", "professor"),
        ("fabless-ceo", "investor"),
    }
    assert all(m["table"] == 1 and m["slot"] in {"t1", "t3"} for m in meetings)
    assert len(unscheduled) == 2
    assert [entry["with"] for entry in agendas["fabless-ceo"]] != []
    assert len(agendas["fabless-ceo"]) == 2
    assert summary["scheduled_meetings"] == 2 and summary["requested_meetings"] == 4
    assert summary["status"] == "optimal"
    assert summary["gap_to_lp_bound"] == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("requests", '{"from": "city", "to": "ghost"}\n', "requests.jsonl:1: participant 'ghost'"),
        ("requests", '{"from": "city", "to": "city"}\n', "with themselves"),
        ("requests", '{"from": "city"}\n', '"to" must be a non-empty string id'),
        ("participants", '{"id": "a", "available": ["t9"]}\n', "unknown slots"),
        ("participants", '{"id": "a", "max_meetings": -1}\n', ":1: participant 'a': max_meetings"),
        ("slots", "\n\n", "no slots"),
        ("slots", '{"id": "t1", "break": "yes"}\n', '"break" must be true or false'),
        ("affinity", '{"query": "city", "profile": "city2", "score": 1}\n', "'city2' is not in"),
    ],
)
def test_bad_input_exits_2_with_file_line_and_reason(files, capsys, name, content, expected):
    files[name] = write_lines(Path(files[name]), content)
    assert run_schedule(files) == 2
    assert expected in capsys.readouterr().err


def test_fewer_than_one_table_is_refused(files, capsys):
    assert run_schedule(files, tables="0") == 2
    assert "--tables must be at least 1" in capsys.readouterr().err
