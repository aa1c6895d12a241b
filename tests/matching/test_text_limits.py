"""Text too long to keep, tried as a member would paste it: the page, the API, the service.

One 1 MB need made the next search take 58 s and the web and task processes grow to 7 GB
(bench/limits/text_size.py). A need's description holds at most LONG_TEXT characters;
messages, notes and outcomes MEDIUM_TEXT. Longer text is refused with a translated message
naming the limit, and nothing is saved; what was typed stays in the form.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sangsaeng.core.limits import LONG_TEXT, MEDIUM_TEXT
from sangsaeng.matching.models import ConversationMessage, JointProject, Match, MatchEvent, Need
from sangsaeng.matching.parties import Party
from sangsaeng.matching.services import (
    contact_request,
    match_answer,
    need_create,
    need_update,
    project_update,
)
from tests.api.conftest import ApiClient
from tests.matching.conftest import KOREAN_NEED
from tests.matching.test_pages import login, post_need

PASTED = "RISC-V NPU 검증 파트너를 찾습니다. " * (1_000_000 // 22)  # a million characters
PASTED_ASCII = "RISC-V NPU verification partner wanted. " * (1_000_000 // 40)  # a megabyte


def test_a_megabyte_need_is_refused_on_the_page_in_korean_and_nothing_saved(client, cluster):
    login(client, cluster.poster)
    response = post_need(client, cluster, description=PASTED)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"최대 {LONG_TEXT:,}자까지 쓸 수 있습니다" in page
    assert KOREAN_NEED["title"] in page  # the title typed is kept
    assert f'maxlength="{LONG_TEXT}"' in page  # the browser stops typing at the limit too
    assert not Need.objects.exists()


def test_a_description_of_exactly_the_limit_is_posted(client, cluster):
    login(client, cluster.poster)
    response = post_need(client, cluster, description="가" * LONG_TEXT)
    assert response.status_code == 302
    assert len(Need.objects.get().description) == LONG_TEXT


def test_a_megabyte_need_is_refused_by_the_api_with_the_limit_named(cluster):
    api = ApiClient(cluster.poster)
    need = {
        "organisation": cluster.company.slug,
        "kind": "technology_request",
        "title": "Pasted spec",
        "description": PASTED_ASCII,
    }
    response = api.post("/api/needs/", need)
    assert response.status_code == 422
    (message,) = response.json()["errors"]["description"]
    assert message == f"Use at most {LONG_TEXT:,} characters."
    # A million Korean characters are three megabytes of JSON: refused before it is parsed.
    response = api.post("/api/needs/", {**need, "description": PASTED})
    assert response.status_code == 413
    assert response.json()["detail"] == "The request holds more than 2.5 MB of text."
    assert not Need.objects.exists()


def test_the_api_schema_tells_the_limit(cluster):
    schema = ApiClient().get("/api/openapi.json").json()["components"]["schemas"]
    assert schema["NeedIn"]["properties"]["description"]["maxLength"] == LONG_TEXT
    assert schema["MessageIn"]["properties"]["body"]["maxLength"] == MEDIUM_TEXT


def test_patching_a_need_with_a_megabyte_keeps_the_saved_text(cluster, korean_need):
    api = ApiClient(cluster.poster)
    response = api.patch(f"/api/needs/{korean_need.pk}", {"description": PASTED_ASCII})
    assert response.status_code == 422
    korean_need.refresh_from_db()
    assert korean_need.description == KOREAN_NEED["description"]


def test_the_services_refuse_long_text_from_any_caller(cluster, korean_need):
    """The command line, the importer and the task worker call the services directly."""
    with pytest.raises(ValidationError) as refused:
        need_create(
            actor=cluster.poster,
            organisation=cluster.company,
            start_matching=False,
            **{**KOREAN_NEED, "description": "x" * (LONG_TEXT + 1)},
        )
    assert "description" in refused.value.message_dict
    with pytest.raises(ValidationError):
        need_update(actor=cluster.poster, need=korean_need, description="x" * (LONG_TEXT + 1))
    korean_need.refresh_from_db()
    assert korean_need.description == KOREAN_NEED["description"]
    assert Need.objects.count() == 1


def test_long_messages_notes_and_outcomes_are_refused(cluster, korean_need):
    party = Party.of(cluster.verification_expert)
    too_long = "x" * (MEDIUM_TEXT + 1)
    with pytest.raises(ValidationError):
        contact_request(actor=cluster.poster, need=korean_need, party=party, message=too_long)
    match = contact_request(actor=cluster.poster, need=korean_need, party=party, message="Hi")
    with pytest.raises(ValidationError) as refused:
        match_answer(actor=cluster.expert_user, match=match, accept=True, note=too_long)
    assert "note" in refused.value.message_dict
    match.refresh_from_db()
    assert match.state == Match.State.REQUESTED
    assert MatchEvent.objects.filter(match=match).count() == 1

    match_answer(actor=cluster.expert_user, match=match, accept=True)
    api = ApiClient(cluster.poster)
    response = api.post(f"/api/needs/matches/{match.pk}/messages", {"body": too_long})
    assert response.status_code == 422
    assert not ConversationMessage.objects.exists()
    response = api.post(
        f"/api/needs/matches/{match.pk}/project",
        {"title": "Joint work", "start_date": "2026-03-01", "outcome": too_long},
    )
    assert response.status_code == 422
    assert not JointProject.objects.exists()


def test_a_long_project_outcome_is_refused_and_the_saved_one_kept(client, cluster, korean_need):
    from sangsaeng.matching.services import project_create

    party = Party.of(cluster.verification_expert)
    match = contact_request(actor=cluster.poster, need=korean_need, party=party, message="Hi")
    match_answer(actor=cluster.expert_user, match=match, accept=True)
    project = project_create(
        actor=cluster.poster,
        match=match,
        title="Joint work",
        start_date=datetime.date(2026, 3, 1),
        outcome="A tape-out",
    )
    with pytest.raises(ValidationError):
        project_update(actor=cluster.poster, project=project, outcome="x" * (MEDIUM_TEXT + 1))
    project.refresh_from_db()
    assert project.outcome == "A tape-out"


def test_a_long_conversation_message_is_refused_on_the_page(client, cluster, korean_need):
    party = Party.of(cluster.verification_expert)
    match = contact_request(actor=cluster.poster, need=korean_need, party=party, message="Hi")
    match_answer(actor=cluster.expert_user, match=match, accept=True)
    login(client, cluster.poster)
    client.post(
        reverse("matching:conversation_post", args=[match.pk]), {"body": "x" * (MEDIUM_TEXT + 1)}
    )
    assert not ConversationMessage.objects.exists()
