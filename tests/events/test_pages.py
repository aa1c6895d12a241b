"""The events pages, as each role sees them: in Korean and English, with every refusal beside
the field it concerns and nothing typed lost; the agenda as a page, a PDF and a calendar."""

from __future__ import annotations

import datetime
import html
import re

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sangsaeng.events import services
from sangsaeng.events.models import Event, Meeting, MeetingFeedback, MeetingRequest, Participant
from tests.events.conftest import World, member
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user=None, language: str = "ko") -> Client:
    client = Client(headers={"Accept-Language": language})
    if user is not None:
        client.force_login(user)
    return client


def text(response) -> str:
    """The page as a person reads it: entities decoded, white space collapsed."""
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_the_event_list_shows_published_events_and_drafts_to_operators_only(world: World):
    draft = EventFactory(is_published=False, title_ko="비공개 초안 행사")
    anonymous = text(client_for().get(reverse("events:event_list")))
    assert world.event.title_ko in anonymous
    assert draft.title_ko not in anonymous
    assert draft.title_ko in text(client_for(world.operator).get(reverse("events:event_list")))
    assert client_for().get(draft.get_absolute_url()).status_code == 404


def test_the_event_page_speaks_the_visitors_language(world: World):
    korean = text(client_for().get(world.event.get_absolute_url()))
    english = text(client_for(language="en").get(f"/en/events/{world.event.slug}/"))
    assert world.event.title_ko in korean and "등록 마감" in korean
    assert world.event.title_en in english and "Registration until" in english
    assert "14:00" in korean  # the first slot, in Seoul time


def registration_data(world: World, who, **overrides):
    data = {
        "organisation": who.organisation.pk,
        "name": "김앨리스",
        "position": "CTO",
        "profile": "온디바이스 NPU 설계",
        "attendance": "on_site",
        "available_slots": [slot.pk for slot in world.slots[:2]],
        "offer_title_1": "NPU IP",
        "offer_description_1": "28nm 저전력 NPU IP",
        "looking_for_title_1": "RISC-V 검증 파트너",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_registering_through_the_page(world: World):
    who = member()
    page = client_for(who.user)
    form = page.get(reverse("events:register", args=[world.event.slug]))
    assert "참가 신청" in text(form) or "등록" in text(form)
    response = page.post(
        reverse("events:register", args=[world.event.slug]), registration_data(world, who)
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("events:recommendations", args=[world.event.slug])
    participant = Participant.objects.get(user=who.user)
    assert participant.items.count() == 2
    assert participant.available_slots.count() == 2
    # Coming back to the form shows the registration, to change it.
    again = page.get(reverse("events:register", args=[world.event.slug]))
    assert again["Location"] == reverse("events:registration", args=[world.event.slug])


def test_a_refused_registration_keeps_everything_typed_and_says_why_beside_the_field(
    world: World,
):
    who = member()
    page = client_for(who.user, "en")
    data = registration_data(world, who, consent=None, available_slots=None)
    data["available_slots"] = []
    response = page.post(f"/en/events/{world.event.slug}/register/", data)
    assert response.status_code == 200
    body = text(response)
    assert "Choose at least one slot you are free in." in body
    assert "agree to it to register" in body
    # Nothing typed is lost.
    for typed in ("김앨리스", "온디바이스 NPU 설계", "28nm 저전력 NPU IP", "RISC-V 검증 파트너"):
        assert typed in body
    assert not Participant.objects.exists()


def test_registration_after_the_deadline_is_refused_on_the_page(world: World):
    Event.objects.filter(pk=world.event.pk).update(
        registration_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    who = member()
    response = client_for(who.user, "en").post(
        f"/en/events/{world.event.slug}/register/", registration_data(world, who)
    )
    assert "Registration closed on" in text(response)
    assert not Participant.objects.exists()


def test_a_student_cannot_register(world: World):
    student = UserFactory()
    assert (
        client_for(student).get(reverse("events:register", args=[world.event.slug])).status_code
        == 403
    )
    # Nor are they shown the participant's tabs, which would only lead to that refusal.
    page = text(client_for(student, "en").get(f"/en/events/{world.event.slug}/"))
    assert "Join your organisation on the platform first." in page
    assert "Recommended" not in page and "Rate meetings" not in page
    # A member who has not registered yet is: they lead to the registration form.
    page = text(client_for(member().user, "en").get(f"/en/events/{world.event.slug}/"))
    assert "Recommended" in page and "Rate meetings" in page


@pytest.fixture
def pair(world: World) -> World:
    world.register(
        member(name_en="Pangyo Chips"),
        "김앨리스",
        profile="온디바이스 NPU를 설계하는 팹리스입니다.",
        items=[
            {
                "kind": "looking_for",
                "title": "RISC-V NPU 검증 파트너",
                "description": "RISC-V 기반 NPU 서브시스템의 UVM 검증을 함께 할 연구실을 찾습니다.",
            }
        ],
    )
    world.register(
        member(name_en="Sejong Verification Lab", kind="university"),
        "Grace Lee",
        profile="Functional and formal verification of RISC-V processors.",
        items=[
            {
                "kind": "offer",
                "title": "UVM verification of RISC-V NPUs",
                "description": "Coverage-driven UVM testbenches and formal property checking "
                "for RISC-V based NPU subsystems.",
            }
        ],
    )
    world.register(
        member(name_en="Bundang Games"),
        "Game Studio",
        profile="Mobile games.",
        items=[{"kind": "offer", "title": "Mobile game art", "description": "2D sprites"}],
    )
    return world


def test_recommendations_cross_korean_and_english_with_reasons(pair: World):
    alice = pair.people["김앨리스"]
    body = text(
        client_for(alice.user).get(reverse("events:recommendations", args=[pair.event.slug]))
    )
    grace = pair.people["Grace Lee"]
    assert f'id="recommended-{grace.pk}"' in body
    first = body.index('class="card recommendation"')
    assert body.index(f'id="recommended-{grace.pk}"') == body.index('id="recommended-', first - 50)
    assert "UVM verification of RISC-V NPUs" in body  # the reason: her closest offer
    assert "risc-v" in body.lower()


def test_a_request_from_the_page_is_answered_on_the_page(pair: World):
    alice, grace = pair.people["김앨리스"], pair.people["Grace Lee"]
    sent = client_for(alice.user).post(
        reverse("events:request_send", args=[pair.event.slug]),
        {"requested": grace.pk, "message": "검증 협력을 논의하고 싶습니다.", "priority": "must"},
    )
    assert sent.status_code == 302
    request = MeetingRequest.objects.get()
    received = text(client_for(grace.user, "en").get(f"/en/events/{pair.event.slug}/requests/"))
    assert "검증 협력을 논의하고 싶습니다." in received and "must meet" in received
    answered = client_for(grace.user).post(
        reverse("events:request_answer", args=[pair.event.slug, request.pk]),
        {"decision": "accept", "priority": "like"},
        follow=True,
    )
    assert "수락" in text(answered) or "accepted" in text(answered)
    request.refresh_from_db()
    assert (request.status, request.requested_priority) == ("accepted", "like")


def test_a_request_refused_by_the_service_shows_its_reason(pair: World):
    alice = pair.people["김앨리스"]
    response = client_for(alice.user, "en").post(
        f"/en/events/{pair.event.slug}/requests/new/",
        {"requested": alice.pk, "message": "me", "priority": "like"},
        follow=True,
    )
    assert "You cannot ask yourself for a meeting." in text(response)


def test_the_organiser_schedules_reviews_and_publishes(
    pair: World, django_capture_on_commit_callbacks
):
    pair.ask("김앨리스", "Grace Lee")
    operator = client_for(pair.operator, "en")
    before = text(operator.get(f"/en/events/{pair.event.slug}/manage/"))
    # Nothing to publish yet: the page offers the scheduler, not an empty final schedule.
    assert "Run the scheduler" in before and "Publish the final schedule" not in before
    with django_capture_on_commit_callbacks(execute=True):
        operator.post(f"/en/events/{pair.event.slug}/manage/schedule/")
    page = text(operator.get(f"/en/events/{pair.event.slug}/manage/"))
    assert "Provisional schedule" in page or "provisional schedule" in page
    assert "The schedule to review" in page and "Table 1" in page
    assert "Publish the final schedule" in page and "Publishing is final" in page
    run = pair.event.runs.get()
    status = operator.get(f"/en/events/{pair.event.slug}/manage/runs/{run.pk}/").json()
    assert status == {
        "status": "done",
        "status_label": "done",
        "progress": 100,
        "stage": "done",
        "finished": True,
        "scheduled": 1,
        "requested": 1,
    }
    operator.post(f"/en/events/{pair.event.slug}/manage/publish/")
    assert Meeting.objects.get().status == "scheduled"
    assert (
        client_for(pair.people["Grace Lee"].user)
        .get(reverse("events:manage", args=[pair.event.slug]))
        .status_code
        == 403
    )


@pytest.fixture
def scheduled(pair: World, django_capture_on_commit_callbacks) -> World:
    pair.ask("김앨리스", "Grace Lee")
    with django_capture_on_commit_callbacks(execute=True):
        services.scheduling_start(actor=pair.operator, event=pair.event)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(actor=pair.operator, event=pair.event)
    return pair


def test_the_agenda_page_pdf_and_calendar_carry_the_table(scheduled: World):
    alice = scheduled.people["김앨리스"]
    meeting = Meeting.objects.get()
    page = client_for(alice.user)
    body = text(page.get(reverse("events:agenda", args=[scheduled.event.slug])))
    assert "Grace Lee" in body and str(meeting.location.number) in body
    assert "<svg" in body  # the check-in QR code, inline
    pdf = page.get(reverse("events:agenda_pdf", args=[scheduled.event.slug]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"NanumGothic" in pdf.content
    ics = page.get(reverse("events:agenda_ics", args=[scheduled.event.slug]))
    calendar = icalendar.Calendar.from_ical(ics.content)
    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("dtstart") == meeting.slot.starts_at
    assert "Grace Lee" in str(entry["summary"])
    assert str(meeting.location.number) in str(entry["location"])


def test_the_pdf_says_what_to_install_when_the_font_is_missing(
    scheduled: World, settings, tmp_path
):
    settings.EVENTS_PDF_FONT_DIR = str(tmp_path)
    alice = scheduled.people["김앨리스"]
    response = client_for(alice.user, "en").get(f"/en/events/{scheduled.event.slug}/agenda.pdf")
    assert response.status_code == 503
    assert "fonts-nanum" in text(response)


def test_checking_in_by_the_qr_codes_address(scheduled: World):
    alice = scheduled.people["김앨리스"]
    url = reverse("events:check_in", args=[scheduled.event.slug, alice.check_in_token])
    assert client_for(alice.user).get(url).status_code == 403
    operator = client_for(scheduled.operator)
    assert "김앨리스" in text(operator.get(url))
    operator.post(url)
    alice.refresh_from_db()
    assert alice.checked_in_at is not None
    day = text(operator.get(reverse("events:day", args=[scheduled.event.slug])))
    assert 'id="here-count">1<' in day.replace(" ", "")


def test_a_wrong_check_in_code_is_said_so(scheduled: World):
    response = client_for(scheduled.operator, "en").post(
        f"/en/events/{scheduled.event.slug}/manage/check-in/", {"code": "not-a-code"}, follow=True
    )
    assert "No participant of this event has this check-in code." in text(response)


def test_rating_after_the_event_and_the_report(
    past_event: World, django_capture_on_commit_callbacks
):
    world = past_event
    world.register(member(), "Ann")
    world.register(member(), "Ben")
    world.ask("Ann", "Ben")
    with django_capture_on_commit_callbacks(execute=True):
        services.scheduling_start(actor=world.operator, event=world.event)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(actor=world.operator, event=world.event)
    client_for(world.operator).post(reverse("events:finish", args=[world.event.slug]))
    meeting = Meeting.objects.get()
    assert meeting.status == "held"
    ann = client_for(world.people["Ann"].user, "en")
    form = text(ann.get(f"/en/events/{world.event.slug}/feedback/"))
    assert "Right after the event" in form and "Ben" in form
    ann.post(
        f"/en/events/{world.event.slug}/feedback/",
        {f"outcome_{meeting.pk}": "agreement_reached", f"comment_{meeting.pk}": "MOU"},
    )
    assert MeetingFeedback.objects.get().outcome == "agreement_reached"
    report = text(
        client_for(world.operator, "en").get(f"/en/events/{world.event.slug}/manage/report/")
    )
    assert 'id="figure-held">1<' in report.replace(" ", "")
    assert 'id="figure-agreements">1<' in report.replace(" ", "")
    assert "Figures as a table" in report and "agreement reached" in report
    assert (
        client_for(world.people["Ann"].user)
        .get(reverse("events:report", args=[world.event.slug]))
        .status_code
        == 403
    )


def test_the_organisers_set_up_page_adds_what_it_is_given_and_keeps_what_it_refuses(world: World):
    operator = client_for(world.operator, "en")
    url = f"/en/events/{world.event.slug}/setup/"
    response = operator.post(
        url, {"form": "locations", "locations-kind": "online", "locations-count": 1}
    )
    assert response.status_code == 200
    assert "An online room needs the link people join by." in text(response)
    operator.post(
        url,
        {
            "form": "locations",
            "locations-kind": "online",
            "locations-count": 1,
            "locations-link": "https://meet.example.org/1",
        },
    )
    assert world.event.locations.filter(kind="online").count() == 1
    refused = operator.post(
        url,
        {
            "form": "session",
            "session-title_ko": "저녁",
            "session-day": (world.event.starts_on + datetime.timedelta(days=9)).isoformat(),
            "session-starts": "18:00",
            "session-ends": "19:00",
            "session-meeting_minutes": 20,
        },
    )
    assert "The session must fall on one of the event's days." in text(refused)
    assert 'value="저녁"' in text(refused)


def test_booking_a_free_slot_from_the_requests_page(db):
    from tests.events.conftest import build_world

    day = timezone.localdate() + datetime.timedelta(days=14)
    start = datetime.datetime.combine(
        day, datetime.time(14), tzinfo=timezone.get_current_timezone()
    )
    world = build_world(
        start,
        slots=3,
        tables=1,
        deadline=start - datetime.timedelta(days=1),
        scheduling_mode=Event.SchedulingMode.SELF_BOOKING,
    )
    world.register(member(), "Ann")
    world.register(member(), "Ben")
    request = world.ask("Ann", "Ben")
    page = client_for(world.people["Ann"].user, "en")
    body = text(page.get(f"/en/events/{world.event.slug}/requests/"))
    assert "Book a free slot" in body
    page.post(
        f"/en/events/{world.event.slug}/requests/{request.pk}/book/", {"slot": world.slots[1].pk}
    )
    meeting = Meeting.objects.get()
    assert (meeting.slot, meeting.origin) == (world.slots[1], "booked")
    agenda = text(
        client_for(world.people["Ben"].user, "en").get(f"/en/events/{world.event.slug}/agenda/")
    )
    assert "Ann" in agenda and "Table 1" in agenda


def test_a_no_show_reported_on_the_agenda_and_a_new_meeting_taken_there(
    day_event: World, django_capture_on_commit_callbacks
):
    world = day_event
    for name in ("Ann", "Ben", "Cho"):
        world.register(member(), name)
    now_slot = world.slots[2]  # running now
    for name in ("Ann", "Ben", "Cho"):
        person = world.people[name]
        services.participant_update(
            actor=person.user, participant=person, name=name, available_slots=[now_slot]
        )
    world.ask("Ann", "Ben", priority="must")
    world.ask("Cho", "Ann")
    with django_capture_on_commit_callbacks(execute=True):
        services.scheduling_start(actor=world.operator, event=world.event)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(actor=world.operator, event=world.event)
    meeting = Meeting.objects.get(status="scheduled")
    assert meeting.includes(world.people["Ben"])  # "must meet" won the one slot Ann has
    for name in ("Ann", "Cho"):
        services.participant_check_in(actor=world.operator, participant=world.people[name])
    ann = client_for(world.people["Ann"].user, "en")
    agenda = text(ann.get(f"/en/events/{world.event.slug}/agenda/"))
    assert "My partner did not come" in agenda
    ann.post(
        f"/en/events/{world.event.slug}/meetings/{meeting.pk}/absent/",
        {"absent": world.people["Ben"].pk},
    )
    agenda = text(ann.get(f"/en/events/{world.event.slug}/agenda/"))
    assert "A slot is free: meet someone who asked for you" in agenda and "Cho" in agenda
    offer_request = MeetingRequest.objects.get(requester=world.people["Cho"])
    ann.post(
        f"/en/events/{world.event.slug}/meetings/rebook/",
        {"request": offer_request.pk, "slot": now_slot.pk},
    )
    rebooked = Meeting.objects.get(status="scheduled")
    assert rebooked.includes(world.people["Cho"]) and rebooked.origin == "rebooked"
    day = text(client_for(world.operator, "en").get(f"/en/events/{world.event.slug}/manage/day/"))
    assert "Cho" in day and 'id="here-count">2<' in day.replace(" ", "")
