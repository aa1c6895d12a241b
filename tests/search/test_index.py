"""The index follows the database through the change log, in every process."""

from __future__ import annotations

from sangsaeng.directory.models import Person
from sangsaeng.search.index import SearchIndex, search_index
from sangsaeng.search.ranking import rank


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
