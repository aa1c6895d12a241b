"""`sangsaeng engine assign --bids ... --alternates K`: the added lines and their errors."""

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
    reviewers = [{"id": name, "max_load": 1} for name in ("kim", "lee", "park", "choi")]
    scores = [
        {"query": "app-1", "profile": "kim", "score": 0.62},
        {"query": "app-1", "profile": "lee", "score": 0.60},
        {"query": "app-1", "profile": "park", "score": 0.40},
        {"query": "app-1", "profile": "choi", "score": 0.30},
    ]
    return {
        "affinity": write_lines(tmp_path / "scores.jsonl", scores),
        "reviewers": write_lines(tmp_path / "reviewers.jsonl", reviewers),
        "items": write_lines(tmp_path / "items.jsonl", [{"id": "app-1"}]),
        "bids": write_lines(
            tmp_path / "bids.jsonl",
            [
                {"item": "app-1", "reviewer": "park", "bid": "eager"},
                {"item": "app-1", "reviewer": "kim", "bid": "not_willing"},
            ],
        ),
        "out": str(tmp_path / "assignment.jsonl"),
    }


def run_assign(files: dict[str, str], *extra: str) -> int:
    arguments = ["engine", "assign"]
    for name in ("affinity", "reviewers", "items", "bids", "out"):
        if name in files:
            arguments += [f"--{name}", files[name]]
    return main([*arguments, "--reviewers-per-item", "2", *extra])


def read(path: str) -> list[dict]:
    return [json.loads(text) for text in Path(path).read_text(encoding="utf-8").splitlines()]


def test_bids_move_scores_and_alternates_follow_the_pairs(files):
    assert run_assign(files, "--alternates", "3") == 0
    lines = read(files["out"])
    pairs = [line for line in lines if "reviewer" in line]
    alternates = [line for line in lines if "alternate" in line]
    assert [(p["reviewer"], p["bid"]) for p in pairs] == [("lee", None), ("park", "eager")]
    assert pairs[1]["affinity"] == 0.40 and pairs[1]["score"] == pytest.approx(0.50)
    assert alternates == [
        {"item": "app-1", "alternate": "choi", "rank": 1, "score": 0.3, "affinity": 0.3,
         "bid": None, "spare_load": 1},
        {"item": "app-1", "alternate": "kim", "rank": 2, "score": pytest.approx(0.12),
         "affinity": 0.62, "bid": "not_willing", "spare_load": 1},
    ]  # fmt: skip
    summary = lines[-1]["summary"]
    assert summary["alternates_per_item"] == 3 and summary["items_short_of_alternates"] == 1
    assert summary["bids"]["eager_assigned"] == 1
    assert summary["bid_bonuses"] == {"eager": 0.1, "willing": 0.05, "not_willing": -0.5}


def test_bid_bonuses_from_the_command_line(files):
    assert run_assign(files, "--bid-bonus", "eager=0", "--bid-bonus", "not_willing=0") == 0
    pairs = [line for line in read(files["out"]) if "reviewer" in line]
    assert [p["reviewer"] for p in pairs] == ["kim", "lee"]


def test_without_bids_or_alternates_the_lines_are_as_before(files):
    del files["bids"]
    assert run_assign(files) == 0
    lines = read(files["out"])
    assert [sorted(line) for line in lines[:-1]] == [["item", "reviewer", "score"]] * 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"item": "app-1", "reviewer": "kim", "bid": "keen"}\n',
         'bids.jsonl:1: "bid" must be one of eager, willing, not_willing'),
        ('{"item": "app-2", "reviewer": "kim", "bid": "eager"}\n',
         "bids.jsonl:1: item 'app-2' is not in the items file"),
        ('{"item": "app-1", "reviewer": "kim", "bid": "eager"}\n'
         '{"item": "app-1", "reviewer": "kim", "bid": "willing"}\n',
         "bids.jsonl:2: reviewer 'kim' bids twice on 'app-1'"),
        ('{"item": "app-1", "reviewer": "kim"}\n', 'bids.jsonl:1: missing "bid"'),
    ],
)  # fmt: skip
def test_bad_bid_lines_exit_2(files, tmp_path, capsys, content, message):
    files["bids"] = write_lines(tmp_path / "bids.jsonl", content)
    assert run_assign(files) == 2
    assert message in capsys.readouterr().err


def test_an_eager_bid_on_an_unscored_pair_names_the_line(files, tmp_path, capsys):
    write_lines(Path(files["reviewers"]), [{"id": n, "max_load": 1} for n in ("kim", "lee", "yoo")])
    write_lines(
        Path(files["affinity"]),
        [{"query": "app-1", "profile": n, "score": 0.5} for n in ("kim", "lee")],
    )
    files["bids"] = write_lines(
        tmp_path / "bids.jsonl", [{"item": "app-1", "reviewer": "yoo", "bid": "eager"}]
    )
    assert run_assign(files) == 2
    assert "bids.jsonl:1: eager bid of 'yoo' on 'app-1', a pair with no line in the affinity" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--bid-bonus", "keen=1"], "--bid-bonus must look like KIND=VALUE"),
        (["--bid-bonus", "eager=lots"], "the value must be a number"),
        (["--bid-bonus", "eager=1", "--bid-bonus", "eager=2"], "names eager twice"),
        (["--alternates", "-1"], "--alternates must not be negative"),
    ],
)
def test_bad_options_exit_2(files, capsys, extra, message):
    assert run_assign(files, *extra) == 2
    assert message in capsys.readouterr().err
