"""A matchmaking day as people walk it, in a real browser, in Korean: a member registers and
sees a partner recommended across Korean and English, asks for a meeting; the partner accepts
in their own browser; the organiser runs the scheduler (a background task the page polls) and
publishes the schedule; the agenda shows the table, the check-in code and the PDF; the
organiser checks the participant in from the code's address; when the day is over (the test
moves the event into the past), the organiser closes it and the participant rates the meeting;
the report counts it.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from sangsaeng.events.models import Event, MeetingFeedback, Participant, Session, Slot
from sangsaeng.events.services import locations_add, participant_register, session_add
from tests.browser.test_needs_loop import log_in
from tests.factories import EventFactory, MembershipFactory, OperatorFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def matchmaking():
    operator = OperatorFactory(email="office@cluster.example")
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=5)
    soon = timezone.now() + datetime.timedelta(hours=1)
    event = EventFactory(
        slug="pangyo-day",
        title_ko="판교 AI·팹리스 매칭데이",
        title_en="Pangyo AI·Fabless Matchmaking Day",
        starts_on=timezone.localdate(start),
        ends_on=timezone.localdate(start) + datetime.timedelta(days=1),
        registration_deadline=soon,
        request_deadline=soon,
        schedule_deadline=soon,
    )
    session_add(
        actor=operator,
        event=event,
        title_ko="오후 미팅",
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=60),
        meeting_minutes=20,
    )
    locations_add(actor=operator, event=event, kind="table", count=5)
    company = OrganisationFactory(name_ko="판교칩스", name_en="Pangyo Chips")
    ann = MembershipFactory(organisation=company, user__email="ann@pangyochips.example").user
    lab = OrganisationFactory(kind="university", name_ko="세종대학교", name_en="Sejong University")
    grace = MembershipFactory(organisation=lab, user__email="grace@sejong.example").user
    participant_register(
        actor=grace,
        event=event,
        organisation=lab,
        name="Grace Lee",
        profile="Functional and formal verification of RISC-V processors and NPUs.",
        items=[
            {
                "kind": "offer",
                "title": "UVM verification of RISC-V NPUs",
                "description": "Coverage-driven UVM testbenches and formal property checking "
                "for RISC-V based neural processing units.",
            }
        ],
        consent=True,
    )
    games = OrganisationFactory(name_ko="분당게임즈", name_en="Bundang Games")
    gamer = MembershipFactory(organisation=games).user
    participant_register(
        actor=gamer,
        event=event,
        organisation=games,
        name="게임 개발자",
        profile="모바일 게임을 만듭니다.",
        items=[{"kind": "offer", "title": "모바일 게임 아트", "description": "2D 스프라이트"}],
        consent=True,
    )
    return operator, event, ann, grace


def test_register_request_accept_schedule_agenda_check_in_and_rate(
    page: Page, browser: Browser, live_server, matchmaking
):
    operator, event, ann, grace = matchmaking
    base = live_server.url
    # The first registration indexes the profile with the embedding model: on a loaded
    # machine that alone took longer than Playwright's 30 s.
    page.set_default_timeout(120_000)

    # Ann registers through the form.
    log_in(page, base, ann.email)
    page.locator("#nav-events").click()
    page.get_by_role("link", name="판교 AI·팹리스 매칭데이").first.click()
    page.locator("#register-button").click()
    form = page.locator("#registration-form")
    form.get_by_label("다른 참가자에게 보일 이름").fill("김앨리스")
    form.get_by_label("행사용 프로필").fill("온디바이스 AI용 NPU를 설계하는 팹리스입니다.")
    form.locator("#id_looking_for_title_1").fill("RISC-V NPU 검증 파트너")
    form.locator("#id_looking_for_description_1").fill(
        "RISC-V 기반 NPU 서브시스템의 UVM 검증과 형식 검증을 함께 할 연구실을 찾습니다."
    )
    form.locator("#id_offer_title_1").fill("저전력 NPU IP")
    form.locator("#id_consent").check()
    form.locator("#registration-submit").click()

    # The engine recommends Grace, whose profile is in English, with its reasons.
    expect(page.locator(".messages")).to_contain_text("등록되었습니다")
    expect(page.get_by_role("heading", level=1)).to_have_text("추천 파트너")
    grace_card = page.locator(".recommendation").first
    expect(grace_card.locator(".card-title")).to_have_text("Grace Lee")
    expect(grace_card).to_contain_text("UVM verification of RISC-V NPUs")
    grace_card.locator("textarea").fill("NPU 검증 협력을 논의하고 싶습니다.")
    grace_card.get_by_label("꼭 만나고 싶음").check()
    grace_card.get_by_role("button", name="미팅 신청").click()
    expect(page.locator(".messages")).to_contain_text("미팅 신청을 보냈습니다.")

    # Grace accepts in her own browser.
    grace_page = browser.new_context(locale="ko-KR").new_page()
    log_in(grace_page, base, grace.email)
    grace_page.goto(f"{base}/ko/events/{event.slug}/requests/")
    request_card = grace_page.locator("#received .request-card").first
    expect(request_card).to_contain_text("NPU 검증 협력을 논의하고 싶습니다.")
    expect(request_card).to_contain_text("꼭 만나고 싶음")
    request_card.get_by_role("button", name="수락").click()
    expect(grace_page.locator(".messages")).to_contain_text("답변을 보냈습니다.")
    expect(grace_page.locator("#received .request-card").first).to_contain_text("수락")

    # The organiser runs the scheduler, reviews its schedule and publishes it.
    office = browser.new_context(locale="ko-KR").new_page()
    log_in(office, base, operator.email)
    office.goto(f"{base}/ko/events/{event.slug}/manage/")
    office.locator("#run-scheduler").click()
    expect(office.locator("#run-summary")).to_be_visible(timeout=20_000)
    expect(office.locator("#run-summary")).to_contain_text("1 / 1")
    expect(office.locator("#schedule")).to_contain_text("김앨리스")
    office.locator("#publish-schedule").click()
    expect(office.locator("#schedule-status")).to_have_text("최종 일정")

    # Ann's agenda: the table, the check-in code, a PDF and a calendar file.
    page.goto(f"{base}/ko/events/{event.slug}/agenda/")
    row = page.locator("#agenda tr.has-meeting")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Grace Lee")
    expect(row).to_contain_text(re.compile(r"\d+번 테이블"))
    expect(page.locator("#check-in-code svg")).to_be_visible()
    pdf = page.request.get(f"{base}/ko/events/{event.slug}/agenda.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    ics = page.request.get(f"{base}/ko/events/{event.slug}/agenda.ics")
    assert b"BEGIN:VEVENT" in ics.body() and b"Grace Lee" in ics.body()

    # On the day, the organiser opens the address in Ann's code and checks her in.
    token = Participant.objects.get(user=ann).check_in_token
    office.goto(f"{base}/ko/events/{event.slug}/check-in/{token}/")
    expect(office.locator("#check-in h1")).to_have_text("김앨리스")
    office.locator("#confirm-check-in").click()
    expect(office.locator(".messages")).to_contain_text("김앨리스 님이 체크인했습니다.")
    expect(office.locator("#here-count")).to_have_text("1")
    expect(office.locator("#next-meetings")).to_contain_text("Grace Lee")

    # The afternoon passes (the test moves the event two hours back), the day is closed.
    shift = datetime.timedelta(hours=2)
    for slot in Slot.objects.filter(event=event):
        slot.starts_at -= shift
        slot.ends_at -= shift
        slot.save()
    for session in Session.objects.filter(event=event):
        session.starts_at -= shift
        session.ends_at -= shift
        session.save()
    Participant.objects.filter(user=grace).update(checked_in_at=timezone.now() - shift)
    office.goto(f"{base}/ko/events/{event.slug}/manage/day/")
    office.locator("#finish-event").click()
    expect(office.locator(".messages")).to_contain_text("행사를 종료 처리했습니다.")

    # Ann rates the meeting.
    page.goto(f"{base}/ko/events/{event.slug}/feedback/")
    expect(page.locator("#feedback-round")).to_contain_text("행사 직후")
    rating = page.locator(".meeting-rating").first
    expect(rating).to_contain_text("Grace Lee")
    rating.get_by_label("협상 시작").check()
    rating.get_by_label("의견 (주최 측만 봅니다)").fill("검증 과제를 함께 제안하기로 했습니다.")
    page.locator("#feedback-submit").click()
    expect(page.locator(".messages")).to_contain_text("평가를 저장했습니다.")
    assert MeetingFeedback.objects.get().outcome == "negotiation_started"

    # The report counts it.
    office.goto(f"{base}/ko/events/{event.slug}/manage/report/")
    expect(office.locator("#figure-requested")).to_have_text("1")
    expect(office.locator("#figure-held")).to_have_text("1")
    expect(office.locator("canvas")).to_have_count(2)
    assert Event.objects.get(pk=event.pk).finished_at is not None
