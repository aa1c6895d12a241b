"""`sangsaeng engine allocate-mpw`: line formats, the reasons and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sangsaeng.cli import main


def write_lines(path: Path, records: list[dict] | str) -> str:
    text = records if isinstance(records, str) else "".join(json.dumps(r) + "\n" for r in records)
    path.write_text(text, encoding="utf-8")
    return str(path)


RUN = ["--total-area", "20", "--min-block", "1", "--max-block", "10"]


def allocate(requests: str, out: Path, *extra: str) -> int:
    return main(["engine", "allocate-mpw", "--requests", requests, *RUN, *extra, "--out", str(out)])


def test_writes_one_line_per_request_in_input_order_then_a_summary(tmp_path):
    requests = write_lines(
        tmp_path / "requests.jsonl",
        [
            {"design": "npu", "organisation": "fabless-1", "area": 8, "min_block": 6, "weight": 3},
            {"design": "pmic", "organisation": "fab-2", "area": 12, "min_block": 4, "weight": 2},
            {"design": "sensor", "organisation": "kaist", "area": 6},
        ],
    )
    out = tmp_path / "allocation.jsonl"
    assert allocate(requests, out, "--run", "mpw-2026-1") == 0
    lines = [json.loads(text) for text in out.read_text(encoding="utf-8").splitlines()]
    grants, summary = lines[:-1], lines[-1]["summary"]
    assert [(g["design"], g["granted"], g["outcome"], g["reason"]) for g in grants] == [
        ("npu", 8, "full", "full"),
        ("pmic", 10, "full", "max_block"),
        ("sensor", 0, "none", "below_minimum"),
    ]
    assert grants[2]["detail"] == (
        "nothing granted: only 2 mm² is left in the run, less than the design's minimum block "
        "of 6 mm²"
    )
    assert grants[2]["run_area_left"] == 2 and grants[2]["organisation_area_left"] is None
    assert summary["run"] == "mpw-2026-1"
    assert summary["granted_area"] == 18 and summary["status"] == "optimal"
    assert summary["outcomes"] == {"full": 2, "partial": 0, "none": 1}


def test_organisation_share_caps_each_organisation(tmp_path):
    requests = write_lines(
        tmp_path / "requests.jsonl",
        [
            {"design": "a", "organisation": "x", "area": 10, "weight": 2},
            {"design": "b", "organisation": "x", "area": 5, "weight": 2},
        ],
    )
    out = tmp_path / "allocation.jsonl"
    assert allocate(requests, out, "--organisation-share", "0.5") == 0
    lines = [json.loads(text) for text in out.read_text(encoding="utf-8").splitlines()]
    assert lines[-1]["summary"]["by_organisation"] == {"x": 10}
    assert [line["reason"] for line in lines[:-1]] == ["full", "organisation_cap"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"design": "a", "organisation": "x", "area": 0.5}\n', "requests.jsonl:1: design 'a' "
         "requests 0.5 mm², below the run's minimum block of 1 mm²"),
        ('{"design": "a", "organisation": "x", "area": 12, "min_block": 11}\n',
         "requests.jsonl:1: design 'a' needs at least 11 mm², more than the run's maximum block"),
        ('{"design": "a", "organisation": "x", "area": 3}\n'
         '{"design": "a", "organisation": "y", "area": 3}\n', "requests.jsonl:2: design 'a' "
         "appears twice"),
        ('{"design": "a", "organisation": "x", "area": "3"}\n',
         'requests.jsonl:1: "area" must be a number, got \'3\''),
        ('{"design": "a", "area": 3}\n', 'requests.jsonl:1: "organisation" must be a non-empty'),
        ('{"design": "a", "organisation": "x", "area": 3, "min_block": 4}\n',
         "requests.jsonl:1: design 'a': min_block 4 mm² exceeds the requested area 3 mm²"),
        ('{"design": "a", "organisation": "x", "area": 3, "weight": -1}\n',
         "requests.jsonl:1: design 'a': weight must be positive"),
        ("not json\n", "requests.jsonl:1: not valid JSON"),
    ],
)  # fmt: skip
def test_bad_request_lines_exit_2_naming_file_line_and_reason(tmp_path, capsys, content, message):
    requests = write_lines(tmp_path / "requests.jsonl", content)
    out = tmp_path / "allocation.jsonl"
    assert allocate(requests, out) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--organisation-share", "0"], "organisation_share must be in (0, 1]"),
        (["--time-limit", "0"], "--time-limit must be positive"),
    ],
)
def test_bad_run_options_exit_2(tmp_path, capsys, extra, message):
    requests = write_lines(tmp_path / "requests.jsonl", [])
    assert allocate(requests, tmp_path / "out.jsonl", *extra) == 2
    assert message in capsys.readouterr().err


def test_min_block_above_max_block_is_refused(tmp_path, capsys):
    requests = write_lines(tmp_path / "requests.jsonl", [])
    arguments = ["engine", "allocate-mpw", "--requests", requests, "--total-area", "20"]
    arguments += ["--min-block", "5", "--max-block", "4", "--out", str(tmp_path / "o.jsonl")]
    assert main(arguments) == 2
    assert "min_block 5 mm² exceeds max_block 4 mm²" in capsys.readouterr().err
