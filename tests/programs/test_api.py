"""The programs API: the same rules and the same clear errors as the pages."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sangsaeng.programs import services
from sangsaeng.programs.models import Application, Call, ReviewAssignment
from tests.api.conftest import ApiClient
from tests.programs.conftest import SECRET, fill_application, pdf_upload

pytestmark = pytest.mark.django_db


def test_calls_are_public_with_their_form_and_rubric(world):
    calls = ApiClient().get("/api/programs/calls").json()
    assert [call["slug"] for call in calls] == [world.call.slug]
    assert calls[0]["phase"] == "open" and calls[0]["total_budget"] == 300_000_000
    detail = ApiClient().get(f"/api/programs/calls/{world.call.slug}").json()
    assert detail["form"][0]["key"] == "summary"
    assert [c["name_en"] for c in detail["rubric"]] == ["Technical merit", "Commercial potential"]


def test_an_applicant_drafts_and_submits_through_the_api(world):
    api = ApiClient(world.admin)
    started = api.post(
        f"/api/programs/calls/{world.call.slug}/applications", {"organisation": world.company.slug}
    )
    assert started.status_code == 201
    application_id = started.json()["id"]
    wrong = api.patch(
        f"/api/programs/applications/{application_id}",
        {"title": "API 지원", "answers": {"team_size": "many"}, "requested_amount": 1},
    )
    assert wrong.status_code == 400
    assert wrong.json()["errors"]["answer_team_size"] == ["Enter a number."]
    typo = api.patch(f"/api/programs/applications/{application_id}", {"titel": "x"})
    assert typo.status_code == 422 and "titel" in typo.json()["errors"]
    saved = api.patch(
        f"/api/programs/applications/{application_id}",
        {
            "title": "API 지원",
            "requested_amount": 10_000_000,
            "area": world.area.code,
            "answers": {"summary": SECRET},
        },
    )
    assert saved.status_code == 200 and saved.json()["answers"] == {"summary": SECRET}
    incomplete = api.post(f"/api/programs/applications/{application_id}/submit")
    assert incomplete.status_code == 400 and "answer_plan" in incomplete.json()["errors"]
    services.application_file_upload(
        actor=world.admin,
        application=Application.objects.get(pk=application_id),
        field_key="plan",
        upload=pdf_upload(),
    )
    submitted = api.post(f"/api/programs/applications/{application_id}/submit")
    assert submitted.status_code == 200 and submitted.json()["receipt_number"]
    assert (
        ApiClient(world.other_admin).get(f"/api/programs/applications/{application_id}").status_code
        == 404
    )
    mine = api.get("/api/programs/applications").json()
    assert mine["count"] == 1 and mine["results"][0]["id"] == application_id


def test_a_late_submission_through_the_api_is_refused_in_the_callers_language(world):
    application = fill_application(world, submit=False)
    Call.objects.filter(pk=world.call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    english = ApiClient(world.admin).post(f"/api/programs/applications/{application.pk}/submit")
    assert english.status_code == 400 and "closed at" in english.json()["errors"]["__all__"][0]
    korean = ApiClient(world.admin, language="ko").post(
        f"/api/programs/applications/{application.pk}/submit"
    )
    assert "마감" in korean.json()["errors"]["__all__"][0]


def test_a_review_through_the_api(world):
    application = fill_application(world)
    Call.objects.filter(pk=world.call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    world.call.refresh_from_db()
    application = services.application_screen(
        actor=world.operator, application=application, eligible=True, reason=""
    )
    reviewer = world.reviewers["npu"]
    assignment = services.assignment_add(
        actor=world.operator, application=application, reviewer=reviewer
    )
    api = ApiClient(reviewer.person.user)
    listed = api.get("/api/programs/reviews").json()
    assert [item["id"] for item in listed] == [assignment.pk]
    criteria = [c.pk for c in world.call.criteria.all()]
    out_of_scale = api.client.put(
        f"/api/programs/reviews/{assignment.pk}",
        {
            "scores": {str(criteria[0]): 7, str(criteria[1]): 3},
            "comment_to_applicant": "ok",
            "submit": True,
        },
        content_type="application/json",
        headers=api.headers,
    )
    assert out_of_scale.status_code == 400
    assert "7 is outside" in out_of_scale.json()["errors"][f"score_{criteria[0]}"][0]
    done = api.client.put(
        f"/api/programs/reviews/{assignment.pk}",
        {
            "scores": {str(criteria[0]): 5, str(criteria[1]): 3},
            "comment_to_applicant": "ok",
            "submit": True,
        },
        content_type="application/json",
        headers=api.headers,
    )
    assert done.status_code == 200 and done.json()["review"]["status"] == "submitted"
    assert ReviewAssignment.objects.get(pk=assignment.pk).status == "accepted"
    # The applicant reads neither the review nor, before the decision, any feedback.
    applicant = ApiClient(world.admin)
    assert applicant.get(f"/api/programs/reviews/{assignment.pk}").status_code == 404
    assert applicant.get(f"/api/programs/applications/{application.pk}/feedback").status_code == 404
    ranking = ApiClient(world.operator).get(f"/api/programs/calls/{world.call.slug}/ranking").json()
    assert ranking[0]["mean"] == pytest.approx(83.33, abs=0.01)
    assert (
        ApiClient(world.admin).get(f"/api/programs/calls/{world.call.slug}/ranking").status_code
        == 403
    )
