"""The incremental BM25 index: equal to bm25s, and equal to a rebuild after changes."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from sangsaeng.engine.sparse import BM25Index, BM25Parameters

CORPUS = [
    ["npu", "accelerator", "edge", "inference"],
    ["npu", "npu", "compiler", "llm"],
    ["pmic", "buck", "converter"],
    ["rf", "lna", "transceiver", "5g", "rf"],
    ["dft", "scan", "atpg", "npu"],
]


def _bm25s_scores(corpus, query, k1=1.2, b=0.75):
    vocabulary = {term: i for i, term in enumerate(sorted({t for doc in corpus for t in doc}))}
    reference = bm25s.BM25(method="lucene", k1=k1, b=b)
    tokenized = bm25s.tokenization.Tokenized(
        ids=[[vocabulary[t] for t in doc] for doc in corpus], vocab=vocabulary
    )
    reference.index(tokenized, show_progress=False)
    return reference.get_scores([t for t in query if t in vocabulary])


@pytest.mark.parametrize("parameters", [BM25Parameters(), BM25Parameters(k1=2.0, b=0.3)])
def test_scores_equal_bm25s_lucene(parameters):
    index = BM25Index(parameters)
    index.add_many(CORPUS)
    query = ["npu", "llm", "unknown-term"]
    expected = _bm25s_scores(CORPUS, query, parameters.k1, parameters.b)
    np.testing.assert_allclose(index.scores(query), expected, rtol=1e-5)


def test_the_document_about_the_query_ranks_first():
    index = BM25Index()
    index.add_many(CORPUS)
    assert int(np.argmax(index.scores(["buck", "converter"]))) == 2
    assert int(np.argmax(index.scores(["rf", "transceiver"]))) == 3


def test_add_and_remove_give_the_scores_of_a_fresh_build():
    incremental = BM25Index()
    rows = incremental.add_many(CORPUS)
    incremental.remove(rows[1])
    incremental.add(["llm", "quantization", "npu"])
    survivors = [CORPUS[0], CORPUS[2], CORPUS[3], CORPUS[4], ["llm", "quantization", "npu"]]
    fresh = BM25Index()
    fresh.add_many(survivors)
    query = ["npu", "llm", "rf"]
    live = incremental.scores(query)[[0, 2, 3, 4, 5]]
    np.testing.assert_allclose(live, fresh.scores(query), rtol=1e-6)
    assert incremental.scores(query)[1] == 0.0


def test_scores_stay_equal_across_a_postings_rebuild_and_compaction():
    rng = np.random.default_rng(7)
    vocabulary = [f"t{i}" for i in range(300)]
    documents = [list(rng.choice(vocabulary, size=12)) for _ in range(5000)]
    index = BM25Index()
    index.add_many(documents[:3000])
    query = ["t1", "t2", "t3", "t250"]
    index.scores(query)  # builds the postings for the first 3000 rows
    index.add_many(documents[3000:])  # these are scored from the side matrix, then rebuilt
    for row in range(0, 5000, 7):
        index.remove(row)
    survivors = [doc for row, doc in enumerate(documents) if row % 7]
    fresh = BM25Index()
    fresh.add_many(survivors)
    live_rows = [row for row in range(5000) if row % 7]
    np.testing.assert_allclose(index.scores(query)[live_rows], fresh.scores(query), rtol=1e-6)
    index.compact()
    np.testing.assert_allclose(index.scores(query), fresh.scores(query), rtol=1e-6)


def test_state_round_trip_keeps_scores():
    index = BM25Index(BM25Parameters(k1=1.5, b=0.6))
    index.add_many(CORPUS)
    index.remove(2)
    restored = BM25Index.from_state(index.state())
    np.testing.assert_allclose(restored.scores(["npu", "rf"]), index.scores(["npu", "rf"]))
    assert restored.parameters == index.parameters


def test_query_counts_weight_repeated_query_terms():
    index = BM25Index()
    index.add_many(CORPUS)
    plain = index.scores(["rf", "npu"])
    repeated = index.scores(["rf", "rf", "rf", "npu"], use_query_counts=True)
    assert repeated[3] == pytest.approx(3 * plain[3])


def test_contributions_explain_a_score():
    index = BM25Index()
    index.add_many(CORPUS)
    contributions = index.contributions(["npu", "compiler", "rf"], 1)
    assert set(contributions) == {"npu", "compiler"}
    assert sum(contributions.values()) == pytest.approx(index.scores(["npu", "compiler"])[1])


def test_removing_a_row_twice_is_an_error():
    index = BM25Index()
    index.add(["a"])
    index.remove(0)
    with pytest.raises(KeyError, match="row 0"):
        index.remove(0)


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError, match="k1"):
        BM25Parameters(k1=1.2, b=1.5)
