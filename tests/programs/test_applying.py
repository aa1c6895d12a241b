"""Applying to a call through the services: eligibility, drafts, files, partners, submission
(refused one second late), withdrawal and screening. Every bad input is a translated error
that leaves what was saved as it was."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from sangsaeng.programs import services
from sangsaeng.programs.models import Application, ApplicationFile, Call
from sangsaeng.programs.services import application_problems
from tests.factories import MembershipFactory, OrganisationFactory
from tests.programs.conftest import SECRET, fill_application, pdf_upload, xlsx_upload

pytestmark = pytest.mark.django_db


def _draft(world):
    return services.application_start(
        actor=world.admin, call=world.call, organisation=world.company
    )


def _save(world, application, **changes):
    arguments = {
        "title": "NPU 공동연구",
        "requested_amount": 50_000_000,
        "area": world.area,
        "answers": {"summary": "개요"},
    }
    arguments.update(changes)
    return services.application_save(actor=world.admin, application=application, **arguments)


def test_a_member_starts_a_draft_only_when_the_organisation_is_eligible(world):
    application = _draft(world)
    assert application.status == "draft" and application.created_by == world.admin
    assert all(check["passed"] for check in application.eligibility)
    # A company outside the region is refused, with the check that failed in words.
    far = OrganisationFactory(city="부산시", address="부산시 해운대구", tags=[world.area])
    far_admin = MembershipFactory(organisation=far, role="admin").user
    with pytest.raises(ValidationError) as refused:
        services.application_start(actor=far_admin, call=world.call, organisation=far)
    assert "성남시" in " ".join(refused.value.messages)
    assert not Application.objects.filter(organisation=far).exists()


def test_eligibility_messages_are_korean_on_a_korean_request(world):
    university_admin = MembershipFactory(organisation=world.university, role="admin").user
    with translation.override("ko"), pytest.raises(ValidationError) as refused:
        services.application_start(
            actor=university_admin, call=world.call, organisation=world.university
        )
    assert "기관 유형" in " ".join(refused.value.messages)


def test_one_live_application_per_organisation(world):
    _draft(world)
    with pytest.raises(ValidationError, match="already has an application"):
        services.application_start(actor=world.member, call=world.call, organisation=world.company)


def test_outsiders_cannot_apply_for_an_organisation(world):
    with pytest.raises(PermissionDenied):
        services.application_start(
            actor=world.other_admin, call=world.call, organisation=world.company
        )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"answers": {"summary": "가" * 4001}}, "answer_summary", "at most 4000 characters"),
        ({"answers": {"team_size": "여섯"}}, "answer_team_size", "Enter a number"),
        ({"answers": {"team_size": "80"}}, "answer_team_size", "at most 50"),
        ({"answers": {"stage": "c9"}}, "answer_stage", "Choose one of the options"),
        ({"answers": {"start": "2026-02-30"}}, "answer_start", "YYYY-MM-DD"),
        ({"requested_amount": 150_000_000}, "requested_amount", "at most 100,000,000 won"),
    ],
)
def test_a_bad_value_is_refused_beside_its_question_and_nothing_is_lost(
    world, changes, field, message
):
    application = _draft(world)
    _save(world, application, answers={"summary": "첫 저장"})
    with pytest.raises(ValidationError) as refused:
        _save(world, application, **changes)
    assert message in " ".join(refused.value.message_dict[field])
    application.refresh_from_db()
    assert application.answers == {"summary": "첫 저장"}
    assert application.requested_amount == 50_000_000


def test_answers_are_stored_in_their_clean_form(world):
    application = _save(
        world,
        _draft(world),
        answers={"summary": " 개요 ", "team_size": "1,2", "start": "2026-03-01", "stage": "c1"},
    )
    assert application.answers == {
        "summary": "개요",
        "team_size": 12,
        "start": "2026-03-01",
        "stage": "c1",
    }


def test_files_must_be_real_pdf_or_xlsx_within_the_limit(world):
    application = _draft(world)
    services.application_file_upload(
        actor=world.admin, application=application, field_key="plan", upload=xlsx_upload()
    )
    assert ApplicationFile.objects.get(application=application).file_type == "xlsx"
    wrong = [
        (SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf"), "neither"),
        (SimpleUploadedFile("plan.docx", b"%PDF-1.4 renamed"), "neither"),
        (pdf_upload(size=2 * 1024 * 1024), "up to 1 MB"),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
    ]
    for upload, message in wrong:
        with pytest.raises(ValidationError) as refused:
            services.application_file_upload(
                actor=world.admin, application=application, field_key="plan", upload=upload
            )
        assert message in " ".join(refused.value.message_dict["answer_plan"])
    # The good file stays.
    assert ApplicationFile.objects.get(application=application).file_type == "xlsx"


def test_an_incomplete_application_is_refused_with_every_missing_part(world):
    application = _draft(world)
    with pytest.raises(ValidationError) as refused:
        services.application_submit(actor=world.admin, application=application)
    problems = refused.value.message_dict
    assert set(problems) >= {"title", "requested_amount", "answer_summary", "answer_plan", "area"}
    application.refresh_from_db()
    assert application.status == "draft" and application.receipt_number is None


def test_submission_freezes_the_application_and_mails_a_numbered_receipt(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        application = fill_application(world)
    assert application.status == "submitted"
    assert application.receipt_number == f"{world.call.opens_at.year}-{world.call.pk:03d}-0001"
    receipts = [m for m in mail.outbox if application.receipt_number in m.subject]
    assert len(receipts) == 1
    assert world.admin.email in receipts[0].to
    assert "received your application" in receipts[0].body
    assert application.vector.model  # its embedding is stored for the assignment
    with pytest.raises(ValidationError, match="frozen"):  # submitted: nobody edits it any more
        _save(world, application)


def test_the_receipt_is_written_in_the_applicants_language(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), translation.override("ko"):
        application = fill_application(world)
    assert application.language == "ko"
    receipt = next(m for m in mail.outbox if application.receipt_number in m.subject)
    assert "접수" in receipt.subject and "접수번호" in receipt.body


def test_the_server_refuses_a_submission_one_second_after_the_deadline(world):
    application = fill_application(world, submit=False)
    Call.objects.filter(pk=world.call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError) as refused:
        services.application_submit(actor=world.admin, application=application)
    assert "closed at" in refused.value.messages[0]
    application.refresh_from_db()
    assert application.status == "draft" and application.answers["summary"].endswith(SECRET)


def test_a_submission_at_the_last_second_is_accepted(world, monkeypatch):
    application = fill_application(world, submit=False)
    deadline = world.call.closes_at
    monkeypatch.setattr(services, "_now", lambda: deadline)
    assert services.application_submit(actor=world.admin, application=application).status == (
        "submitted"
    )
    later = fill_application_for_other(world)
    monkeypatch.setattr(services, "_now", lambda: deadline + datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.application_submit(actor=world.other_admin, application=later)


def fill_application_for_other(world):
    application = services.application_start(
        actor=world.other_admin, call=world.call, organisation=world.other_company
    )
    services.application_save(
        actor=world.other_admin,
        application=application,
        title="DRAM",
        requested_amount=10_000_000,
        area=world.area,
        answers={"summary": "LPDDR5"},
    )
    services.application_file_upload(
        actor=world.other_admin, application=application, field_key="plan", upload=pdf_upload()
    )
    return application


def test_withdrawal_before_the_deadline_only(world):
    application = fill_application(world)
    services.application_withdraw(actor=world.member, application=application)
    application.refresh_from_db()
    assert application.status == "withdrawn" and application.withdrawn_at
    # A fresh application may follow the withdrawn one.
    assert _draft(world).status == "draft"
    other = fill_application_for_other(world)
    services.application_submit(actor=world.other_admin, application=other)
    Call.objects.filter(pk=world.call.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        services.application_withdraw(actor=world.other_admin, application=other)


def test_partners_are_organisations_or_experts_once_each(world):
    application = _draft(world)
    services.partner_add(actor=world.admin, application=application, organisation=world.university)
    with pytest.raises(ValidationError, match="already on the application"):
        services.partner_add(
            actor=world.admin, application=application, organisation=world.university
        )
    with pytest.raises(ValidationError, match="its own partner"):
        services.partner_add(actor=world.admin, application=application, organisation=world.company)
    expert = world.reviewers["npu"].person
    services.partner_add(actor=world.admin, application=application, person=expert, role="자문")
    assert application.partners.count() == 2


def test_screening_needs_a_reason_to_refuse_and_tells_the_applicant(world):
    from sangsaeng.notifications.models import Notification

    application = fill_application(world)
    with pytest.raises(ValidationError) as refused:
        services.application_screen(
            actor=world.operator, application=application, eligible=False, reason=""
        )
    assert "reason" in refused.value.message_dict
    services.application_screen(
        actor=world.operator, application=application, eligible=False, reason="중복 지원"
    )
    application.refresh_from_db()
    assert application.status == "ineligible" and application.screening_reason == "중복 지원"
    notification = Notification.objects.get(recipient=world.admin, kind="program_screening")
    assert notification.context["receipt"] == application.receipt_number
    assert SECRET not in str(notification.context)
    with pytest.raises(PermissionDenied):
        services.application_screen(
            actor=world.admin, application=application, eligible=True, reason="self"
        )


def test_the_problems_list_empties_as_the_draft_completes(world):
    application = fill_application(world, submit=False)
    assert application_problems(application) == {}


@pytest.mark.parametrize(
    ("least", "most", "in_english", "in_korean"),
    [
        (None, 400, "at most 400 employees", "직원 400명 이하"),
        (5, None, "at least 5 employees", "직원 5명 이상"),
        (5, 400, "5 to 400 employees", "직원 5–400명"),
    ],
)
def test_a_size_limit_with_one_bound_reads_as_words_not_a_dash(least, most, in_english, in_korean):
    from sangsaeng.programs.eligibility import SIZE, EligibilityCheck

    check = EligibilityCheck(SIZE, True, {"employees": 8, "least": least, "most": most})
    assert check.message == f"Company size: 8 employees (eligible: {in_english})."
    with translation.override("ko"):
        assert check.message == f"기업 규모: 직원 8명 (대상: {in_korean})."
        assert "—" not in check.message
