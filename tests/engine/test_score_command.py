"""``sangsaeng engine score``: the batch form, its modes, its index folder and its errors."""

from __future__ import annotations

import json

import pytest

from sangsaeng.cli import main

PROFILES = [
    {
        "id": "kim",
        "documents": [
            {
                "id": "k1",
                "title": "Edge NPU",
                "text": "A low-power NPU with LPDDR5 memory for edge AI inference.",
            },
            {"id": "k2", "title": "LLM", "text": "Quantised LLM inference on NPUs.", "lang": "en"},
        ],
    },
    {
        "id": "park",
        "documents": [
            {"id": "p1", "title": "PMIC", "text": "Buck converters and LDO regulators."},
        ],
    },
    {
        "id": "lee",
        "documents": [
            {"id": "l1", "title": "RF 설계", "text": "저잡음 증폭기와 RF 송수신기 설계."}
        ],
    },
    {"id": "blank", "documents": [{"id": "b1", "text": ""}]},
]
QUERIES = [
    {"id": "q-npu", "title": "NPU", "text": "LPDDR5 memory for an edge NPU"},
    {"id": "q-pmic", "text": "벅 컨버터 전력 관리 IC"},
    {"id": "q-empty", "text": ""},
]


@pytest.fixture(autouse=True)
def _loaded_model_reused(monkeypatch, use_embedder, minilm_use_embedder):
    # The real models, loaded once per session instead of once per command run.
    models = {"use": use_embedder, "minilm-use": minilm_use_embedder}
    monkeypatch.setattr(
        "sangsaeng.engine.commands.score.create_embedder",
        lambda kind: models[kind] if kind in models else pytest.fail(f"unexpected model {kind}"),
    )


def _write(path, lines):
    path.write_text(
        "".join(
            (line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
            for line in lines
        ),
        encoding="utf-8",
    )
    return path


def _read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def files(tmp_path):
    return {
        "profiles": _write(tmp_path / "profiles.jsonl", PROFILES),
        "queries": _write(tmp_path / "queries.jsonl", QUERIES),
        "out": tmp_path / "scores.jsonl",
    }


def _score(files, *extra):
    return main(
        [
            "engine",
            "score",
            "--profiles",
            str(files["profiles"]),
            "--queries",
            str(files["queries"]),
            "--out",
            str(files["out"]),
            *extra,
        ]
    )


def test_top_k_writes_the_best_profiles_of_every_query(files):
    assert _score(files, "--top-k", "2") == 0
    lines = _read(files["out"])
    assert [line["query"] for line in lines] == [
        "q-npu",
        "q-npu",
        "q-pmic",
        "q-pmic",
        "q-empty",
        "q-empty",
    ]
    assert lines[0]["profile"] == "kim"
    assert lines[0]["score"] > lines[1]["score"]
    assert "lpddr5" in lines[0]["explanation"]["shared_terms"]
    assert lines[0]["explanation"]["best_document"]["id"] == "k1"
    assert lines[2]["profile"] == "park"


def test_pairs_scores_exactly_the_pairs_given_in_their_order(files, tmp_path):
    pairs = _write(
        tmp_path / "pairs.jsonl",
        [
            {"query": "q-npu", "profile": "park"},
            {"query": "q-npu", "profile": "kim"},
            {"query": "q-empty", "profile": "blank"},
        ],
    )
    assert _score(files, "--pairs", str(pairs)) == 0
    lines = _read(files["out"])
    assert [(line["query"], line["profile"]) for line in lines] == [
        ("q-npu", "park"),
        ("q-npu", "kim"),
        ("q-empty", "blank"),
    ]
    assert lines[1]["score"] > lines[0]["score"]
    assert isinstance(lines[2]["score"], float)


@pytest.mark.parametrize(
    ("target", "bad_line", "reason"),
    [
        ("profiles", '{"id": "x", "documents": [', "not valid JSON"),
        ("profiles", '{"id": "x"}', 'missing "documents"'),
        ("profiles", '{"id": "x", "documents": [{"id": "d", "text": 5}]}', '"text" must be'),
        ("profiles", '{"id": "x", "documents": [{"id": "d", "text": "", "lang": "fr"}]}', '"lang"'),
        ("profiles", '{"id": "kim", "documents": []}', "appears twice"),
        ("queries", '["q", "text"]', "expected a JSON object"),
        ("queries", '{"id": "", "text": "x"}', '"id" must be a non-empty string'),
    ],
)
def test_a_malformed_line_stops_the_run_with_file_line_and_reason(
    files, capsys, target, bad_line, reason
):
    original = PROFILES if target == "profiles" else QUERIES
    _write(files[target], [*original[:1], bad_line, *original[1:]])
    assert _score(files, "--top-k", "3") == 2
    error = capsys.readouterr().err
    assert f"{files[target]}:2:" in error
    assert reason in error
    assert not files["out"].exists()


def test_a_pair_naming_an_unknown_profile_is_reported_with_its_line(files, tmp_path, capsys):
    pairs = _write(
        tmp_path / "pairs.jsonl",
        [{"query": "q-npu", "profile": "kim"}, {"query": "q-npu", "profile": "ghost"}],
    )
    assert _score(files, "--pairs", str(pairs)) == 2
    assert f"{pairs}:2: profile 'ghost' is not in the profiles file" in capsys.readouterr().err


def test_a_missing_input_file_is_a_clear_error(files, tmp_path, capsys):
    files["queries"] = tmp_path / "nope.jsonl"
    assert _score(files, "--top-k", "1") == 2
    assert "nope.jsonl" in capsys.readouterr().err


def test_index_folder_is_saved_then_reused_and_updated(files, tmp_path):
    folder = tmp_path / "index"
    assert _score(files, "--top-k", "1", "--index", str(folder)) == 0
    assert (folder / "manifest.json").exists()
    first = _read(files["out"])
    # the same profiles again: the saved index is reused and gives the same scores
    assert _score(files, "--top-k", "1", "--index", str(folder)) == 0
    assert _read(files["out"]) == first
    # one profile changed: the reused index follows the file
    changed = [*PROFILES[:3], {"id": "blank", "documents": [{"id": "b1", "text": "LPDDR5 NPU"}]}]
    _write(files["profiles"], changed)
    assert _score(files, "--top-k", "4", "--index", str(folder)) == 0
    fresh_out = tmp_path / "fresh.jsonl"
    files_fresh = {**files, "out": fresh_out}
    assert _score(files_fresh, "--top-k", "4") == 0
    assert _read(files["out"]) == _read(fresh_out)


def test_the_default_model_is_the_batch_one_and_use_stays_available(files, tmp_path):
    folder = tmp_path / "index"
    assert _score(files, "--top-k", "1", "--index", str(folder)) == 0
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embedder"].startswith("all-MiniLM-L6-v2@")
    assert "+use-multilingual-v3@" in manifest["embedder"]
    default = _read(files["out"])
    assert _score(files, "--top-k", "1", "--model", "use") == 0
    # both models find the same best expert for these clear-cut needs, Korean included
    assert [line["profile"] for line in _read(files["out"])] == [
        line["profile"] for line in default
    ]
