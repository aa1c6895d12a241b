"""The loop through the pages: post in Korean, an English-profile expert, request, accept."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sangsaeng.matching.models import MAX_ATTACHMENT_BYTES, Match, Need
from tests.factories import PASSWORD
from tests.matching.conftest import KOREAN_NEED


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def post_need(client, cluster, **overrides):
    data = {
        "organisation": cluster.company.pk,
        "kind": KOREAN_NEED["kind"],
        "title": KOREAN_NEED["title"],
        "description": KOREAN_NEED["description"],
        "visibility": "public",
        "summary": "",
        "deadline": "",
        **overrides,
    }
    return client.post(reverse("matching:need_create"), data)


def test_the_whole_loop_through_the_pages(client, cluster, django_capture_on_commit_callbacks):
    login(client, cluster.poster)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_need(client, cluster)
    need = Need.objects.get()
    assert response.status_code == 302
    page = client.get(need.get_absolute_url()).content.decode()
    assert "추천 매칭" in page  # "Suggested matches"
    assert "Grace Lee" not in page or "이검증" in page
    match = Match.objects.get(need=need, person=cluster.verification_expert)
    assert f'id="match-{match.pk}"' in page
    card = page[page.index(f'id="match-{match.pk}"') :]
    assert "RISC-V" in card[card.index('class="shared-terms"') :].split("</span>")[0]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("matching:contact_request", args=[need.pk]),
            {"party": f"person:{cluster.verification_expert.pk}", "message": "함께 검증해요"},
        )
    assert response.status_code == 302
    client.logout()

    login(client, cluster.expert_user)
    notifications = client.get(reverse("notifications:list")).content.decode()
    assert "연락을 요청했습니다" in notifications
    match_page = client.get(match.get_absolute_url()).content.decode()
    assert 'id="accept-request"' in match_page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matching:match_answer", args=[match.pk]), {"decision": "accept"})
    match.refresh_from_db()
    assert match.state == Match.State.ACCEPTED
    client.post(reverse("matching:conversation_post", args=[match.pk]), {"body": "Let's talk."})
    client.post(
        reverse("matching:project_create", args=[match.pk]),
        {"title": "NPU 공동 검증", "start_date": "2026-03-02", "outcome": ""},
    )
    match.refresh_from_db()
    assert match.state == Match.State.PROJECT
    page = client.get(match.get_absolute_url()).content.decode()
    assert "NPU 공동 검증" in page and "Let&#x27;s talk." in page
    assert "공동 프로젝트" in page  # "Joint project"


def test_empty_need_is_refused_in_korean_and_nothing_saved(client, cluster):
    login(client, cluster.poster)
    response = post_need(client, cluster, title="", description=" ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "제목을 입력하세요" in page
    assert "필요하거나 제공하는 것을 설명하세요" in page
    assert not Need.objects.exists()


def test_confidential_need_without_summary_is_refused(client, cluster):
    login(client, cluster.poster)
    response = post_need(client, cluster, visibility="confidential", summary="")
    assert "공개 요약" in response.content.decode()
    assert not Need.objects.exists()


def test_oversized_attachment_is_refused_and_nothing_saved(client, cluster):
    login(client, cluster.poster)
    big = SimpleUploadedFile("spec.pdf", b"0" * (MAX_ATTACHMENT_BYTES + 1))
    response = post_need(client, cluster, attachment=big)
    assert "10 MB" in response.content.decode()
    assert not Need.objects.exists()


def test_past_deadline_is_refused(client, cluster):
    login(client, cluster.poster)
    yesterday = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    response = post_need(client, cluster, deadline=yesterday)
    assert "마감일이 이미 지났습니다" in response.content.decode()


def test_second_request_for_the_same_pair_is_refused_in_korean(client, cluster, korean_need):
    login(client, cluster.poster)
    url = reverse("matching:contact_request", args=[korean_need.pk])
    party = f"person:{cluster.verification_expert.pk}"
    client.post(url, {"party": party, "message": "first"})
    response = client.post(url, {"party": party, "message": "second"}, follow=True)
    assert "이미 보냈습니다" in response.content.decode()
    match = Match.objects.get(need=korean_need, person=cluster.verification_expert)
    assert match.request_message == "first"
    assert match.events.count() == 1


def test_request_to_own_organisation_is_refused(client, cluster, korean_need):
    login(client, cluster.poster)
    response = client.post(
        reverse("matching:contact_request", args=[korean_need.pk]),
        {"party": f"organisation:{cluster.company.pk}", "message": "hi"},
        follow=True,
    )
    assert "자신의 기관" in response.content.decode()
    assert not Match.objects.filter(organisation=cluster.company).exists()


def test_request_without_message_is_refused(client, cluster, korean_need):
    login(client, cluster.poster)
    response = client.post(
        reverse("matching:contact_request", args=[korean_need.pk]),
        {"party": f"person:{cluster.verification_expert.pk}", "message": ""},
        follow=True,
    )
    assert "메시지를 작성하세요" in response.content.decode()
    assert Match.objects.get(person=cluster.verification_expert).state == "suggested"


def test_run_status_is_polled_as_json(client, cluster, korean_need):
    login(client, cluster.poster)
    run = korean_need.runs.get()
    data = client.get(reverse("matching:run_status", args=[run.pk])).json()
    assert data["finished"] is True and data["progress"] == 100
    client.logout()
    assert client.get(reverse("matching:run_status", args=[run.pk])).status_code == 404


def test_search_page_finds_the_expert_from_a_korean_query(client, cluster):
    response = client.get(reverse("matching:search"), {"q": "RISC-V NPU 검증"})
    page = response.content.decode()
    assert cluster.verification_expert.name in page
    assert "search-hit hit-expert" in page


def test_needs_for_you_lists_the_matching_need_for_the_expert(client, cluster, korean_need):
    login(client, cluster.expert_user)
    page = client.get(reverse("matching:needs_for_you")).content.decode()
    assert KOREAN_NEED["title"] in page
    response = client.post(
        reverse("matching:express_interest", args=[korean_need.pk]),
        {"party": f"person:{cluster.verification_expert.pk}"},
        follow=True,
    )
    assert response.status_code == 200
    assert Match.objects.get(person=cluster.verification_expert).interest_expressed_at


def test_bad_project_date_and_empty_message_are_refused_with_reasons(client, cluster, korean_need):
    login(client, cluster.poster)
    party = f"person:{cluster.verification_expert.pk}"
    client.post(
        reverse("matching:contact_request", args=[korean_need.pk]),
        {"party": party, "message": "함께 검증해요"},
    )
    match = Match.objects.get(need=korean_need, person=cluster.verification_expert)
    client.logout()
    login(client, cluster.expert_user)
    client.post(reverse("matching:match_answer", args=[match.pk]), {"decision": "accept"})

    empty = client.post(
        reverse("matching:conversation_post", args=[match.pk]), {"body": "  "}, follow=True
    )
    assert match.messages.count() == 0
    assert 'class="error"' in empty.content.decode()

    bad_date = client.post(
        reverse("matching:project_create", args=[match.pk]),
        {"title": "NPU 공동 검증", "start_date": "2026-13-45", "outcome": ""},
        follow=True,
    )
    match.refresh_from_db()
    assert match.state == Match.State.ACCEPTED
    assert "시작일: 올바른 날짜를 입력하세요." in bad_date.content.decode()
