"""The paths people walk through the directory, in a real browser (Debian's chromium)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sangsaeng.accounts.models import Membership
from sangsaeng.directory.models import Organisation
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OperatorFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/ko/accounts/login/")
    page.get_by_label(re.compile("이메일|E-mail", re.I)).first.fill(email)
    page.get_by_label(re.compile("비밀번호|Password", re.I)).first.fill(PASSWORD)
    page.locator("form").filter(has=page.locator("input[type=password]")).locator(
        "button[type=submit]"
    ).click()
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()


def test_visitor_reads_the_directory_in_korean_and_switches_to_english(page: Page, live_server):
    OrganisationFactory(
        name_ko="판교칩스",
        name_en="Pangyo Chips",
        description_ko="온디바이스 AI용 NPU를 설계합니다.",
        description_en="Designs NPUs for on-device AI.",
    )
    page.goto(f"{live_server.url}/ko/")
    expect(
        page.get_by_role("navigation", name=re.compile("주 메뉴|Main|메인|주요"))
    ).to_contain_text("기관")
    page.get_by_role("link", name="기관").first.click()
    page.get_by_role("link", name="판교칩스").click()
    expect(page.locator("main")).to_contain_text("온디바이스 AI용 NPU를 설계합니다.")

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/directory/organisations/"))
    expect(page.locator("main")).to_contain_text("Designs NPUs for on-device AI.")
    expect(page.locator("header")).to_contain_text("Organisations")


def test_visitor_searches_the_directory_in_english_and_korean(page: Page, live_server):
    OrganisationFactory(
        name_ko="세종아날로그", name_en="Sejong Analog", description_en="PMIC design"
    )
    OrganisationFactory(name_ko="판교비전", name_en="Pangyo Vision", description_en="Camera ISP")
    page.goto(f"{live_server.url}/ko/")
    page.get_by_role("searchbox").first.fill("PMIC")
    page.get_by_role("searchbox").first.press("Enter")
    expect(page.locator("main")).to_contain_text("세종아날로그")
    expect(page.locator("main")).not_to_contain_text("판교비전")


def test_organisation_admin_logs_in_and_edits_the_profile(page: Page, live_server):
    membership = MembershipFactory(
        role=Membership.Role.ADMIN,
        organisation__name_ko="분당반도체",
        user__email="admin@bundang.example",
    )
    log_in(page, live_server.url, "admin@bundang.example")
    page.goto(f"{live_server.url}{membership.organisation.get_absolute_url()}")
    page.get_by_role("link", name="프로필 수정").click()
    page.get_by_label("설명 (한국어)").fill("HBM3E 메모리 인터페이스 IP를 만듭니다.")
    page.get_by_role("button", name="저장").click()
    expect(page.locator(".messages")).to_contain_text("프로필을 저장했습니다.")
    expect(page.locator("main")).to_contain_text("HBM3E 메모리 인터페이스 IP를 만듭니다.")
    membership.organisation.refresh_from_db()
    assert membership.organisation.description_ko == "HBM3E 메모리 인터페이스 IP를 만듭니다."


def test_operator_approves_a_registered_organisation(page: Page, live_server, browser):
    newcomer = UserFactory()
    pending = OrganisationFactory(
        name_ko="새싹팹리스", status=Organisation.Status.PENDING, created_by=newcomer
    )
    operator = OperatorFactory()

    visitor = browser.new_page()
    visitor.goto(f"{live_server.url}/ko/directory/organisations/")
    expect(visitor.locator("main")).not_to_contain_text("새싹팹리스")

    log_in(page, live_server.url, operator.email)
    page.locator("header").get_by_role("link", name="승인 대기").click()
    row = page.get_by_role("row").filter(has_text="새싹팹리스")
    row.get_by_role("button", name="승인").click()
    expect(page.locator("table.data")).not_to_contain_text("새싹팹리스")

    pending.refresh_from_db()
    assert pending.status == Organisation.Status.APPROVED
    visitor.reload()
    expect(visitor.locator("main")).to_contain_text("새싹팹리스")
