"""The programs pages through Django's client: what each role sees and may do, bad input shown
beside its field with what was typed kept, and the draft saved as the applicant types."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sangsaeng.programs import services
from sangsaeng.programs.models import (
    Application,
    ApplicationFile,
    Call,
    Conflict,
    FormField,
    Review,
    ReviewAssignment,
)
from tests.programs.conftest import SECRET, fill_application, pdf_upload

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_public_sees_published_calls_and_their_rules(world):
    page = client_for().get("/en/programs/")
    assert world.call.title_en in page.text and "open for applications" in page.text
    detail = client_for().get(world.call.get_absolute_url().replace("/ko/", "/en/"))
    assert "300,000,000" in detail.text and "Technical merit" in detail.text
    assert "Log in as a member" in detail.text
    korean = client_for().get(f"/ko/programs/calls/{world.call.slug}/")
    assert world.call.title_ko in korean.text
    # A size rule with one bound reads as words, never "—–400".
    Call.objects.filter(pk=world.call.pk).update(min_employees=None, max_employees=400)
    detail = client_for().get(world.call.get_absolute_url().replace("/ko/", "/en/"))
    assert "at most 400 employees" in detail.text and "—–" not in detail.text
    korean = client_for().get(f"/ko/programs/calls/{world.call.slug}/")
    assert "직원 400명 이하" in korean.text


def test_a_draft_call_is_the_offices_only(world):
    draft = services.call_create(
        actor=world.operator,
        program=world.call.program,
        title_ko="초안 공고",
        total_budget=1_000,
        max_award=1_000,
        opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=1),
        review_deadline=timezone.now() + datetime.timedelta(days=2),
    )
    assert client_for().get(draft.get_absolute_url()).status_code == 404
    assert client_for(world.admin).get(draft.get_absolute_url()).status_code == 404
    assert client_for(world.operator).get(draft.get_absolute_url()).status_code == 200


def test_the_office_drafts_defines_and_publishes_a_call_on_pages(world):
    office = client_for(world.operator)
    now = timezone.localtime()
    response = office.post(
        "/en/programs/manage/calls/new/",
        {
            "program": world.call.program.pk,
            "title_ko": "반도체 설계 바우처",
            "title_en": "Chip design vouchers",
            "total_budget": "500000000",
            "max_award": "600000000",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
            "review_deadline": (now + datetime.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
            "reviewers_per_application": "3",
            "reviewer_max_load": "6",
            "conflict_years": "3",
            "score_min": "1",
            "score_max": "5",
            "disagreement_points": "25",
        },
    )
    assert response.status_code == 200  # refused: the maximum exceeds the budget
    assert "cannot exceed the total budget" in response.text
    assert 'value="반도체 설계 바우처"' in response.text  # nothing typed is lost
    assert not Call.objects.filter(title_ko="반도체 설계 바우처").exists()


def test_the_form_builder_saves_questions_and_criteria(world):
    office = client_for(world.operator)
    call = services.call_create(
        actor=world.operator,
        program=world.call.program,
        title_ko="바우처",
        total_budget=1_000_000,
        max_award=1_000_000,
        opens_at=timezone.now(),
        closes_at=timezone.now() + datetime.timedelta(days=1),
        review_deadline=timezone.now() + datetime.timedelta(days=2),
    )
    url = reverse("programs:call_form_builder", args=[call.slug]).replace("/ko/", "/en/")
    assert office.get(url).status_code == 200
    data = {
        "fields-TOTAL_FORMS": "2",
        "fields-INITIAL_FORMS": "0",
        "fields-0-key": "budget_plan",
        "fields-0-kind": "choice",
        "fields-0-label_ko": "예산 계획",
        "fields-0-choices": "하나 | one",  # a choice needs two options
        "fields-0-max_file_megabytes": "10",
        "fields-1-kind": "short_text",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name_ko": "혁신성",
        "criteria-0-weight": "3",
    }
    refused = office.post(url, data)
    assert "at least two options" in refused.text
    assert not FormField.objects.filter(call=call).exists()
    data["fields-0-choices"] = "하나 | one\n둘 | two"
    office.post(url, data)
    field = FormField.objects.get(call=call)
    assert field.key == "budget_plan" and field.choices[1] == {
        "value": "c2",
        "ko": "둘",
        "en": "two",
    }
    assert call.criteria.get().weight == 3
    office.post(reverse("programs:call_publish", args=[call.slug]))
    call.refresh_from_db()
    assert call.status == "published"


def test_applying_on_pages_keeps_every_value_when_one_is_wrong(world):
    applicant = client_for(world.admin)
    apply_url = reverse("programs:apply", args=[world.call.slug]).replace("/ko/", "/en/")
    page = applicant.get(apply_url)
    assert "Located in the region" in page.text
    started = applicant.post(apply_url, {"organisation": world.company.slug})
    application = Application.objects.get(organisation=world.company)
    assert started.url.endswith(f"/applications/{application.pk}/edit/")
    edit = f"/en/programs/applications/{application.pk}/edit/"
    response = applicant.post(
        edit,
        {
            "title": "희소 NPU",
            "requested_amount": "80,000,000",
            "area": world.area.pk,
            "answer_summary": "요약입니다",
            "answer_team_size": "many",
            "answer_plan": pdf_upload(),
        },
    )
    assert response.status_code == 200
    assert "Enter a number." in response.text
    assert "요약입니다" in response.text and 'value="many"' in response.text
    # The answers were refused together; the good file was kept on its own.
    application.refresh_from_db()
    assert (
        application.answers == {}
        and ApplicationFile.objects.filter(application=application).exists()
    )
    wrong_file = applicant.post(
        edit,
        {"title": "희소 NPU", "answer_summary": "요약", "answer_plan": pdf_upload("plan.exe")},
    )
    assert "neither" in wrong_file.text


def test_the_draft_is_saved_as_the_applicant_types(world):
    application = services.application_start(
        actor=world.admin, call=world.call, organisation=world.company
    )
    url = f"/en/programs/applications/{application.pk}/autosave/"
    client = client_for(world.admin)
    saved = client.post(url, {"title": "자동 저장", "answer_summary": "초안"})
    assert saved.json()["saved"] is True
    application.refresh_from_db()
    assert application.title == "자동 저장" and application.answers == {"summary": "초안"}
    refused = client.post(url, {"title": "자동 저장 2", "answer_team_size": "x"})
    assert refused.status_code == 400 and "answer_team_size" in refused.json()["errors"]
    application.refresh_from_db()
    assert application.title == "자동 저장"
    assert client_for(world.other_admin).post(url, {"title": "hijack"}).status_code == 404


def test_submitting_on_the_page_shows_the_receipt_and_refuses_late(world):
    application = fill_application(world, submit=False)
    client = client_for(world.admin)
    done = client.post(f"/en/programs/applications/{application.pk}/submit/", follow=True)
    application.refresh_from_db()
    assert application.receipt_number in done.text and "Submitted" in done.text
    late = fill_application_other(world)
    Call.objects.filter(pk=world.call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    refused = client_for(world.other_admin).post(
        f"/en/programs/applications/{late.pk}/submit/", follow=True
    )
    assert "nothing can be submitted now" in refused.text
    late.refresh_from_db()
    assert late.status == "draft"


def fill_application_other(world):
    application = services.application_start(
        actor=world.other_admin, call=world.call, organisation=world.other_company
    )
    services.application_save(
        actor=world.other_admin,
        application=application,
        title="DRAM",
        requested_amount=1,
        area=world.area,
        answers={"summary": "x"},
    )
    services.application_file_upload(
        actor=world.other_admin, application=application, field_key="plan", upload=pdf_upload()
    )
    return application


def test_every_manage_page_answers_the_office_and_refuses_others(
    world, django_capture_on_commit_callbacks
):
    fill_application(world)
    Call.objects.filter(pk=world.call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    world.call.refresh_from_db()
    services.applications_screen_passing(actor=world.operator, call=world.call)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_start(actor=world.operator, call=world.call)
    slug = world.call.slug
    pages = [
        "call_manage",
        "call_edit",
        "call_form_builder",
        "conflicts",
        "assignment",
        "review_progress",
        "ranking",
        "awards",
        "export_applications",
        "export_reviews",
    ]
    for language in ("ko", "en"):
        for name in pages:
            url = reverse(f"programs:{name}", args=[slug]).replace("/ko/", f"/{language}/")
            assert client_for(world.operator).get(url).status_code == 200, url
            assert client_for(world.admin).get(url).status_code == 403, url
            assert client_for().get(url).status_code == 302, url  # to the login page
    office = client_for(world.operator)
    assignment = office.get(f"/en/programs/manage/calls/{slug}/assignment/")
    assert "Send the invitations" in assignment.text and "best evidence" in assignment.text
    run = world.call.assignment_runs.get()
    assigned = run.proposals.filter(role="assigned").first()
    alternate = run.proposals.filter(role="alternate", application=assigned.application).first()
    swapped = office.post(
        "/en/programs/manage/proposals/swap/",
        {"proposal": assigned.pk, "replacement": alternate.pk, "page": "1"},
        follow=True,
    )
    assert "Swapped." in swapped.text
    alternate.refresh_from_db()
    assert alternate.role == "assigned" and alternate.swapped_in
    assert (
        client_for(world.admin)
        .post("/en/programs/manage/proposals/swap/", {"proposal": assigned.pk, "replacement": 1})
        .status_code
        == 404
    )


def test_reviewer_pages(world, django_capture_on_commit_callbacks):
    application = fill_application(world)
    Call.objects.filter(pk=world.call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    world.call.refresh_from_db()
    services.applications_screen_passing(actor=world.operator, call=world.call)
    services.conflicts_refresh(actor=world.operator, call=world.call)
    reviewer = client_for(world.users["npu"])
    profile = reviewer.get("/en/programs/reviewer/")
    assert "I am available to review applications" in profile.text
    assert world.call.title_en in profile.text  # a call to bid on
    bids = reviewer.get(f"/en/programs/reviewer/calls/{world.call.slug}/")
    assert application.title in bids.text and SECRET + " NPU" in bids.text
    assert "엣지 비전용" not in bids.text  # the title only, never the contents
    reviewer.post(f"/en/programs/reviewer/applications/{application.pk}/bid/", {"kind": "eager"})
    assert application.bids.get().kind == "eager"
    conflicted = client_for(world.users["partner"]).get(
        f"/en/programs/reviewer/calls/{world.call.slug}/"
    )
    assert application.title not in conflicted.text
    with django_capture_on_commit_callbacks(execute=True):
        run = services.assignment_start(actor=world.operator, call=world.call)
    run.refresh_from_db()
    services.invitations_send(actor=world.operator, run=run)
    assignment = ReviewAssignment.objects.filter(application=application).first()
    invited = client_for(assignment.reviewer.person.user)
    assert "Accept" in invited.get("/en/programs/reviews/").text
    invited.post(f"/en/programs/reviews/{assignment.pk}/respond/", {"answer": "accept"})
    form = invited.get(f"/en/programs/reviews/{assignment.pk}/")
    assert "엣지 비전용" in form.text  # the assigned reviewer reads the contents
    criteria = list(world.call.criteria.all())
    out_of_scale = invited.post(
        f"/en/programs/reviews/{assignment.pk}/",
        {
            f"score_{criteria[0].pk}": "9",
            f"score_{criteria[1].pk}": "3",
            "comment_to_applicant": "좋은 제안",
            "action": "submit",
        },
    )
    assert "9 is outside" in out_of_scale.text and "좋은 제안" in out_of_scale.text
    # After the deadline the review reads as it stands: no field to edit, no button to press.
    ReviewAssignment.objects.filter(pk=assignment.pk).update(
        due_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    late = invited.get(f"/en/programs/reviews/{assignment.pk}/")
    assert "The deadline has passed" in late.text
    assert 'id="submit-review"' not in late.text and 'id="save-review"' not in late.text
    assert f'name="score_{criteria[0].pk}"' in late.text and "disabled" in late.text
    refused = invited.post(
        f"/en/programs/reviews/{assignment.pk}/",
        {f"score_{criteria[0].pk}": "3", "comment_to_applicant": "늦은 평가", "action": "submit"},
    )
    assert "The deadline has passed" in refused.text
    assert not Review.objects.filter(assignment=assignment, submitted_at__isnull=False).exists()


def test_the_applicant_pages_show_no_reviewer(world):
    application = fill_application(world)
    page = client_for(world.member).get(application.get_absolute_url().replace("/ko/", "/en/"))
    assert application.receipt_number in page.text and "Screening" in page.text
    assert Conflict.objects.count() == 0


def test_the_dashboard_shows_the_programs_panel(world):
    fill_application(world)
    page = client_for(world.admin).get("/en/accounts/dashboard/")
    assert "Support programs" in page.text and SECRET in page.text


def test_the_office_sees_the_automatic_checks_beside_each_screening(world):
    application = fill_application(world)
    office = client_for(world.operator)
    page = office.get(f"/en/programs/manage/calls/{world.call.slug}/")
    assert "Every automatic check passed at submission" in page.text
    # A check that failed is named in the reader's language, not as a code.
    Application.objects.filter(pk=application.pk).update(
        eligibility=[
            {"code": "region", "passed": False, "facts": {"region": "성남시", "where": "수원시"}}
        ]
    )
    page = office.get(f"/en/programs/manage/calls/{world.call.slug}/")
    assert "Every automatic check passed" not in page.text
    assert "The call is for organisations located in 성남시" in page.text
