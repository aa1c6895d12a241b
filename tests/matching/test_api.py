"""The loop through the JSON API, and its refusals of bad input (in the caller's language)."""

from __future__ import annotations

from sangsaeng.matching.models import Match, Need
from tests.api.conftest import ApiClient
from tests.matching.conftest import KOREAN_NEED


def test_post_request_accept_and_project_through_the_api(
    cluster, django_capture_on_commit_callbacks
):
    poster = ApiClient(cluster.poster)
    with django_capture_on_commit_callbacks(execute=True):
        response = poster.post("/api/needs/", {"organisation": cluster.company.slug, **KOREAN_NEED})
    assert response.status_code == 201, response.content
    need_id = response.json()["id"]
    matches = poster.get(f"/api/needs/{need_id}/matches").json()
    assert matches[0]["party"]["slug"] == cluster.verification_expert.slug
    assert "RISC-V" in " ".join(matches[0]["explanation"]["shared_terms"])
    response = poster.post(
        f"/api/needs/{need_id}/requests",
        {"person": cluster.verification_expert.slug, "message": "Shall we?"},
    )
    assert response.status_code == 201
    match_id = response.json()["id"]
    again = poster.post(
        f"/api/needs/{need_id}/requests",
        {"person": cluster.verification_expert.slug, "message": "Again"},
    )
    assert again.status_code == 400
    assert "already sent" in str(again.json()["errors"])

    expert = ApiClient(cluster.expert_user)
    assert (
        expert.post(f"/api/needs/matches/{match_id}/answer", {"accept": True}).json()["state"]
        == "accepted"
    )
    project = expert.post(
        f"/api/needs/matches/{match_id}/project",
        {"title": "Joint verification", "start_date": "2026-04-01"},
    )
    assert project.status_code == 201
    assert Match.objects.get(pk=match_id).state == Match.State.PROJECT
    notes = expert.get("/api/notifications/").json()
    assert any(n["kind"] == "contact_request" for n in notes)


def test_empty_need_is_refused_in_korean_and_nothing_saved(cluster):
    response = ApiClient(cluster.poster, language="ko").post(
        "/api/needs/",
        {
            "organisation": cluster.company.slug,
            "kind": "partner_search",
            "title": "",
            "description": "",
        },
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["title"] == ["수요·공급의 제목을 입력하세요."]
    assert not Need.objects.exists()


def test_request_to_oneself_is_refused(cluster, korean_need):
    from tests.factories import PersonFactory

    PersonFactory(user=cluster.poster, organisation=None, slug="poster-self")
    response = ApiClient(cluster.poster).post(
        f"/api/needs/{korean_need.pk}/requests", {"person": "poster-self", "message": "me"}
    )
    assert response.status_code == 400
    assert "yourself" in str(response.json()["errors"])


def test_anonymous_callers_cannot_post(cluster):
    response = ApiClient(None).post(
        "/api/needs/", {"organisation": cluster.company.slug, **KOREAN_NEED}
    )
    assert response.status_code == 401
