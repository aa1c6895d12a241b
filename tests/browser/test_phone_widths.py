"""At 390 px (a phone) no page is wider than the screen, in Korean or English: the
navigation wraps, wide tables scroll inside themselves, and Korean table headers keep their
words whole instead of breaking one letter per line."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Browser

from sangsaeng.accounts.models import Membership
from sangsaeng.directory.models import CommitmentUpdate
from sangsaeng.matching.services import need_create
from tests.factories import (
    PASSWORD,
    AgreementFactory,
    CommitmentFactory,
    IndicatorFactory,
    MembershipFactory,
    OperatorFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}

PUBLIC = [
    "/",
    "/directory/organisations/",
    "/directory/organisations/sejong/",
    "/directory/experts/",
    "/directory/experts/grace-lee/",
    "/directory/agreements/",
    "/directory/agreements/mou/",
    "/needs/",
    "/search/?q=NPU",
    "/accounts/login/",
    "/accounts/signup/",
    "/privacy/",
    "/terms/",
]
SIGNED_IN = [
    "/accounts/dashboard/",
    "/accounts/me/",
    "/accounts/me/consents/",
    "/accounts/me/tokens/",
    "/needs/new/",
    "/needs/for-you/",
    "/needs/matches/",
    "/needs/projects/",
    "/notifications/",
    "/directory/experts/me/edit/",
]
OPERATOR = ["/directory/approvals/", "/directory/import/", "/accounts/dashboard/"]


@pytest.fixture
def site():
    company = OrganisationFactory(slug="pangyo-chips", name_ko="판교칩스")
    admin = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    university = OrganisationFactory(slug="sejong", kind="university", name_ko="세종대학교")
    PersonFactory(slug="grace-lee", organisation=university, name_en="Grace Lee")
    agreement = AgreementFactory(slug="mou", parties=[company, university])
    commitment = CommitmentFactory(agreement=agreement, title_en="Administrative support")
    IndicatorFactory(commitment=commitment, name_en="Companies using shared EDA licences")
    CommitmentUpdate.objects.create(
        commitment=commitment,
        reported_on=datetime.date(2026, 3, 1),
        note_ko="공용 EDA 라이선스 지원을 시작했다.",
        note_en="Shared EDA licences are offered.",
        status="in_progress",
    )
    need = need_create(
        actor=admin,
        organisation=company,
        kind="partner_search",
        title="RISC-V NPU 검증 파트너를 찾습니다",
        description="RISC-V NPU 서브시스템의 UVM 검증을 함께할 연구실을 찾습니다.",
    )
    OrganisationFactory(slug="waiting", name_ko="대기기관", status="pending")
    return admin, OperatorFactory(), need


def _log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/ko/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form").filter(has=page.locator("input[type=password]")).locator(
        "button[type=submit]"
    ).click()
    page.wait_for_load_state()


def _too_wide(page, base_url: str, paths: list[str]) -> dict[str, int]:
    wide = {}
    for path in paths:
        response = page.goto(f"{base_url}{path}")
        assert response is not None and response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    return wide


def _letter_per_line_headers(page) -> list[str]:
    """Table cells whose words broke across lines (more lines than words)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('th, td')].filter(th => {
            const text = th.innerText.trim();
            if (text.length < 2) return false;
            const range = document.createRange();
            range.selectNodeContents(th);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            return tops.size > text.split(/\\s+/).length;
        }).map(th => th.innerText.trim())"""
    )


@pytest.mark.parametrize("language", ["ko", "en"])
def test_no_page_is_wider_than_a_phone(browser: Browser, live_server, site, language):
    admin, operator, need = site
    paths = [f"/{language}{path}" for path in PUBLIC]
    context = browser.new_context(viewport=PHONE, locale="ko-KR")
    page = context.new_page()
    wide = _too_wide(page, live_server.url, paths)
    # The whole navigation is on screen: it wraps instead of running off the edge.
    page.goto(f"{live_server.url}/{language}/")
    for item in page.locator(".main-nav a").all():
        box = item.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], item.inner_text()

    _log_in(page, live_server.url, admin.email)
    signed_in = [f"/{language}{path}" for path in [*SIGNED_IN, need.get_absolute_url()[3:]]]
    wide |= _too_wide(page, live_server.url, signed_in)
    context.close()

    context = browser.new_context(viewport=PHONE, locale="ko-KR")
    page = context.new_page()
    _log_in(page, live_server.url, operator.email)
    wide |= _too_wide(page, live_server.url, [f"/{language}{path}" for path in OPERATOR])
    broken = {}
    for path in (
        "/directory/agreements/",
        "/directory/import/",
        "/directory/approvals/",
        "/accounts/dashboard/",
    ):
        page.goto(f"{live_server.url}/{language}{path}")
        if headers := _letter_per_line_headers(page):
            broken[path] = headers
    context.close()
    assert wide == {}
    assert broken == {}
