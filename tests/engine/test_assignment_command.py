"""`sangsaeng engine assign`: the batch form, its output lines and its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sangsaeng.cli import main


def write_lines(path: Path, records: list[dict] | str) -> str:
    if isinstance(records, str):
        path.write_text(records, encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    reviewers = [{"id": f"expert-{r}", "max_load": 2} for r in range(4)]
    items = [{"id": "app-1"}, {"id": "app-2", "min_reviewers": 2, "max_reviewers": 2}]
    scores = [
        {"query": item["id"], "profile": reviewer["id"], "score": 0.1 * (i + r), "explanation": {}}
        for i, item in enumerate(items)
        for r, reviewer in enumerate(reviewers)
    ]
    return {
        "reviewers": write_lines(tmp_path / "reviewers.jsonl", reviewers),
        "items": write_lines(tmp_path / "items.jsonl", items),
        "affinity": write_lines(tmp_path / "scores.jsonl", scores),
        "conflicts": write_lines(
            tmp_path / "conflicts.jsonl",
            [{"item": "app-1", "reviewer": "expert-3", "reason": "same organisation"}],
        ),
        "out": str(tmp_path / "assignment.jsonl"),
    }


def run_assign(files: dict[str, str], *extra: str) -> int:
    arguments = ["engine", "assign"]
    for name in ("affinity", "reviewers", "items", "conflicts", "out"):
        if name in files:
            arguments += [f"--{name}", files[name]]
    return main([*arguments, *extra])


def test_assign_writes_assignment_lines_then_a_summary(files):
    assert run_assign(files, "--objective", "fair") == 0
    lines = [json.loads(text) for text in Path(files["out"]).read_text().splitlines()]
    pairs, summary = lines[:-1], lines[-1]["summary"]
    assert sorted((p["item"], p["reviewer"]) for p in pairs) == [
        ("app-1", "expert-0"),
        ("app-1", "expert-1"),
        ("app-1", "expert-2"),
        ("app-2", "expert-2"),
        ("app-2", "expert-3"),
    ]
    assert summary["objective"] == "fair"
    assert summary["status"] == "optimal"
    assert summary["total_affinity"] == pytest.approx(sum(p["score"] for p in pairs))
    assert summary["minimum_item_affinity"] == pytest.approx(0.3)
    assert "solve_seconds" in summary


def test_infeasible_problem_exits_1_with_the_items_on_stderr_and_writes_nothing(
    files, tmp_path, capsys
):
    files["reviewers"] = write_lines(
        tmp_path / "few.jsonl", [{"id": f"expert-{r}", "max_load": 1} for r in range(4)]
    )
    assert run_assign(files) == 1
    error = capsys.readouterr().err
    assert "need at least 5 reviews but the reviewers can give at most 4" in error
    assert not Path(files["out"]).exists()


def score_line(query: str = "app-1", profile: str = "expert-0", score: object = 1) -> str:
    return json.dumps({"query": query, "profile": profile, "score": score}) + "\n"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("affinity", score_line() + "{oops\n", "scores.jsonl:2: not valid JSON"),
        ("affinity", score_line(query="app-9"), ":1: query 'app-9' is not an item"),
        ("affinity", score_line(profile="nobody"), "'nobody' is not a reviewer"),
        ("affinity", score_line(score="high"), '"score" must be a number'),
        (
            "reviewers",
            '{"id": "expert-0", "max_load": -2}\n',
            "reviewers.jsonl:1: reviewer 'expert-0': loads must not be negative",
        ),
        ("reviewers", '{"id": "expert-0"}\n', ':1: missing "max_load"'),
        ("items", "[1, 2]\n", "expected a JSON object"),
        (
            "conflicts",
            '{"item": "app-1", "reviewer": "ghost"}\n',
            "'ghost' is not in the reviewers file",
        ),
    ],
)
def test_bad_input_exits_2_naming_file_line_and_reason(
    files, tmp_path, capsys, name, content, expected
):
    files[name] = write_lines(tmp_path / Path(files[name]).name, content)
    assert run_assign(files) == 2
    assert expected in capsys.readouterr().err


def test_missing_file_is_a_clear_error(files, capsys):
    files["items"] = "/nonexistent/items.jsonl"
    assert run_assign(files) == 2
    assert "items.jsonl:0: cannot open" in capsys.readouterr().err
