"""`sangsaeng engine match-students`: line formats, choice counts and bad input."""

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
        "students": write_lines(
            tmp_path / "students.jsonl",
            [{"id": "kim", "preferences": ["lab", "fab"]}, {"id": "lee", "preferences": ["lab"]},
             {"id": "park"}],
        ),
        "openings": write_lines(
            tmp_path / "openings.jsonl",
            [{"id": "lab", "capacity": 1, "preferences": ["kim", "lee"]},
             {"id": "fab", "capacity": 2}],
        ),
        "scores": write_lines(
            tmp_path / "scores.jsonl",
            [{"query": "fab", "profile": "park", "score": 0.8, "explanation": "ignored"},
             {"student": "park", "opening": "lab", "score": 0.1}],
        ),
        "out": str(tmp_path / "match.jsonl"),
    }  # fmt: skip


def run_match(files: dict[str, str], method: str) -> int:
    arguments = ["engine", "match-students", "--method", method]
    for name in ("students", "openings", "scores", "out"):
        arguments += [f"--{name}", files[name]]
    return main(arguments)


def read_output(files):
    lines = [json.loads(text) for text in Path(files["out"]).read_text().splitlines()]
    return {line["student"]: line for line in lines[:-1]}, lines[-1]["summary"]


def test_stable_method_writes_placements_and_choice_counts(files):
    assert run_match(files, "stable") == 0
    placements, summary = read_output(files)
    assert placements["kim"] == {"student": "kim", "opening": "lab", "rank": 1}
    assert placements["lee"]["opening"] is None and placements["lee"]["rank"] is None
    assert placements["park"] == {"student": "park", "opening": "fab", "rank": 1}
    assert summary["choice_counts"] == {"1": 2}
    assert summary["unplaced"] == 1 and summary["blocking_pairs"] == 0


def test_optimal_method_places_everyone_here(files):
    assert run_match(files, "optimal") == 0
    placements, summary = read_output(files)
    assert {s: p["opening"] for s, p in placements.items()} == {
        "kim": "fab",
        "lee": "lab",
        "park": "fab",
    }
    assert summary["choice_counts"] == {"1": 2, "2": 1}
    assert summary["placed"] == 3


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("students", '{"id": "kim"}\nnot json\n', "students.jsonl:2: not valid JSON"),
        ("students", '{"id": "kim", "preferences": "lab"}\n', '"preferences" must be a list'),
        ("openings", '{"id": "lab", "capacity": -1}\n', ":1: capacity must not be negative"),
        ("openings", '{"id": "lab"}\n', 'openings.jsonl:1: missing "capacity"'),
        ("scores", '{"student": "ghost", "opening": "lab", "score": 1}\n', "'ghost' is not in"),
        ("scores", '{"query": "kim", "profile": "lee", "score": 1}\n', "cannot tell which"),
    ],
)
def test_bad_input_exits_2_with_file_line_and_reason(files, capsys, name, content, expected):
    files[name] = write_lines(Path(files[name]), content)
    assert run_match(files, "stable") == 2
    assert expected in capsys.readouterr().err
