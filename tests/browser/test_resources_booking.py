"""Shared infrastructure as people walk it, in a real browser, in Korean: find a free slot by
typing a phrase, book it, a second company finds it taken and joins the waitlist, the first
cancels, and the second is offered the slot and books it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from sangsaeng.resources.models import Booking, WaitlistEntry
from tests.browser.test_needs_loop import log_in
from tests.factories import EquipmentFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_find_book_cancel_and_the_waitlist_offer(page: Page, browser: Browser, live_server):
    provider = OrganisationFactory(
        kind="research_institute", name_ko="한국전자기술연구원", name_en="KETI"
    )
    EquipmentFactory(
        provider=provider,
        slug="probe",
        name_ko="반자동 프로브 스테이션",
        name_en="Semi-automatic probe station",
        opens_at=None,
        closes_at=None,
        open_weekdays="0123456",
    )
    first = MembershipFactory(
        organisation=OrganisationFactory(name_ko="판교칩스", name_en="Pangyo Chips"),
        user__email="first@pangyochips.example",
    ).user
    second = MembershipFactory(
        organisation=OrganisationFactory(name_ko="분당실리콘", name_en="Bundang Silicon"),
        user__email="second@bundangsilicon.example",
    ).user

    # The first company finds a free slot by typing what it needs.
    log_in(page, live_server.url, first.email)
    page.locator("#nav-resources").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("공동 인프라")
    page.get_by_label("필요한 것을 적어 주세요").fill("내일 프로브 스테이션 2시간")
    page.locator("#search-submit").click()
    option = page.locator('#options tr.option[data-resource="probe"]').first
    expect(option).to_contain_text("반자동 프로브 스테이션")
    book_link = option.get_by_role("link", name="예약")
    booking_path = book_link.get_attribute("href")
    book_link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("반자동 프로브 스테이션")
    page.get_by_label(re.compile("사용 목적")).fill("웨이퍼 프로빙 1차")
    page.locator("#booking-submit").click()
    expect(page.locator(".messages")).to_contain_text("예약했습니다.")
    expect(page.locator("#booking-state")).to_have_text("확정")
    booking_url = page.url

    # The second company asks for the same slot: taken, so it joins the waitlist.
    other_context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    other = other_context.new_page()
    log_in(other, live_server.url, second.email)
    other.goto(f"{live_server.url}{booking_path}")
    other.locator("#booking-submit").click()
    expect(other.locator("#booking-form")).to_contain_text("이미 예약된 시간입니다")
    other.locator("#join-waitlist").click()
    expect(other.locator(".messages")).to_contain_text("대기 신청을 했습니다.")
    expect(other.locator("#waitlist")).to_contain_text("대기 중")
    # The other company's page shows the slot busy, without the first company's name or purpose.
    other.goto(f"{live_server.url}/ko/resources/probe/?week={Booking.objects.get().start:%Y-%m-%d}")
    expect(other.locator("#week .slot-busy")).to_have_count(1)
    expect(other.locator("#week")).not_to_contain_text("판교칩스")
    expect(other.locator("main")).not_to_contain_text("웨이퍼 프로빙")

    # The first company cancels; the slot is offered to the second.
    page.goto(booking_url)
    page.locator("#cancel-booking").click()
    expect(page.locator(".messages")).to_contain_text("예약을 취소했습니다.")
    expect(page.locator("#booking-state")).to_have_text("취소됨")

    other.goto(f"{live_server.url}/ko/resources/bookings/")
    expect(other.locator("#waitlist")).to_contain_text("제안됨")
    expect(other.locator("#unread-count")).to_have_text(re.compile(r"[1-9]"))
    other.locator("#waitlist .accept-offer").click()
    expect(other.locator(".messages")).to_contain_text("대기 목록에서 예약했습니다.")
    expect(other.locator("#booking-state")).to_have_text("확정")
    assert WaitlistEntry.objects.get().state == WaitlistEntry.State.ACCEPTED
    assert Booking.objects.get(state=Booking.State.CONFIRMED).organisation.name_en == (
        "Bundang Silicon"
    )
    # Nothing scrolls sideways on a phone.
    width = other.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
