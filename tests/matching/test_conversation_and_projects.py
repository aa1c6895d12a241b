"""A conversation that does not go quiet: the note given with an answer is shown, each new
message and a joint project notify the other side (in the platform and by mail, in the
reader's language), and a joint project has its own page and a list ("My projects")."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from sangsaeng.matching import services
from sangsaeng.matching.models import JointProject, Match
from sangsaeng.matching.parties import Party
from sangsaeng.notifications.models import Notification
from tests.api.conftest import ApiClient
from tests.factories import UserFactory


@pytest.fixture
def accepted(cluster, korean_need, django_capture_on_commit_callbacks) -> Match:
    with django_capture_on_commit_callbacks(execute=True):
        match = services.contact_request(
            actor=cluster.poster,
            need=korean_need,
            party=Party.of(cluster.verification_expert),
            message="함께하실 수 있을까요?",
        )
        services.match_answer(
            actor=cluster.expert_user,
            match=match,
            accept=True,
            note="Happy to help — I am free on Tuesdays.",
        )
    return Match.objects.get(pk=match.pk)


def _page(user, name: str, *args: object, language: str = "ko") -> str:
    client = Client()
    client.force_login(user)
    path = reverse(name, args=args).replace("/ko/", f"/{language}/", 1)
    return client.get(path).content.decode()


def test_the_note_given_when_accepting_is_shown_to_the_sender(cluster, accepted):
    page = _page(cluster.poster, "matching:match_detail", accepted.pk, language="en")
    assert "Their answer: accepted" in page
    assert "Happy to help — I am free on Tuesdays." in page
    notification = Notification.objects.get(recipient=cluster.poster, kind="answer")
    assert notification.context["note"] == "Happy to help — I am free on Tuesdays."


def test_a_new_message_notifies_the_other_side_in_their_language(
    cluster, accepted, django_capture_on_commit_callbacks
):
    cluster.expert_user.language = "en"
    cluster.expert_user.save(update_fields=["language"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_post(
            actor=cluster.poster, match=accepted, body="화요일 3시 어떠세요?"
        )
    told = Notification.objects.get(recipient=cluster.expert_user, kind="message")
    assert told.link.endswith("#conversation")
    assert not Notification.objects.filter(recipient=cluster.poster, kind="message").exists()
    sent = next(m for m in mail.outbox if m.to == [cluster.expert_user.email])
    assert "wrote about" in sent.subject
    assert "화요일 3시 어떠세요?" in sent.body  # the sender's words
    assert "메시지를 보냈습니다" not in sent.body  # English only, as the reader reads the site
    page = _page(cluster.expert_user, "notifications:list", language="en")
    assert "wrote about" in page


def test_a_joint_project_notifies_and_has_its_own_page_and_list(
    cluster, accepted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        project = services.project_create(
            actor=cluster.poster,
            match=accepted,
            title="RISC-V NPU 공동 검증",
            start_date=datetime.date(2026, 5, 4),
        )
    told = Notification.objects.get(recipient=cluster.expert_user, kind="project")
    assert told.link == project.get_absolute_url()
    listing = _page(cluster.expert_user, "matching:project_list")
    assert "RISC-V NPU 공동 검증" in listing
    page = _page(cluster.expert_user, "matching:project_detail", project.pk)
    assert "RISC-V NPU 공동 검증" in page and "2026-05-04" in page
    assert "판교칩스" in page and "이검증" in page

    # Either side records the outcome on the project's page.
    client = Client()
    client.force_login(cluster.expert_user)
    client.post(
        reverse("matching:project_detail", args=[project.pk]),
        {"outcome": "커버리지 92% 달성"},
    )
    assert JointProject.objects.get(pk=project.pk).outcome == "커버리지 92% 달성"

    # Outsiders see neither the page nor the project in their list.
    outsider = UserFactory()
    assert "RISC-V NPU" not in _page(outsider, "matching:project_list")
    stranger = Client()
    stranger.force_login(outsider)
    assert stranger.get(reverse("matching:project_detail", args=[project.pk])).status_code == 404
    assert (
        stranger.post(
            reverse("matching:project_detail", args=[project.pk]), {"outcome": "x"}
        ).status_code
        == 404
    )

    # The API lists it too.
    listed = ApiClient(cluster.expert_user).get("/api/needs/projects").json()
    assert [item["title"] for item in listed] == ["RISC-V NPU 공동 검증"]
    assert ApiClient(outsider).get(f"/api/needs/projects/{project.pk}").status_code == 404


def test_the_dashboard_shows_requests_waiting_and_projects(cluster, korean_need):
    services.contact_request(
        actor=cluster.poster,
        need=korean_need,
        party=Party.of(cluster.verification_expert),
        message="함께하실 수 있을까요?",
    )
    page = _page(cluster.expert_user, "accounts:dashboard")
    assert "답을 기다리는 연락 요청" in page
    assert "판교칩스 → 이검증" in page
