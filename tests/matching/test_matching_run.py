"""Posting a need computes its suggested matches in the background, with explanations."""

from __future__ import annotations

from sangsaeng.matching.models import Match, MatchingRun
from sangsaeng.notifications.models import Notification


def test_korean_need_suggests_english_profile_expert_first_with_explanation(cluster, korean_need):
    run = MatchingRun.objects.get(need=korean_need)
    assert run.status == MatchingRun.Status.DONE
    assert run.progress == 100
    best = Match.objects.filter(need=korean_need, person__isnull=False).order_by("rank").first()
    assert best.person == cluster.verification_expert
    assert best.state == Match.State.SUGGESTED
    shared = " ".join(best.explanation["shared_terms"])
    assert "RISC-V" in shared and "NPU" in shared  # as the texts write them
    assert "RISC-V" in best.explanation["best_sentence"]
    assert "UVM" in best.explanation["best_sentence"]


def test_own_organisation_and_unrelated_companies_are_not_suggested(cluster, korean_need):
    suggested = Match.objects.filter(need=korean_need)
    assert not suggested.filter(organisation=cluster.company).exists()
    assert not suggested.filter(organisation=cluster.other_company).exists()


def test_poster_and_suggested_expert_are_notified(cluster, korean_need):
    poster_note = Notification.objects.get(recipient=cluster.poster, kind="new_match")
    assert poster_note.context["role"] == "poster"
    assert Notification.objects.filter(recipient=cluster.expert_user, kind="new_match").exists()


def test_a_new_profile_is_suggested_after_the_directory_changes(
    cluster, korean_need, django_capture_on_commit_callbacks
):
    from tests.factories import PersonFactory

    with django_capture_on_commit_callbacks(execute=True):
        newcomer = PersonFactory(
            name_en="Min Cho",
            profile_text="Formal verification of RISC-V NPU accelerators with UVM.",
            expertise_keywords=["RISC-V", "UVM"],
        )
    assert Match.objects.filter(need=korean_need, person=newcomer).exists()
    assert MatchingRun.objects.filter(need=korean_need).count() == 2
