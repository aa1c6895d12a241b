"""The demo loop: needs and offers in both languages, an accepted match and a project."""

from __future__ import annotations

from sangsaeng.demo.needs import load_matching_demo
from sangsaeng.matching.models import JointProject, Match, Need


def test_demo_shows_the_whole_loop_and_loads_once(cluster):
    assert load_matching_demo(20261125) == 5
    needs = Need.objects.filter(is_fictional=True)
    assert needs.filter(kind__in=Need.OFFER_KINDS).count() == 2
    assert needs.filter(title__startswith="RISC-V NPU").exists()  # Korean
    assert needs.filter(title="Students who know analog layout").exists()  # English
    assert needs.filter(visibility="confidential").exclude(summary="").exists()
    assert JointProject.objects.count() == 1
    assert Match.objects.filter(state=Match.State.PROJECT).count() == 1
    assert load_matching_demo(20261125) == 0
    assert Need.objects.count() == 5


def test_reindex_command_writes_a_snapshot_a_new_process_starts_from(cluster, tmp_path):
    from django.core.management import call_command

    from sangsaeng.search.index import SearchIndex

    call_command("reindex", folder=str(tmp_path))
    assert (tmp_path / "CURRENT").is_file()
    fresh = SearchIndex(tmp_path)
    directory = fresh.current()["directory"]
    assert f"person:{cluster.verification_expert.pk}" in directory
