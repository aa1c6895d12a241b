"""The index follows the database through the change log, in every process."""

from __future__ import annotations

import json
import threading

import pytest

from sangsaeng.directory.models import Person
from sangsaeng.search.index import (
    QueryEmbeddingCache,
    SearchIndex,
    analysis_fingerprint,
    search_index,
)
from sangsaeng.search.ranking import rank
from tests.factories import PersonFactory


def test_a_saved_profile_is_searchable_by_the_next_search_in_two_processes(cluster):
    shared = search_index().embedder
    first, second = SearchIndex(embedder=shared), SearchIndex(embedder=shared)
    first.current(), second.current()
    person = cluster.analog_expert
    person.profile_text = "Photonic neuromorphic interconnects"
    person.save()
    for process in (first, second):
        directory = process.current()["directory"]
        hits = directory.search("photonic neuromorphic", top_k=1)
        assert hits[0].profile_id == f"person:{person.pk}"


def test_a_deleted_profile_leaves_the_index(cluster):
    index = SearchIndex(embedder=search_index().embedder)
    key = f"person:{cluster.analog_expert.pk}"
    assert key in index.current()["directory"]
    cluster.analog_expert.delete()
    assert key not in index.current()["directory"]


def test_rank_only_scores_the_records_it_is_given(cluster):
    experts = Person.objects.filter(pk=cluster.analog_expert.pk)
    assert [p for p, _ in rank(experts, "RISC-V NPU verification")] in ([], [cluster.analog_expert])
    everyone = Person.objects.all()
    assert rank(everyone, "RISC-V NPU verification")[0][0] == cluster.verification_expert


def test_names_follow_the_change_log_like_the_indexes(cluster):
    process = SearchIndex(embedder=search_index().embedder)
    process.current()
    university = cluster.university
    assert process.names.scores("세종대학교", [f"organisation:{university.pk}"])[0]
    university.name_ko, university.name_en = "판교공과대학교", "Pangyo Tech"
    university.save()
    process.current()
    key = f"organisation:{university.pk}"
    assert not process.names.scores("세종대학교", [key])[0]
    assert process.names.scores("판교공과대학교", [key])[0] == {key: 1.0}
    # Its experts are found by its new name, through their affiliation.
    expert = f"person:{cluster.verification_expert.pk}"
    assert process.names.scores("Pangyo Tech", [expert])[1] == {expert: 1.0}
    # What its old names taught is forgotten with them.
    assert process.names.readings("세종") == [["세종"]]


def test_a_snapshot_read_with_another_analysis_is_rebuilt_not_used(cluster, tmp_path):
    first = SearchIndex(tmp_path, embedder=search_index().embedder)
    first.current()
    saved = first.save_snapshot()
    state = json.loads((saved / "state.json").read_text())
    assert state["analysis"] == analysis_fingerprint(first.analyzer)
    state["analysis"] = "an older analysis"
    (saved / "state.json").write_text(json.dumps(state))
    second = SearchIndex(tmp_path, embedder=search_index().embedder)
    assert not second._load_snapshot()
    # It builds from the database instead, with this analysis: "세종" finds 세종대학교.
    found = second.current()["directory"].search("세종", top_k=1)
    assert found[0].profile_id == f"organisation:{cluster.university.pk}"


def test_query_embeddings_are_remembered_by_text_for_both_indexes(cluster):
    calls = []

    class Counting:
        def __init__(self, inner):
            self.inner, self.name, self.dimension = inner, inner.name, inner.dimension

        def embed_documents(self, texts):
            return self.inner.embed_documents(texts)

        def embed_queries(self, texts):
            calls.append(list(texts))
            return self.inner.embed_queries(texts)

    cache = QueryEmbeddingCache(Counting(search_index().embedder.inner), size=2)
    first = cache.embed_queries(["RISC-V 검증"])
    again = cache.embed_queries(["RISC-V 검증"])
    assert (first == again).all() and calls == [["RISC-V 검증"]]
    cache.embed_queries(["two"]), cache.embed_queries(["three"])
    cache.embed_queries(["RISC-V 검증"])  # forgotten: only the last two are kept
    assert calls[-1] == ["RISC-V 검증"]


def test_records_new_to_the_index_and_changed_ones_are_applied_together(cluster):
    """A burst of changes (new records, written in bulk, beside an edited one) is applied in
    one catch-up: the new records are added as one batch, the edited one is updated."""
    from sangsaeng.search.models import IndexChange
    from tests.factories import PersonFactory

    index = SearchIndex(embedder=search_index().embedder)
    index.current()
    newcomers = [
        PersonFactory(profile_text=f"Quantum annealing scheduler number {n}") for n in range(3)
    ]
    person = cluster.analog_expert
    person.profile_text = "Cryogenic photonic interconnects"
    person.save()
    IndexChange.objects.bulk_create(
        IndexChange(subject="person", object_id=p.pk) for p in newcomers
    )
    directory = index.current()["directory"]
    assert all(f"person:{p.pk}" in directory for p in newcomers)
    assert directory.search("cryogenic photonic", top_k=1)[0].profile_id == f"person:{person.pk}"


def test_a_corrupt_snapshot_is_rebuilt_rewritten_and_logged(cluster, tmp_path, caplog):
    """A damaged snapshot file (BadZipFile) broke every search until someone deleted it."""
    shared = search_index().embedder
    SearchIndex(tmp_path, embedder=shared).save_snapshot()
    damaged = tmp_path / (tmp_path / "CURRENT").read_text().strip()
    (damaged / "directory" / "sparse.npz").write_bytes(b"PK\x03\x04 not a zip archive")

    with caplog.at_level("WARNING", logger="sangsaeng.search.index"):
        directory = SearchIndex(tmp_path, embedder=shared).current()["directory"]
    hits = directory.search("RISC-V NPU verification", top_k=1)
    assert hits[0].profile_id == f"person:{cluster.verification_expert.pk}"
    assert "BadZipFile" in caplog.text and "new snapshot" in caplog.text

    rewritten = (tmp_path / "CURRENT").read_text().strip()
    assert rewritten != damaged.name and not damaged.exists()
    caplog.clear()
    with caplog.at_level("WARNING", logger="sangsaeng.search.index"):
        restarted = SearchIndex(tmp_path, embedder=shared).current()["directory"]
    assert f"person:{cluster.verification_expert.pk}" in restarted
    assert caplog.text == ""  # the next process starts from the new snapshot


@pytest.mark.django_db(transaction=True)
def test_a_search_is_not_held_up_while_the_index_is_being_updated():
    """A web worker's requests never index: while a long update holds the index lock, a
    search answers from the index as it is, and sees the change once it is applied."""
    expert = PersonFactory(profile_text="Analog layout of low-power ADCs")
    key = f"person:{expert.pk}"
    index = SearchIndex(embedder=search_index().embedder)
    index.current()
    index.follow_in_background(wait=0.2)

    def indexed_text() -> str:
        return index.current()["directory"].profile(key).documents[0].text

    try:
        indexing, release = threading.Event(), threading.Event()

        def long_update() -> None:  # stands for indexing a long text under the lock
            with index._lock:
                indexing.set()
                release.wait(60)

        holder = threading.Thread(target=long_update)
        holder.start()
        assert indexing.wait(10)
        expert.profile_text = "Photonic neuromorphic interconnects"
        expert.save()
        answered: list[str] = []
        searcher = threading.Thread(target=lambda: answered.append(indexed_text()))
        searcher.start()
        searcher.join(30)
        assert not searcher.is_alive(), "the search waited for the index lock"
        assert "Analog layout" in answered[0]  # the index as it was

        release.set()
        holder.join(30)
        for _attempt in range(100):  # each try waits up to 0.2 s for the follower
            if "Photonic" in indexed_text():
                break
        assert "Photonic" in indexed_text()
        hits = index.current()["directory"].search("photonic neuromorphic", top_k=1)
        assert hits[0].profile_id == key
    finally:
        index.stop_following()
