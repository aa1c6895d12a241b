"""The talent paths as people walk them, in a real browser, in Korean.

1. A student enrols in a course; the provider marks completion; the student downloads the
   certificate and anybody checks its code on the public page.
2. A student joins a round and ranks openings; the company starts its list from the
   engine's order; the operator runs the match (a background task, immediate in tests) and
   the student sees the offer and accepts it.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from sangsaeng.accounts.models import Membership
from sangsaeng.search.index import search_index
from sangsaeng.talent.models import Certificate, MatchResult, Placement, PlacementRound
from tests.factories import (
    PASSWORD,
    CourseFactory,
    MembershipFactory,
    OpeningFactory,
    OperatorFactory,
    OrganisationFactory,
    PlacementRoundFactory,
    StudentProfileFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/ko/accounts/login/")
    page.get_by_label(re.compile("이메일")).first.fill(email)
    page.get_by_label(re.compile("비밀번호")).first.fill(PASSWORD)
    page.locator("form").filter(has=page.locator("input[type=password]")).locator(
        "button[type=submit]"
    ).click()
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()


def another(browser: Browser, base_url: str, email: str) -> Page:
    """A browser of this person's own."""
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base_url, email)
    return page


@pytest.fixture
def people():
    verification = TaxonomyTermFactory(code="verification", name_ko="검증", name_en="Verification")
    university = OrganisationFactory(
        kind="university", name_ko="세종대학교", name_en="Sejong University"
    )
    company = OrganisationFactory(name_ko="판교칩스", name_en="Pangyo Chips")
    student = StudentProfileFactory(
        person__organisation=university,
        person__name_ko="강하은",
        person__name_en="Haeun Kang",
        person__user__email="haeun@student.example",
        skills=[verification],
        companies=True,
    )
    provider = MembershipFactory(organisation=university, user__email="teacher@sejong.example").user
    recruiter = MembershipFactory(
        organisation=company, role=Membership.Role.ADMIN, user__email="hr@pangyochips.example"
    ).user
    course = CourseFactory(
        organisation=university,
        title_ko="UVM 기반 SoC 검증",
        title_en="UVM-based SoC verification",
        tags=[verification],
        capacity=20,
    )
    opening = OpeningFactory(
        organisation=company,
        title_ko="SoC 검증 인턴",
        title_en="SoC verification intern",
        tags=[verification],
    )
    other = OpeningFactory(organisation=OrganisationFactory(), title_ko="아날로그 설계 인턴")
    return {
        "student": student,
        "provider": provider,
        "recruiter": recruiter,
        "operator": OperatorFactory(email="office@seongnam.example"),
        "course": course,
        "opening": opening,
        "other": other,
    }


def test_enrol_complete_and_check_the_certificate(
    page: Page, browser: Browser, live_server, people
):
    base = live_server.url
    log_in(page, base, "haeun@student.example")
    page.goto(f"{base}/ko/talent/courses/")
    page.get_by_role("link", name="UVM 기반 SoC 검증").click()
    page.locator("#enrol-button").click()
    expect(page.locator(".messages")).to_contain_text("수강 신청했습니다.")
    expect(page.locator("#enrolment-status")).to_have_text("수강 신청했습니다.")

    teacher = another(browser, base, "teacher@sejong.example")
    teacher.goto(f"{base}{people['course'].get_absolute_url()}")
    teacher.locator("#roster-link").click()
    teacher.get_by_label("수료: 강하은").check()
    teacher.locator("#mark-complete").click()
    expect(teacher.locator(".messages")).to_contain_text("수료증 1장을 발급했습니다.")
    code = Certificate.objects.get().code
    expect(teacher.locator("#roster")).to_contain_text(code)

    page.reload()
    expect(page.locator("#enrolment-status")).to_have_text("이 과정을 수료했습니다.")
    expect(page.locator("#certificate-code")).to_have_text(code)
    with page.expect_download() as download:
        page.locator("#certificate-download").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")

    # Anybody, signed in or not, checks the code; the name shows masked.
    visitor = browser.new_context(locale="ko-KR").new_page()
    visitor.goto(f"{base}/ko/talent/verify/")
    visitor.get_by_label("확인 코드").fill(code.lower())
    visitor.get_by_label(re.compile("수료증에 인쇄된 이름")).fill("강하은")
    visitor.get_by_role("button", name="확인").click()
    result = visitor.locator("#check-result")
    expect(result).to_contain_text("진짜 수료증입니다")
    expect(result.locator("#check-course")).to_have_text("UVM 기반 SoC 검증")
    expect(result.locator("#check-holder")).to_have_text("강*은")
    expect(visitor.locator("#name-check")).to_contain_text("일치합니다")


def test_rank_match_and_accept_the_result(page: Page, browser: Browser, live_server, people):
    base = live_server.url
    now = timezone.now()
    placement_round = PlacementRoundFactory(
        name_ko="2027 여름 현장실습",
        openings=[people["opening"], people["other"]],
        max_choices=2,
        students_deadline=now + datetime.timedelta(days=7),
        companies_deadline=now + datetime.timedelta(days=8),
    )
    # A running server holds its search index; build it before the clock of the first click.
    search_index().current()
    log_in(page, base, "haeun@student.example")
    page.goto(f"{base}{placement_round.get_absolute_url()}")
    page.locator("#join-round").click()
    expect(page.locator(".messages")).to_contain_text("라운드에 참여했습니다.")
    expect(page.get_by_role("heading", level=1)).to_have_text("공고 순위 내기")
    # The opening that fits the student's skills comes first, with the reason.
    first_row = page.locator(".rank-row").first
    expect(first_row).to_contain_text("SoC 검증 인턴")
    expect(first_row).to_contain_text("공통 기술")
    page.get_by_label("순위: SoC 검증 인턴").fill("1")
    page.locator("#save-ranking").click()
    expect(page.locator(".messages")).to_contain_text("지망 순위를 저장했습니다.")
    expect(page.locator("#my-choices")).to_contain_text("SoC 검증 인턴")

    company = another(browser, base, "hr@pangyochips.example")
    company.goto(f"{base}{placement_round.get_absolute_url()}")
    company.locator("#company-openings").get_by_role("link", name="지원자 순위 매기기").click()
    expect(company.locator("#applicant-form")).to_contain_text("강하은")
    company.locator("#start-from-engine").click()
    expect(company.locator(".messages")).to_contain_text("엔진이 정한 순서로")
    expect(company.get_by_label("순위: 강하은")).to_have_value("1")

    PlacementRound.objects.filter(pk=placement_round.pk).update(
        students_deadline=now - datetime.timedelta(hours=2),
        companies_deadline=now - datetime.timedelta(hours=1),
    )
    office = another(browser, base, "office@seongnam.example")
    office.goto(f"{base}{placement_round.get_absolute_url()}")
    office.locator("#run-match").click()
    expect(office.locator("#round-status")).to_have_text("결과 발표", timeout=20_000)
    office.locator("#report-link").click()
    expect(office.locator("#choice-counts-1")).to_contain_text("1")
    expect(office.locator("#phase-1")).to_contain_text("학생 1명이 순위를 냈고, 1명이 배정되었으며")

    page.goto(f"{base}{placement_round.get_absolute_url()}")
    expect(page.locator("#my-result")).to_contain_text("SoC 검증 인턴")
    expect(page.locator("#my-result")).to_contain_text("1지망")
    page.locator("#accept-offer").click()
    expect(page.locator(".messages")).to_contain_text("제안을 수락했습니다.")
    expect(page.locator("#offer-state")).to_have_text("수락됨")
    assert MatchResult.objects.get().offer == "accepted"
    assert Placement.objects.get().employer.name_ko == "판교칩스"
