"""`sangsaeng engine match-students --max-choices N --previous PHASE1.jsonl`: a two-phase round."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sangsaeng.cli import main


def write_lines(path: Path, records: list[dict] | str) -> str:
    text = records if isinstance(records, str) else "".join(json.dumps(r) + "\n" for r in records)
    path.write_text(text, encoding="utf-8")
    return str(path)


def read(path: Path) -> tuple[dict[str, dict], dict]:
    lines = [json.loads(text) for text in path.read_text(encoding="utf-8").splitlines()]
    return {line["student"]: line for line in lines[:-1]}, lines[-1]["summary"]


@pytest.fixture
def round_files(tmp_path: Path) -> dict[str, str]:
    return {
        "students": write_lines(
            tmp_path / "students.jsonl",
            [
                {"id": "kim", "preferences": ["npu-intern", "eda-job"]},
                {"id": "lee", "preferences": ["npu-intern"]},
                {"id": "park", "preferences": ["npu-intern"]},
            ],
        ),
        "openings": write_lines(
            tmp_path / "openings.jsonl",
            [
                {"id": "npu-intern", "capacity": 1, "preferences": ["lee", "kim", "park"]},
                {"id": "eda-job", "capacity": 2},
            ],
        ),
    }


def match(*arguments: str) -> int:
    return main(["engine", "match-students", *arguments])


def test_a_round_in_two_phases(round_files, tmp_path):
    phase1 = tmp_path / "phase1.jsonl"
    common = ["--openings", round_files["openings"], "--max-choices", "2"]
    assert match("--students", round_files["students"], *common, "--out", str(phase1)) == 0
    placements, summary = read(phase1)
    assert {s: p["opening"] for s, p in placements.items()} == {
        "kim": "eda-job",
        "lee": "npu-intern",
        "park": None,
    }
    assert summary["phase"] == 1 and summary["unfilled"] == {"eda-job": 1}
    assert (summary["unfilled_openings"], summary["unfilled_positions"]) == (1, 1)

    # park ranks again; npu-intern is full, so only eda-job is left on the list.
    again = write_lines(
        tmp_path / "again.jsonl", [{"id": "park", "preferences": ["npu-intern", "eda-job"]}]
    )
    phase2 = tmp_path / "phase2.jsonl"
    arguments = ["--students", again, *common, "--previous", str(phase1), "--out", str(phase2)]
    assert match(*arguments) == 0
    placements, summary = read(phase2)
    assert placements == {"park": {"student": "park", "opening": "eda-job", "rank": 1}}
    assert summary["phase"] == 2 and summary["unfilled"] == {}


@pytest.mark.parametrize(
    ("previous", "students", "message"),
    [
        ('{"student": "park", "opening": "fab"}\n', None,
         "phase1.jsonl:1: opening 'fab' is not in the openings file"),
        ('{"student": "kim", "opening": "npu-intern"}\n{"student": "lee", "opening": '
         '"npu-intern"}\n', None, "phase1.jsonl:2: places more students in 'npu-intern' than its"),
        ('{"student": "park", "opening": null}\n{"student": "park", "opening": null}\n', None,
         "phase1.jsonl:2: student 'park' appears twice"),
        ('{"student": "kim", "opening": null}\n', '{"id": "park"}\n',
         "students in the students file but not in the first phase: 'park'"),
    ],
)  # fmt: skip
def test_a_bad_first_phase_file_exits_2(round_files, tmp_path, capsys, previous, students,
                                        message):  # fmt: skip
    if students is not None:
        round_files["students"] = write_lines(tmp_path / "students.jsonl", students)
    phase1 = write_lines(tmp_path / "phase1.jsonl", previous)
    arguments = ["--students", round_files["students"], "--openings", round_files["openings"]]
    assert match(*arguments, "--previous", phase1, "--out", str(tmp_path / "o.jsonl")) == 2
    assert message in capsys.readouterr().err


def test_a_list_longer_than_max_choices_exits_2_naming_the_line(round_files, tmp_path, capsys):
    arguments = ["--students", round_files["students"], "--openings", round_files["openings"]]
    assert match(*arguments, "--max-choices", "1", "--out", str(tmp_path / "o.jsonl")) == 2
    assert "students.jsonl:1: student 'kim' ranks 2 openings, more than the 1 allowed" in (
        capsys.readouterr().err
    )
    assert match(*arguments, "--max-choices", "0", "--out", str(tmp_path / "o.jsonl")) == 2
    assert "--max-choices must be at least 1" in capsys.readouterr().err


def test_the_same_scores_file_serves_both_phases(round_files, tmp_path):
    scores = write_lines(
        tmp_path / "scores.jsonl",
        [
            {"query": "eda-job", "profile": "kim", "score": 0.4},
            {"query": "eda-job", "profile": "park", "score": 0.9},
        ],
    )
    phase1, phase2 = tmp_path / "phase1.jsonl", tmp_path / "phase2.jsonl"
    common = ["--openings", round_files["openings"], "--scores", scores]
    assert match("--students", round_files["students"], *common, "--out", str(phase1)) == 0
    park = write_lines(tmp_path / "park.jsonl", [{"id": "park"}])  # no list: from the scores
    assert match("--students", park, *common, "--previous", str(phase1), "--out", str(phase2)) == 0
    placements, _summary = read(phase2)
    assert placements["park"]["opening"] == "eda-job"
