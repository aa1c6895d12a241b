"""Issue 9's search, walked in chromium: what was seen to miss now finds its records.

"세종" found 0 organisations while "Sejong" found Sejong University; "세종대학교" found no
expert of Sejong; "risc v" and "RISCV" found nothing while "RISC-V" worked; the search
stopped at 20 results with no paging; Korean pages quoted English text.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from sangsaeng.directory.models import Organisation
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sejong(db):
    university = OrganisationFactory(
        slug="sejong-university",
        kind=Organisation.Kind.UNIVERSITY,
        name_ko="세종대학교",
        name_en="Sejong University",
        description_ko="서울 광진구의 사립대학교.",
        description_en="A private university in Gwangjin, Seoul.",
    )
    verifier = PersonFactory(
        name_ko="한예린",
        name_en="Yerin Han",
        organisation=university,
        profile_text="RISC-V 프로세서의 형식 검증을 연구한다. We verify RISC-V cores formally.",
        expertise_keywords=["RISC-V", "형식 검증"],
    )
    # Enough related records for a second page (20 a page).
    for number in range(22):
        OrganisationFactory(
            name_ko=f"패키징랩 {number:02d}",
            name_en=f"Packaging Lab {number:02d}",
            description_ko="칩렛 패키징과 열 해석을 제공합니다.",
            description_en="Chiplet packaging and thermal analysis.",
        )
    return university, verifier


def search(page: Page, base_url: str, words: str, language: str = "ko") -> None:
    page.goto(f"{base_url}/{language}/search/")
    page.locator("#id_q").fill(words)
    page.locator("#search-form button[type=submit]").click()
    expect(page.locator("#result-count")).to_be_visible()


@pytest.mark.usefixtures("sejong")
def test_what_koreans_type_finds_its_records(page: Page, live_server):
    results = page.locator("#search-results")

    # A part of a compound finds the organisation, first, as its English name does.
    for words in ("세종", "Sejong"):
        search(page, live_server.url, words)
        expect(results.locator(".card-title").first).to_have_text("세종대학교")

    # The whole compound finds the university's experts too, and says why.
    search(page, live_server.url, "세종대학교")
    card = results.locator(".search-hit").filter(has_text="한예린")
    expect(card).to_contain_text("세종대학교")
    expect(card).to_contain_text("소속 기관의 이름이 검색어와 맞습니다.")

    # However the identifier is spelt, the expert is found and the term shown as written.
    for words in ("RISC-V", "risc v", "RISCV", "risc-v 검증"):
        search(page, live_server.url, words)
        card = results.locator(".search-hit").filter(has_text="한예린")
        expect(card).to_be_visible()
        expect(card.locator(".shared-terms")).to_contain_text("RISC-V")
        expect(card.locator(".shared-terms")).not_to_contain_text("risc")


@pytest.mark.usefixtures("sejong")
def test_results_page_past_twenty_in_the_pages_language(page: Page, live_server):
    search(page, live_server.url, "칩렛 패키징")
    # 22 packaging labs (and whatever else is close in meaning): more than one page.
    expect(page.locator("#result-count")).to_have_text(re.compile(r"결과 2\d개 중 1–20번째"))
    expect(page.locator("#search-results .search-hit")).to_have_count(20)
    expect(page.locator("#search-results")).to_contain_text("칩렛 패키징과 열 해석을 제공합니다.")
    expect(page.locator("#search-results")).not_to_contain_text("Chiplet packaging")
    page.locator("a[rel=next]").first.click()
    expect(page.locator("#result-count")).to_have_text(re.compile(r"결과 2\d개 중 21–2\d번째"))
    expect(page.locator("#search-results")).to_contain_text("패키징랩")

    search(page, live_server.url, "chiplet packaging", language="en")
    expect(page.locator("#search-results")).to_contain_text(
        "Chiplet packaging and thermal analysis."
    )
    expect(page.locator("#search-results")).not_to_contain_text("칩렛 패키징과")
