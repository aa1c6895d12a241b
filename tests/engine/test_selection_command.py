"""`sangsaeng engine select-awards`: line formats, infeasibility and bad input."""

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
    applications = [
        {"id": "ai-1", "amount": 100, "area": "ai"},
        {"id": "fab-1", "amount": 50, "area": "fabless"},
        {"id": "fab-2", "amount": 50, "area": "fabless"},
        {"id": "weak", "amount": 10},
        {"id": "late", "amount": 10},
    ]
    reviews = [
        {"application": "ai-1", "reviewer": "kim", "score": 80},
        {"application": "fab-1", "reviewer": "kim", "score": 75},
        {"application": "fab-2", "reviewer": "lee", "score": 75},
        {"application": "ai-1", "reviewer": "lee", "score": 80},
        {"application": "weak", "reviewer": "kim", "score": 40},
        {"application": "weak", "reviewer": "lee", "score": 40},
    ]
    return {
        "applications": write_lines(tmp_path / "applications.jsonl", applications),
        "reviews": write_lines(tmp_path / "reviews.jsonl", reviews),
        "out": str(tmp_path / "selection.jsonl"),
    }


def run_select(files: dict[str, str], *extra: str) -> int:
    arguments = ["engine", "select-awards"]
    for name in ("applications", "reviews", "out"):
        arguments += [f"--{name}", files[name]]
    return main([*arguments, "--budget", "100", *extra])


def read(path: str) -> list[dict]:
    return [json.loads(text) for text in Path(path).read_text(encoding="utf-8").splitlines()]


def test_writes_the_ranking_the_reviewers_both_proposals_and_a_summary(files):
    assert run_select(files, "--rank-by", "mean") == 0
    lines = read(files["out"])
    ranking = [line for line in lines if "rank_mean" in line]
    assert [line["application"] for line in ranking] == ["ai-1", "fab-1", "fab-2", "weak", "late"]
    assert ranking[1]["rank_mean"] == ranking[2]["rank_mean"] == 2
    assert ranking[1]["tied_mean"] == ["fab-2"]
    assert ranking[4]["rank_mean"] is None and ranking[4]["reviews"] == 0
    reviewers = [line for line in lines if "basis" in line]
    assert [(r["reviewer"], r["basis"]) for r in reviewers] == [("kim", "own"), ("lee", "own")]
    decisions = [line for line in lines if "method" in line]
    greedy = {d["application"]: d for d in decisions if d["method"] == "greedy"}
    optimised = {d["application"]: d for d in decisions if d["method"] == "optimised"}
    assert [a for a, d in greedy.items() if d["funded"]] == ["ai-1"]
    assert sorted(a for a, d in optimised.items() if d["funded"]) == ["fab-1", "fab-2"]
    assert greedy["late"]["reason"] == "no_reviews"
    summary = lines[-1]["summary"]
    assert summary["ranking"]["ties_mean"] == [["fab-1", "fab-2"]]
    assert summary["greedy"]["spent"] == 100 and summary["optimised"]["status"] == "optimal"
    assert summary["optimised"]["baseline"] == 65  # the panel's mean score
    assert summary["optimised"]["value_funded"] == 20  # (75 - 65) twice beats 80 - 65 once


def test_one_method_and_an_area_minimum(files):
    assert run_select(files, "--method", "optimised", "--area-minimum", "ai=0.9") == 0
    lines = read(files["out"])
    decisions = [line for line in lines if "method" in line]
    assert {d["method"] for d in decisions} == {"optimised"}
    assert [d["application"] for d in decisions if d["funded"]] == ["ai-1"]
    assert lines[-1]["summary"]["optimised"]["area_shares"]["ai"]["met"] is True
    assert "greedy" not in lines[-1]["summary"]


def test_unmeetable_minimum_shares_exit_1_with_the_reason_and_write_nothing(files, capsys):
    assert run_select(files, "--area-minimum", "fabless=0.6", "--area-minimum", "ai=0.5") == 1
    error = capsys.readouterr().err
    assert "no selection meets every minimum share" in error
    assert "add up to 110% of the budget" in error
    assert not Path(files["out"]).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("applications", '{"id": "a", "amount": "lots"}\n',
         'applications.jsonl:1: "amount" must be a number'),
        ("applications", '{"id": "a", "amount": 0}\n',
         "applications.jsonl:1: application 'a': amount must be positive"),
        ("applications", '{"id": "a", "amount": 5}\n{"id": "a", "amount": 6}\n',
         "applications.jsonl:2: application 'a' appears twice"),
        ("applications", '{"id": "a", "amount": 5, "area": ["ai"]}\n',
         'applications.jsonl:1: "area" must be a string'),
        ("reviews", '{"application": "nope", "reviewer": "kim", "score": 5}\n',
         "reviews.jsonl:1: application 'nope' is not in the applications file"),
        ("reviews", '{"application": "ai-1", "reviewer": "kim", "score": 5}\n'
         '{"application": "ai-1", "reviewer": "kim", "score": 6}\n',
         "reviews.jsonl:2: reviewer 'kim' scored application 'ai-1' twice"),
        ("reviews", '{"application": "ai-1", "reviewer": "kim"}\n',
         'reviews.jsonl:1: missing "score"'),
    ],
)  # fmt: skip
def test_bad_lines_exit_2_naming_file_line_and_reason(files, tmp_path, capsys, name, content,
                                                      message):  # fmt: skip
    files[name] = write_lines(tmp_path / f"{name}.jsonl", content)
    assert run_select(files) == 2
    assert message in capsys.readouterr().err
    assert not Path(files["out"]).exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--area-minimum", "fabless"], "--area-minimum must look like AREA=SHARE"),
        (["--area-minimum", "ai=most"], "the share must be a number such as 0.3"),
        (["--area-minimum", "ai=0.1", "--area-minimum", "ai=0.2"], "names area 'ai' twice"),
        (["--max-award", "0"], "max_award must be positive"),
    ],
)
def test_bad_options_exit_2(files, capsys, extra, message):
    assert run_select(files, *extra) == 2
    assert message in capsys.readouterr().err
