"""Every talent page as each role sees it (a student, a company, a university running
courses, the cluster office), in Korean and English, on a phone (390 px): no page is wider
than the screen and no table header breaks one letter per line. Screenshots at 390 px and
1280 px go to ``$TALENT_SCREENSHOTS`` when it is set (for walking the pages by eye)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from sangsaeng.accounts.models import Membership
from sangsaeng.talent import services
from sangsaeng.talent.models import PlacementRound
from tests.browser.test_phone_widths import _letter_per_line_headers, _log_in
from tests.factories import (
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
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def talent_site():
    verification = TaxonomyTermFactory(code="verification", name_ko="검증", name_en="Verification")
    university = OrganisationFactory(
        kind="university", name_ko="세종대학교", name_en="Sejong University"
    )
    company = OrganisationFactory(name_ko="판교칩스", name_en="Pangyo Chips")
    student = StudentProfileFactory(
        person__organisation=university,
        person__name_ko="강하은",
        person__name_en="Haeun Kang",
        skills=[verification],
        companies=True,
    )
    provider = MembershipFactory(organisation=university, role=Membership.Role.ADMIN).user
    recruiter = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    operator = OperatorFactory()
    course = CourseFactory(
        organisation=university,
        title_ko="UVM 기반 SoC 검증 실무와 커버리지 분석",
        title_en="UVM-based SoC verification in practice, with coverage analysis",
        tags=[verification],
    )
    enrolment = services.enrol(actor=student.person.user, course=course)
    (certificate,) = services.enrolments_complete(
        actor=provider, course=course, enrolments=[enrolment]
    )
    opening = OpeningFactory(
        organisation=company,
        title_ko="SoC 검증 인턴",
        title_en="SoC verification intern",
        tags=[verification],
    )
    finished = PlacementRoundFactory(openings=[opening])
    services.round_join(actor=student.person.user, placement_round=finished)
    services.choices_set(actor=student.person.user, placement_round=finished, openings=[opening])
    PlacementRound.objects.filter(pk=finished.pk).update(
        students_deadline=timezone.now() - datetime.timedelta(days=2),
        companies_deadline=timezone.now() - datetime.timedelta(days=1),
    )
    services.match_start(actor=operator, placement_round=finished)
    open_round = PlacementRoundFactory(openings=[opening])
    return {
        "student": student,
        "provider": provider,
        "recruiter": recruiter,
        "operator": operator,
        "course": course,
        "certificate": certificate,
        "opening": opening,
        "finished": finished,
        "open": open_round,
    }


def _pages(site) -> dict[str, list[str]]:
    course, opening = site["course"].pk, site["opening"].pk
    finished, open_round = site["finished"].pk, site["open"].pk
    public = [
        "/talent/",
        "/talent/courses/",
        f"/talent/courses/{course}/",
        f"/talent/verify/?code={site['certificate'].code}",
        "/talent/openings/",
        f"/talent/openings/{opening}/",
        "/talent/rounds/",
        f"/talent/rounds/{finished}/",
        f"/talent/rounds/{open_round}/",
    ]
    return {
        "anonymous": public,
        "student": [
            *public,
            "/talent/profile/",
            f"/talent/rounds/{open_round}/rank/",
            "/talent/profile/delete/",
        ],
        "recruiter": [
            f"/talent/openings/{opening}/",
            "/talent/openings/new/",
            f"/talent/rounds/{finished}/openings/{opening}/",
            f"/talent/rounds/{open_round}/openings/{opening}/",
            f"/talent/students/{site['student'].pk}/",
            "/talent/outcomes/",
        ],
        "provider": [
            f"/talent/courses/{course}/roster/",
            "/talent/courses/new/",
            f"/talent/courses/{course}/edit/",
            "/talent/outcomes/",
        ],
        "operator": [
            "/talent/rounds/new/",
            f"/talent/rounds/{finished}/report/",
            f"/talent/rounds/{open_round}/edit/",
            "/talent/placements/new/",
            "/talent/outcomes/",
        ],
    }


def _walk(page, base_url: str, language: str, role: str, paths: list[str]) -> dict[str, object]:
    problems: dict[str, object] = {}
    shots = os.environ.get("TALENT_SCREENSHOTS")
    for path in paths:
        url = f"{base_url}/{language}{path}"
        page.set_viewport_size(PHONE)
        response = page.goto(url)
        assert response is not None and response.status == 200, (role, url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems[f"{role} {path} width"] = width
        if headers := _letter_per_line_headers(page):
            problems[f"{role} {path} headers"] = headers
        if shots:
            name = f"{language}-{role}-{path.strip('/').replace('/', '_').replace('?', '_')}"
            folder = Path(shots)
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{name}-390.png"), full_page=True)
            page.set_viewport_size(WIDE)
            page.goto(url)
            page.screenshot(path=str(folder / f"{name}-1280.png"), full_page=True)
    return problems


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_talent_page_fits_a_phone_for_each_role(
    browser: Browser, live_server, talent_site, language
):
    pages = _pages(talent_site)
    problems: dict[str, object] = {}
    for role, paths in pages.items():
        context = browser.new_context(viewport=PHONE, locale="ko-KR")
        page = context.new_page()
        if role != "anonymous":
            user = talent_site[role]
            _log_in(page, live_server.url, (user.person.user if role == "student" else user).email)
        problems |= _walk(page, live_server.url, language, role, paths)
        context.close()
    assert problems == {}
