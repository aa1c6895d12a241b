"""The talent pages as each role sees them: what is shown, what a form keeps, what is refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from sangsaeng.talent import services
from sangsaeng.talent.models import (
    CompanyRanking,
    ConsentRecord,
    Enrolment,
    MatchRun,
    Opening,
    PlacementRound,
    StudentChoice,
    StudentProfile,
)
from tests.factories import PASSWORD, StudentProfileFactory, UserFactory
from tests.talent.conftest import open_round, past


@pytest.fixture(autouse=True)
def korean_urls():
    translation.activate("ko")
    yield
    translation.deactivate()


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_course_pages_are_public_and_a_student_enrols_from_them(client, world):
    page = client.get(reverse("talent:course_list"))
    assert world.course.title_ko in page.content.decode()
    detail = client.get(world.course.get_absolute_url()).content.decode()
    assert "로그인하고 수강 신청" in detail
    login(client, world.consenting.person.user)
    response = client.post(reverse("talent:course_enrol", args=[world.course.pk]), follow=True)
    assert "수강 신청했습니다" in response.content.decode()
    assert Enrolment.objects.filter(student=world.consenting.person).count() == 1
    again = client.post(reverse("talent:course_enrol", args=[world.course.pk]), follow=True)
    assert "이미 이 과정에 수강 신청했습니다." in again.content.decode()


def test_a_full_course_offers_its_waiting_list(client, world):
    for profile in (StudentProfileFactory(), StudentProfileFactory()):
        services.enrol(actor=profile.person.user, course=world.course)
    login(client, world.consenting.person.user)
    detail = client.get(world.course.get_absolute_url()).content.decode()
    assert "대기자 명단에 오르기" in detail
    response = client.post(
        reverse("talent:course_enrol", args=[world.course.pk]), {"join_waitlist": "1"}, follow=True
    )
    assert "대기자 명단 1번" in response.content.decode()


def test_the_provider_marks_completion_and_the_student_downloads_the_pdf(client, world):
    enrolment = services.enrol(actor=world.consenting.person.user, course=world.course)
    login(client, world.provider)
    roster = client.get(reverse("talent:course_roster", args=[world.course.pk]))
    assert "강하은" in roster.content.decode()
    empty = client.post(reverse("talent:course_roster", args=[world.course.pk]), {})
    assert "수료한 학생을 고르세요." in empty.content.decode()
    done = client.post(
        reverse("talent:course_roster", args=[world.course.pk]),
        {"enrolments": [enrolment.pk]},
        follow=True,
    )
    assert "수료증 1장" in done.content.decode()
    enrolment.refresh_from_db()
    code = enrolment.certificate.code

    client.logout()
    login(client, world.consenting.person.user)
    detail = client.get(world.course.get_absolute_url()).content.decode()
    assert code in detail
    pdf = client.get(reverse("talent:certificate_pdf", args=[enrolment.certificate.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert content.startswith(b"%PDF") and len(content) > 5000

    client.logout()
    login(client, world.company_admin)  # nobody else downloads it
    other = client.get(reverse("talent:certificate_pdf", args=[enrolment.certificate.pk]))
    assert other.status_code == 404

    client.logout()
    check = client.get(reverse("talent:certificate_verify"), {"code": code}).content.decode()
    assert "진짜 수료증입니다" in check and "강*은" in check and "강하은" not in check
    missing = client.get(reverse("talent:certificate_verify"), {"code": "ZZZZ-ZZZZ-ZZZZ"})
    assert "이 코드의 수료증은 없습니다" in missing.content.decode()


def test_becoming_a_student_needs_consent_and_keeps_what_was_typed(client, world):
    user = UserFactory()
    login(client, user)
    page = client.get(reverse("talent:profile")).content.decode()
    assert "개인정보 수집·이용 동의" in page
    refused = client.post(
        reverse("talent:profile"),
        {"name_ko": "이학생", "study_program": "전자공학과", "consent_to_profile": ""},
    )
    text = refused.content.decode()
    assert "동의가 있어야 학생 프로필을 보관합니다" in text
    assert 'value="이학생"' in text and 'value="전자공학과"' in text
    assert not StudentProfile.objects.filter(person__user=user).exists()
    client.post(
        reverse("talent:profile"),
        {"name_ko": "이학생", "organisation": world.university.pk, "consent_to_profile": "on"},
    )
    profile = StudentProfile.objects.get(person__user=user)
    assert profile.person.organisation == world.university
    assert not ConsentRecord.objects.filter(user=user, purpose="talent_companies").exists()
    shown = client.get(reverse("talent:profile")).content.decode()
    assert "기업에 내 프로필 보여 주기" in shown


def test_a_student_withdraws_consent_and_deletes_the_profile(client, world):
    user = world.consenting.person.user
    login(client, user)
    client.post(reverse("talent:consent_change"))
    assert not ConsentRecord.objects.filter(
        user=user, purpose="talent_companies", withdrawn_at__isnull=True
    ).exists()
    unconfirmed = client.post(reverse("talent:profile_delete"), follow=True)
    assert "확인 칸에 표시하세요" in unconfirmed.content.decode()
    assert StudentProfile.objects.filter(pk=world.consenting.pk).exists()
    client.post(reverse("talent:profile_delete"), {"confirm": "1"})
    assert not StudentProfile.objects.filter(pk=world.consenting.pk).exists()


def test_an_opening_with_no_positions_keeps_the_form(client, world):
    login(client, world.company_member)
    response = client.post(
        reverse("talent:opening_create"),
        {
            "organisation": world.company.pk,
            "kind": "internship",
            "title_ko": "검증 인턴",
            "title_en": "Verification intern",
            "positions": "0",
            "status": "open",
        },
    )
    text = response.content.decode()
    assert "공고에는 한 자리 이상이 있어야 합니다." in text
    assert 'value="검증 인턴"' in text
    assert not Opening.objects.filter(title_ko="검증 인턴").exists()


def test_the_company_sees_only_consenting_students_for_its_opening(client, world):
    login(client, world.company_member)
    page = client.get(world.opening.get_absolute_url()).content.decode()
    assert "강하은" in page
    assert "비공개학생" not in page and "Zanzibarite" not in page
    client.logout()
    login(client, world.other_admin)  # another company sees no students on this opening
    other = client.get(world.opening.get_absolute_url()).content.decode()
    assert "강하은" not in other


def test_a_student_sees_openings_ranked_for_them_with_reasons(client, world):
    login(client, world.consenting.person.user)
    page = client.get(reverse("talent:opening_list")).content.decode()
    assert "나에게 맞는 순서" in page
    assert world.opening.title_ko in page
    assert "공통 기술" in page  # the shared skill is named


def test_rank_match_and_result_through_the_pages(client, world, django_capture_on_commit_callbacks):
    placement_round = open_round(world, max_choices=2)
    student = world.consenting.person.user
    login(client, student)
    client.post(reverse("talent:round_join", args=[placement_round.pk]))
    too_many = {f"rank_{world.opening.pk}": "1", f"rank_{world.other_opening.pk}": "1"}
    same = client.post(reverse("talent:round_rank", args=[placement_round.pk]), too_many)
    assert "서로 다른 번호를 매기세요." in same.content.decode()
    client.post(
        reverse("talent:round_rank", args=[placement_round.pk]),
        {f"rank_{world.opening.pk}": "2", f"rank_{world.other_opening.pk}": "1"},
    )
    assert list(
        StudentChoice.objects.filter(round=placement_round)
        .order_by("rank")
        .values_list("opening_id", flat=True)
    ) == [world.other_opening.pk, world.opening.pk]

    client.logout()
    login(client, world.company_member)
    applicants = client.get(
        reverse("talent:round_applicants", args=[placement_round.pk, world.opening.pk])
    ).content.decode()
    assert "강하은" in applicants and "1순위" not in applicants  # never the student's rank of it
    client.post(
        reverse("talent:round_applicants", args=[placement_round.pk, world.opening.pk]),
        {"engine": "1"},
    )
    assert CompanyRanking.objects.filter(opening=world.opening).count() == 1

    PlacementRound.objects.filter(pk=placement_round.pk).update(
        students_deadline=past(2), companies_deadline=past(1)
    )
    client.logout()
    login(client, world.operator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("talent:round_match", args=[placement_round.pk]))
    run = MatchRun.objects.get(round=placement_round)
    assert run.status == MatchRun.Status.DONE
    status = client.get(reverse("talent:run_status", args=[run.pk])).json()
    assert status["finished"] and status["progress"] == 100
    report = client.get(reverse("talent:round_report", args=[placement_round.pk])).content.decode()
    assert "학생 1명이 순위를 냈고" in report

    client.logout()
    login(client, student)
    detail = client.get(placement_round.get_absolute_url()).content.decode()
    assert world.other_opening.title_ko in detail and "제안 수락" in detail


def test_ranking_after_the_deadline_keeps_the_list_and_says_why(client, world):
    placement_round = open_round(world)
    student = world.consenting.person.user
    services.round_join(actor=student, placement_round=placement_round)
    services.choices_set(actor=student, placement_round=placement_round, openings=[world.opening])
    PlacementRound.objects.filter(pk=placement_round.pk).update(
        students_deadline=past(1), companies_deadline=past(0)
    )
    login(client, student)
    response = client.post(
        reverse("talent:round_rank", args=[placement_round.pk]),
        {f"rank_{world.other_opening.pk}": "1"},
    )
    assert "이 라운드의 순위 제출 마감" in response.content.decode()
    assert StudentChoice.objects.get().opening == world.opening


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_talent_page_renders_for_each_role(client, world, language):
    placement_round = open_round(world)
    pages = [
        reverse("talent:home"),
        reverse("talent:course_list"),
        world.course.get_absolute_url(),
        reverse("talent:opening_list"),
        world.opening.get_absolute_url(),
        reverse("talent:round_list"),
        placement_round.get_absolute_url(),
        reverse("talent:certificate_verify"),
    ]
    signed_in = [
        reverse("talent:profile"),
        reverse("talent:outcomes"),
    ]
    with translation.override(language):
        pages = [p.replace("/ko/", f"/{language}/") for p in pages]
        signed_in = [p.replace("/ko/", f"/{language}/") for p in signed_in]
    for user in (
        None,
        world.consenting.person.user,
        world.company_admin,
        world.provider,
        world.operator,
    ):
        client.logout()
        if user is not None:
            login(client, user)
        for path in pages + (signed_in if user else []):
            response = client.get(path)
            assert response.status_code == 200, (path, user)
    login(client, world.operator)
    for path in (
        reverse("talent:round_create"),
        reverse("talent:round_edit", args=[placement_round.pk]),
        reverse("talent:round_report", args=[placement_round.pk]),
        reverse("talent:placement_record"),
    ):
        assert client.get(path).status_code == 200, path


def test_operator_pages_are_refused_to_others(client, world):
    placement_round = open_round(world)
    login(client, world.company_admin)
    assert client.get(reverse("talent:round_create")).status_code == 403
    assert client.get(reverse("talent:round_report", args=[placement_round.pk])).status_code == 403
    assert client.post(reverse("talent:round_match", args=[placement_round.pk])).status_code == 403
    assert client.get(reverse("talent:placement_record")).status_code == 403


def test_an_opening_of_the_round_is_dated_in_seoul_time(client, world):
    placement_round = open_round(world)
    PlacementRound.objects.filter(pk=placement_round.pk).update(
        students_deadline=datetime.datetime(2030, 1, 1, 0, 0, tzinfo=datetime.UTC),
        companies_deadline=datetime.datetime(2030, 1, 2, 0, 0, tzinfo=datetime.UTC),
    )
    page = client.get(placement_round.get_absolute_url()).content.decode()
    assert "2030-01-01 09:00" in page


def test_the_account_lists_the_student_consents_and_where_to_withdraw_them(client, world):
    """One place shows every consent: “My account → Privacy and consents” lists the talent
    consents too, each with the page where it is withdrawn, and drops a withdrawn one."""
    user = world.consenting.person.user
    login(client, user)
    page = client.get(reverse("accounts:consents")).content.decode()
    table = _other_consents(page)
    companies = str(ConsentRecord.Purpose.COMPANIES.label)
    assert "다른 동의" in page
    assert companies in table
    assert f'href="{reverse("talent:profile")}"' in table
    client.post(reverse("talent:consent_change"))
    page = client.get(reverse("accounts:consents")).content.decode()
    assert companies not in _other_consents(page)


def _other_consents(page: str) -> str:
    if 'id="other-consent-table"' not in page:
        return ""
    start = page.index('id="other-consent-table"')
    return page[start : page.index("</table>", start)]
