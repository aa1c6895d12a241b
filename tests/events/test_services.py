"""The events services: setting up, registering, requests, booking, scheduling, the day,
ratings, follow-ups and reminders. Each bad input is refused with a translated message that
says what to do, and leaves nothing half-written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone, translation

from sangsaeng.events import selectors, services
from sangsaeng.events.models import (
    AgendaEntry,
    Event,
    EventReminder,
    MarketplaceItem,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Participant,
    SchedulingRun,
    Slot,
)
from sangsaeng.matching.models import JointProject, Match, Need
from sangsaeng.matching.services import match_answer, need_create, project_create
from sangsaeng.notifications.models import Notification
from tests.events.conftest import World, build_world, member
from tests.factories import EventFactory, OperatorFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- setting up -------------------------------------------------------------------------


def test_an_operator_sets_up_an_event_and_its_slots_follow_the_sessions():
    operator = OperatorFactory()
    in_ten = timezone.now() + datetime.timedelta(days=10)
    event = services.event_create(
        actor=operator,
        title_ko="판교 AI·팹리스 매칭데이",
        title_en="Pangyo AI·Fabless Matchmaking Day",
        starts_on=timezone.localdate(in_ten),
        ends_on=timezone.localdate(in_ten),
        registration_deadline=in_ten - datetime.timedelta(days=5),
        request_deadline=in_ten - datetime.timedelta(days=3),
        schedule_deadline=in_ten - datetime.timedelta(days=1),
    )
    assert event.slug == "pangyo-aifabless-matchmaking-day"
    assert not event.is_published
    with translation.override("en"), pytest.raises(ValidationError, match="Add a session"):
        services.event_publish(actor=operator, event=event)
    start = timezone.localtime(in_ten).replace(hour=10, minute=0, second=0, microsecond=0)
    services.session_add(
        actor=operator,
        event=event,
        title_ko="오전",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        meeting_minutes=15,
        pause_minutes=5,
    )
    services.session_add(
        actor=operator,
        event=event,
        title_ko="오후",
        starts_at=start + datetime.timedelta(hours=3),
        ends_at=start + datetime.timedelta(hours=4),
        meeting_minutes=30,
    )
    slots = list(event.slots.order_by("position"))
    starts = [timezone.localtime(slot.starts_at).strftime("%H:%M") for slot in slots]
    assert starts == ["10:00", "10:20", "10:40", "13:00", "13:30"]
    assert [slot.position for slot in slots] == [1, 2, 3, 4, 5]
    with pytest.raises(ValidationError) as overlap:
        services.session_add(
            actor=operator,
            event=event,
            title_ko="겹침",
            starts_at=start + datetime.timedelta(minutes=30),
            ends_at=start + datetime.timedelta(hours=2),
        )
    assert messages_of(overlap.value) == "“오전” 세션과 시간이 겹칩니다."
    services.locations_add(actor=operator, event=event, kind="table", count=3)
    tables = services.locations_add(actor=operator, event=event, kind="table", count=2)
    assert [table.number for table in tables] == [4, 5]
    assert [str(t.label) for t in tables] == ["4번 테이블", "5번 테이블"]
    with pytest.raises(ValidationError, match="접속 링크가 필요합니다"):
        services.locations_add(actor=operator, event=event, kind="online")
    services.event_publish(actor=operator, event=event)
    assert Event.objects.get(pk=event.pk).is_published


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"title_ko": "  "}, "title_ko", "Korean title"),
        ({"ends_on": -1}, "ends_on", "cannot come before"),
        ({"request_deadline": +3}, "request_deadline", "before the final schedule"),
        ({"registration_deadline": +3}, "registration_deadline", "before the final schedule"),
        ({"schedule_deadline": +40}, "schedule_deadline", "before the event ends"),
        ({"scheduling_mode": "lottery"}, "scheduling_mode", "how the meetings"),
    ],
)
def test_event_dates_that_do_not_fit_are_refused_by_field(change, field, words):
    operator = OperatorFactory()
    day = timezone.now() + datetime.timedelta(days=20)
    fields = {
        "title_ko": "매칭데이",
        "starts_on": timezone.localdate(day),
        "ends_on": timezone.localdate(day),
        "registration_deadline": day - datetime.timedelta(days=5),
        "request_deadline": day - datetime.timedelta(days=4),
        "schedule_deadline": day - datetime.timedelta(days=2),
    }
    for name, value in change.items():
        if name == "ends_on":
            fields[name] = timezone.localdate(day) + datetime.timedelta(days=value)
        elif name.endswith("deadline"):
            fields[name] = fields["schedule_deadline"] + datetime.timedelta(days=value)
        else:
            fields[name] = value
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.event_create(actor=operator, **fields)
    assert words in " ".join(refused.value.message_dict[field])
    assert not Event.objects.exists()


def test_only_operators_set_events_up(world: World):
    outsider = member()
    with pytest.raises(PermissionDenied):
        services.event_create(actor=outsider.user, title_ko="x")
    with pytest.raises(PermissionDenied):
        services.locations_add(actor=outsider.user, event=world.event, kind="table")


# --- registration -----------------------------------------------------------------------


def test_a_member_registers_with_profile_items_pulled_needs_availability_and_answers(world):
    alice = member(name_en="Alice Chips")
    need = need_create(
        actor=alice.user,
        organisation=alice.organisation,
        kind=Need.Kind.PARTNER_SEARCH,
        title="RISC-V 검증 파트너",
        description="UVM 검증을 함께 할 연구실을 찾습니다.",
        start_matching=False,
    )
    secret = need_create(
        actor=alice.user,
        organisation=alice.organisation,
        kind=Need.Kind.TECHNOLOGY_REQUEST,
        title="Codename Zephyr",
        description="Secret text",
        summary="An NPU company looks for help",
        visibility=Need.Visibility.CONFIDENTIAL,
        start_matching=False,
    )
    question = services.question_add(
        actor=world.operator, event=world.event, text_ko="주차가 필요하신가요?", kind="yes_no"
    )
    participant = world.register(
        alice,
        "앨리스",
        position="CTO",
        profile="온디바이스 NPU를 설계합니다.",
        available_slots=world.slots[:2],
        items=[{"kind": "offer", "title": "NPU IP", "description": "28nm NPU IP"}],
        needs=[need, secret],
        answers={f"question_{question.pk}": "yes"},
    )
    items = {(i.kind, i.title, i.description) for i in participant.items.all()}
    assert items == {
        ("offer", "NPU IP", "28nm NPU IP"),
        ("looking_for", "RISC-V 검증 파트너", "UVM 검증을 함께 할 연구실을 찾습니다."),
        # A confidential need lends only its summary.
        ("looking_for", "An NPU company looks for help", ""),
    }
    assert set(participant.available_slots.all()) == set(world.slots[:2])
    assert participant.answers == {str(question.pk): "yes"}
    assert participant.consented_at is not None


def test_registering_without_slots_means_every_meeting_slot(world):
    participant = world.register(member(), "Bo")
    assert participant.available_slots.count() == len(world.slots)


def test_registration_after_the_deadline_is_refused_and_nothing_is_saved(world):
    late = member()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.participant_register(
            actor=late.user,
            event=world.event,
            organisation=late.organisation,
            name="Late",
            consent=True,
            now=world.event.registration_deadline + datetime.timedelta(minutes=1),
        )
    assert "Registration closed on" in messages_of(refused.value)
    assert not Participant.objects.exists()


def test_registration_over_capacity_is_refused(world):
    world.event.capacity = 1
    world.event.save()
    world.register(member(), "First")
    second = member()
    with pytest.raises(ValidationError) as refused:
        services.participant_register(
            actor=second.user,
            event=world.event,
            organisation=second.organisation,
            name="Second",
            consent=True,
            now=world.before,
        )
    assert messages_of(refused.value) == "정원이 찼습니다. 1석이 모두 마감되었습니다."
    assert Participant.objects.count() == 1


def test_a_full_participant_type_is_refused_beside_its_field(world):
    investors = services.participant_type_add(
        actor=world.operator, event=world.event, name_ko="투자자", name_en="Investors", capacity=1
    )
    world.register(member(), "VC one", participant_type=investors)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        world.register(member(), "VC two", participant_type=investors)
    assert (
        "All 1 places for “Investors” are taken." in refused.value.message_dict["participant_type"]
    )


@pytest.mark.parametrize(
    ("details", "field", "words"),
    [
        ({"name": " "}, "name", "name to show"),
        ({"attendance": "online"}, "attendance", "no online rooms"),
        ({"available_slots": []}, "available_slots", "at least one slot"),
        ({"items": [{"kind": "offer", "title": "", "description": "no title"}]}, "items", "title"),
        ({"max_meetings": 0}, "max_meetings", "1 to 100"),
    ],
)
def test_bad_registration_details_are_refused_by_field(world, details, field, words):
    who = member()
    arguments = {"name": "Dana", **details}
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.participant_register(
            actor=who.user,
            event=world.event,
            organisation=who.organisation,
            consent=True,
            now=world.before,
            **arguments,
        )
    assert words in " ".join(refused.value.message_dict[field])
    assert not Participant.objects.exists()


def test_registration_needs_consent_and_required_answers(world):
    question = services.question_add(
        actor=world.operator,
        event=world.event,
        text_ko="관심 분야",
        kind="choice",
        choices=["AI", "팹리스"],
        is_required=True,
    )
    who = member()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.participant_register(
            actor=who.user,
            event=world.event,
            organisation=who.organisation,
            name="Eun",
            consent=False,
            answers={f"question_{question.pk}": "quantum"},
            now=world.before,
        )
    assert "one of the answers" in refused.value.message_dict[f"question_{question.pk}"][0]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.participant_register(
            actor=who.user,
            event=world.event,
            organisation=who.organisation,
            name="Eun",
            consent=False,
            answers={f"question_{question.pk}": "AI"},
            now=world.before,
        )
    assert "agree" in refused.value.message_dict["consent"][0]


def test_only_members_register_and_only_for_their_own_organisation(world):
    student = UserFactory()
    StudentFactory(user=student)
    somebody_elses = member()
    with pytest.raises(PermissionDenied):
        services.participant_register(
            actor=student,
            event=world.event,
            organisation=somebody_elses.organisation,
            name="S",
            consent=True,
            now=world.before,
        )
    outsider = member()
    with pytest.raises(PermissionDenied):
        services.participant_register(
            actor=outsider.user,
            event=world.event,
            organisation=somebody_elses.organisation,
            name="O",
            consent=True,
            now=world.before,
        )


def test_registering_twice_is_refused_and_a_withdrawn_registration_can_come_back(world):
    who = member()
    first = world.register(who, "Gil")
    with translation.override("en"), pytest.raises(ValidationError, match="already registered"):
        world.register(who, "Gil")
    services.participant_cancel(actor=who.user, participant=first)
    again = world.register(who, "Gil again")
    assert again.pk == first.pk and again.is_registered and again.name == "Gil again"


# --- meeting requests -------------------------------------------------------------------


def test_a_request_is_sent_answered_and_both_sides_are_notified(world):
    world.register(member(), "Ann")
    world.register(member(), "Ben")
    request = world.ask("Ann", "Ben", priority="must", accept=None)
    assert request.status == "pending"
    told = Notification.objects.get(recipient=world.people["Ben"].user)
    assert "Ann would like to meet Ben." in told.context["message"]
    answered = services.request_answer(
        actor=world.people["Ben"].user,
        request=request,
        accept=True,
        priority="like",
        now=world.before,
    )
    assert (answered.status, answered.requester_priority, answered.requested_priority) == (
        "accepted",
        "must",
        "like",
    )
    assert Notification.objects.filter(
        recipient=world.people["Ann"].user, kind="event_meeting_answer"
    ).exists()


def test_a_request_to_someone_not_registered_is_refused_in_words(world):
    world.register(member(), "Ann")
    gone = world.register(member(), "Gone")
    services.participant_cancel(actor=gone.user, participant=gone)
    other_event = EventFactory()
    stranger = member()
    elsewhere = (
        services.participant_register(
            actor=stranger.user,
            event=other_event,
            organisation=stranger.organisation,
            name="Elsewhere",
            consent=True,
            now=world.before,
        )
        if other_event.slots.exists()
        else None
    )
    for target in [gone.pk, 999999, *([elsewhere.pk] if elsewhere else [])]:
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            services.request_send(
                actor=world.people["Ann"].user,
                event=world.event,
                requested_id=target,
                message="Hello",
                now=world.before,
            )
        assert "not registered for this event" in refused.value.message_dict["requested"][0]
    assert not MeetingRequest.objects.exists()


@pytest.mark.parametrize(
    ("situation", "words"),
    [
        ("self", "yourself"),
        ("colleague", "your own organisation"),
        ("twice", "already asked"),
        ("reverse", "accept their request instead"),
        ("no message", "Write a message"),
        ("late", "Meeting requests closed on"),
    ],
)
def test_requests_that_cannot_be_are_refused(world, situation, words):
    ann_member = member()
    world.register(ann_member, "Ann")
    world.register(member(), "Ben")
    colleague = member()
    colleague.organisation = ann_member.organisation
    from tests.factories import MembershipFactory

    colleague.user = MembershipFactory(organisation=ann_member.organisation).user
    world.register(colleague, "Colleague")
    target, message, now = "Ben", "Let us talk", world.before
    if situation == "self":
        target = "Ann"
    elif situation == "colleague":
        target = "Colleague"
    elif situation == "twice":
        world.ask("Ann", "Ben", accept=None)
    elif situation == "reverse":
        world.ask("Ben", "Ann", accept=None)
    elif situation == "no message":
        message = "  "
    elif situation == "late":
        now = world.event.request_deadline + datetime.timedelta(seconds=1)
    before = MeetingRequest.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.request_send(
            actor=world.people["Ann"].user,
            event=world.event,
            requested_id=world.people[target].pk,
            message=message,
            now=now,
        )
    assert words in messages_of(refused.value)
    assert MeetingRequest.objects.count() == before


def test_an_answered_request_cannot_be_answered_again_and_others_cannot_answer(world):
    world.register(member(), "Ann")
    world.register(member(), "Ben")
    request = world.ask("Ann", "Ben")
    with pytest.raises(PermissionDenied):
        services.request_answer(actor=world.people["Ann"].user, request=request, accept=True)
    with translation.override("en"), pytest.raises(ValidationError, match="already “accepted”"):
        services.request_answer(
            actor=world.people["Ben"].user, request=request, accept=False, now=world.before
        )


def test_a_withdrawn_request_can_be_sent_again(world):
    world.register(member(), "Ann")
    world.register(member(), "Ben")
    request = world.ask("Ann", "Ben", accept=None)
    services.request_withdraw(actor=world.people["Ann"].user, request=request)
    again = world.ask("Ben", "Ann", accept=None)
    assert again.pk == request.pk
    assert (again.requester, again.requested, again.status) == (
        world.people["Ben"],
        world.people["Ann"],
        "pending",
    )


def test_the_database_keeps_one_request_per_pair_either_way(world):
    ann = world.register(member(), "Ann")
    ben = world.register(member(), "Ben")
    MeetingRequest.objects.create(event=world.event, requester=ann, requested=ben, message="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.create(event=world.event, requester=ben, requested=ann, message="b")


# --- participants book their own meetings -------------------------------------------------


@pytest.fixture
def booking(db) -> World:
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
    for name in ("Ann", "Ben", "Cho", "Dan"):
        world.register(member(), name)
    return world


def test_participants_book_a_free_slot_and_cancelling_frees_it(booking):
    request = booking.ask("Ann", "Ben")
    assert booking.slots[0] in selectors.bookable_slots(request)
    meeting = services.meeting_book(
        actor=booking.people["Ann"].user, request=request, slot=booking.slots[0], now=booking.before
    )
    assert (meeting.status, meeting.origin, meeting.location) == (
        "scheduled",
        "booked",
        booking.tables[0],
    )
    assert AgendaEntry.objects.filter(meeting=meeting).count() == 2
    assert booking.slots[0] not in selectors.bookable_slots(request)
    services.meeting_cancel(actor=booking.people["Ben"].user, meeting=meeting)
    assert not AgendaEntry.objects.exists()
    assert Meeting.objects.get(pk=meeting.pk).status == "cancelled"


def test_a_double_booking_of_a_participant_or_a_table_is_refused_in_words(booking):
    first = booking.ask("Ann", "Ben")
    services.meeting_book(
        actor=booking.people["Ann"].user, request=first, slot=booking.slots[0], now=booking.before
    )
    with_ann = booking.ask("Cho", "Ann")
    with translation.override("en"), pytest.raises(ValidationError) as busy:
        services.meeting_book(
            actor=booking.people["Cho"].user,
            request=with_ann,
            slot=booking.slots[0],
            now=booking.before,
        )
    assert "Ann already has a meeting at" in busy.value.message_dict["slot"][0]
    # The event has one table: Cho and Dan cannot meet in Ann and Ben's slot.
    other_pair = booking.ask("Cho", "Dan")
    with translation.override("en"), pytest.raises(ValidationError) as full:
        services.meeting_book(
            actor=booking.people["Dan"].user,
            request=other_pair,
            slot=booking.slots[0],
            now=booking.before,
        )
    assert "Every table is taken at" in full.value.message_dict["slot"][0]
    with translation.override("en"), pytest.raises(ValidationError, match="already booked"):
        services.meeting_book(
            actor=booking.people["Ben"].user,
            request=first,
            slot=booking.slots[1],
            now=booking.before,
        )
    assert Meeting.objects.count() == 1


def test_the_database_refuses_a_second_meeting_for_a_participant_in_a_slot(booking):
    request = booking.ask("Ann", "Ben")
    meeting = services.meeting_book(
        actor=booking.people["Ann"].user, request=request, slot=booking.slots[0], now=booking.before
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaEntry.objects.create(
            meeting=meeting, participant=booking.people["Ann"], slot=booking.slots[0]
        )


def test_bookings_close_at_the_schedule_deadline_and_need_an_accepted_request(booking):
    pending = booking.ask("Ann", "Ben", accept=None)
    with translation.override("en"), pytest.raises(ValidationError, match="accepted request"):
        services.meeting_book(
            actor=booking.people["Ann"].user,
            request=pending,
            slot=booking.slots[0],
            now=booking.before,
        )
    accepted = booking.ask("Cho", "Dan")
    with translation.override("en"), pytest.raises(ValidationError, match="Bookings closed on"):
        services.meeting_book(
            actor=booking.people["Cho"].user,
            request=accepted,
            slot=booking.slots[0],
            now=booking.event.schedule_deadline + datetime.timedelta(minutes=1),
        )


def test_a_slot_outside_someones_availability_is_refused(booking):
    busy_dan = booking.people["Dan"]
    services.participant_update(
        actor=busy_dan.user,
        participant=busy_dan,
        name="Dan",
        available_slots=[booking.slots[2]],
    )
    request = booking.ask("Cho", "Dan")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.meeting_book(
            actor=booking.people["Cho"].user,
            request=request,
            slot=booking.slots[0],
            now=booking.before,
        )
    assert "Dan is not available at" in refused.value.message_dict["slot"][0]
    assert selectors.bookable_slots(request) == [booking.slots[2]]


# --- the organiser schedules --------------------------------------------------------------


@pytest.fixture
def requested(world, django_capture_on_commit_callbacks) -> World:
    for name in ("Ann", "Ben", "Cho", "Dan", "Eve"):
        world.register(member(), name)
    world.ask("Ann", "Ben", priority="must")
    world.ask("Cho", "Ann")
    world.ask("Dan", "Eve")
    world.ask("Eve", "Ann", accept=False)
    world.ask("Ben", "Cho", accept=None)
    return world


def test_the_scheduler_runs_as_a_task_and_its_schedule_is_provisional_until_published(
    requested, django_capture_on_commit_callbacks
):
    world = requested
    with django_capture_on_commit_callbacks(execute=True):
        run = services.scheduling_start(actor=world.operator, event=world.event)
    run.refresh_from_db()
    assert (run.status, run.progress, run.requested, run.scheduled) == ("done", 100, 3, 3)
    assert run.summary["gap_to_lp_bound"] == 0
    meetings = Meeting.objects.filter(event=world.event)
    assert {m.status for m in meetings} == {"provisional"}
    world.event.refresh_from_db()
    assert world.event.schedule_status == "provisional"
    ann = world.people["Ann"]
    # Participants see nothing until the organiser publishes; the organiser reviews it.
    assert selectors.agenda_meetings(selectors.agenda_of(ann.user, ann)) == []
    assert (
        len(selectors.agenda_meetings(selectors.agenda_of(world.operator, ann, final_only=False)))
        == 2
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(actor=world.operator, event=world.event)
    rows = selectors.agenda_meetings(selectors.agenda_of(ann.user, ann))
    assert {row.partner.name for row in rows} == {"Ben", "Cho"}
    assert all(row.meeting.status == "scheduled" for row in rows)
    assert Notification.objects.filter(recipient=ann.user, kind="event_schedule").exists()


def test_nothing_changes_once_the_schedule_is_final(requested, django_capture_on_commit_callbacks):
    world = requested
    with django_capture_on_commit_callbacks(execute=True):
        services.scheduling_start(actor=world.operator, event=world.event)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(actor=world.operator, event=world.event)
    ann, ben = world.people["Ann"], world.people["Ben"]
    refusals = {
        "run again": lambda: services.scheduling_start(actor=world.operator, event=world.event),
        "request": lambda: services.request_send(
            actor=ben.user,
            event=world.event,
            requested_id=world.people["Dan"].pk,
            message="hi",
            now=world.before,
        ),
        "answer": lambda: services.request_answer(
            actor=world.people["Cho"].user,
            request=MeetingRequest.objects.get(status="pending"),
            accept=True,
            now=world.before,
        ),
        "withdraw": lambda: services.request_withdraw(
            actor=ann.user,
            request=MeetingRequest.objects.filter(status="accepted", requester=ann).first()
            or MeetingRequest.objects.filter(status="accepted", requested=ann).first(),
        ),
        "availability": lambda: services.participant_update(
            actor=ann.user, participant=ann, name="Ann", available_slots=world.slots[:1]
        ),
        "cancel": lambda: services.participant_cancel(actor=ann.user, participant=ann),
        "move": lambda: services.meeting_move(
            actor=world.operator, meeting=Meeting.objects.first(), slot=world.slots[3]
        ),
        "session": lambda: services.session_add(
            actor=world.operator,
            event=world.event,
            title_ko="추가",
            starts_at=world.slots[-1].ends_at + datetime.timedelta(hours=1),
            ends_at=world.slots[-1].ends_at + datetime.timedelta(hours=2),
        ),
    }
    before = (
        list(Meeting.objects.values_list("pk", "slot_id", "location_id", "status")),
        list(MeetingRequest.objects.values_list("pk", "status")),
        list(ann.available_slots.values_list("pk", flat=True)),
    )
    for name, change in refusals.items():
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            change()
        assert "final" in messages_of(refused.value), name
    after = (
        list(Meeting.objects.values_list("pk", "slot_id", "location_id", "status")),
        list(MeetingRequest.objects.values_list("pk", "status")),
        list(ann.available_slots.values_list("pk", flat=True)),
    )
    assert after == before
    # The profile may still change.
    services.participant_update(actor=ann.user, participant=ann, name="Ann K.", profile="new")


def test_moving_a_meeting_to_a_taken_table_is_refused(
    requested, django_capture_on_commit_callbacks
):
    world = requested
    with django_capture_on_commit_callbacks(execute=True):
        services.scheduling_start(actor=world.operator, event=world.event)
    dan, eve, ann = (world.people[n] for n in ("Dan", "Eve", "Ann"))
    mover = Meeting.objects.get(first=dan, second=eve)
    taken = Meeting.objects.filter(first=ann).first() or Meeting.objects.filter(second=ann).first()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.meeting_move(
            actor=world.operator, meeting=mover, slot=taken.slot, location=taken.location
        )
    with translation.override("en"):
        label = taken.location.label
    assert f"{label} is already taken at" in messages_of(refused.value)
    mover.refresh_from_db()
    assert AgendaEntry.objects.filter(meeting=mover).count() == 2
    assert mover.status == "provisional"
    free = next(
        slot
        for slot in world.slots
        if slot != mover.slot and not Meeting.objects.filter(slot=slot).exists()
    )
    moved = services.meeting_move(actor=world.operator, meeting=mover, slot=free)
    assert (moved.pk, moved.slot, moved.status) == (mover.pk, free, "provisional")
    assert set(AgendaEntry.objects.filter(meeting=moved).values_list("slot_id", flat=True)) == {
        free.pk
    }


def test_the_scheduler_gives_online_meetings_online_rooms(
    world, django_capture_on_commit_callbacks
):
    room = services.locations_add(
        actor=world.operator,
        event=world.event,
        kind="online",
        link="https://meet.example.org/room-1",
    )[0]
    world.register(member(), "Ann")
    world.register(member(), "Ben", attendance="online")
    world.register(member(), "Cho")
    world.ask("Ann", "Ben")
    world.ask("Ann", "Cho")
    with django_capture_on_commit_callbacks(execute=True):
        services.scheduling_start(actor=world.operator, event=world.event)
    by_partner = {
        m.second.name: m.location for m in Meeting.objects.select_related("second", "location")
    }
    assert by_partner["Ben"] == room
    assert by_partner["Cho"].kind == "table"


def test_a_scheduler_without_accepted_requests_or_in_self_booking_is_refused(booking, world):
    with translation.override("en"), pytest.raises(ValidationError, match="nothing to schedule"):
        services.scheduling_start(actor=world.operator, event=world.event)
    with translation.override("en"), pytest.raises(ValidationError, match="book their own"):
        services.scheduling_start(actor=booking.operator, event=booking.event)
    assert not SchedulingRun.objects.exists()


# --- the day ----------------------------------------------------------------------------


@pytest.fixture
def on_the_day(day_event, django_capture_on_commit_callbacks) -> World:
    world = day_event
    for name in ("Ann", "Ben", "Cho", "Dan"):
        world.register(member(), name)
    world.ask("Ann", "Ben")
    world.ask("Cho", "Ann")
    upcoming = world.slots[3]
    # Ann meets Ben in the fourth slot; Cho's accepted request with Ann is left out (Cho
    # is only free then, and so is Ann).
    cho = world.people["Cho"]
    services.participant_update(
        actor=cho.user, participant=cho, name="Cho", available_slots=[upcoming]
    )
    for name in ("Ann", "Ben"):
        person = world.people[name]
        services.participant_update(
            actor=person.user, participant=person, name=name, available_slots=[upcoming]
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.scheduling_start(actor=world.operator, event=world.event)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(actor=world.operator, event=world.event)
    return world


def test_check_in_no_show_frees_the_slot_and_offers_a_new_meeting(on_the_day):
    world = on_the_day
    ann, ben, cho = (world.people[n] for n in ("Ann", "Ben", "Cho"))
    meeting = Meeting.objects.get(status="scheduled")
    assert {meeting.first, meeting.second} in ({ann, ben}, {ann, cho})
    partner = meeting.partner_of(ann)
    waiting = cho if partner == ben else ben
    for person in (ann, waiting):
        services.participant_check_in(actor=world.operator, participant=person)
    board = selectors.day_dashboard(world.operator, world.event)
    assert {p.name for p in board.here} == {"Ann", waiting.name}
    assert meeting in board.next_meetings
    # Ann reports her partner absent (the partner cannot report Ann).
    with pytest.raises(PermissionDenied):
        services.meeting_report_absent(actor=partner.user, meeting=meeting, absent=partner)
    services.meeting_report_absent(actor=ann.user, meeting=meeting, absent=partner)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.absent) == ("no_show", partner)
    assert not AgendaEntry.objects.filter(meeting=meeting).exists()
    offers = selectors.my_rebooking_offers(ann)
    assert [(o.other, o.slot) for o in offers] == [(waiting, meeting.slot)]
    assert [o.other for o in selectors.day_dashboard(world.operator, world.event).offers] == [
        waiting
    ]
    rebooked = services.meeting_rebook(
        actor=ann.user, request=offers[0].request, slot=offers[0].slot
    )
    assert (rebooked.origin, rebooked.status) == ("rebooked", "scheduled")
    assert rebooked.includes(waiting)
    assert Notification.objects.filter(recipient=waiting.user, kind="event_schedule").exists()
    assert selectors.my_rebooking_offers(ann) == []


def test_the_day_is_closed_after_the_event_held_or_no_show_by_check_in(
    past_event, django_capture_on_commit_callbacks
):
    world = past_event
    for name in ("Ann", "Ben", "Cho", "Dan"):
        world.register(member(), name)
    world.ask("Ann", "Ben")
    world.ask("Cho", "Dan")
    with django_capture_on_commit_callbacks(execute=True):
        services.scheduling_start(actor=world.operator, event=world.event)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(actor=world.operator, event=world.event)
    for name in ("Ann", "Ben", "Cho"):
        services.participant_check_in(actor=world.operator, participant=world.people[name])
    services.event_finish(actor=world.operator, event=world.event)
    statuses = {
        frozenset((m.first.name, m.second.name)): (m.status, m.absent)
        for m in Meeting.objects.select_related("first", "second")
    }
    assert statuses[frozenset(("Ann", "Ben"))] == ("held", None)
    assert statuses[frozenset(("Cho", "Dan"))] == ("no_show", world.people["Dan"])
    with translation.override("en"), pytest.raises(ValidationError, match="already closed"):
        services.event_finish(actor=world.operator, event=world.event)


def test_the_day_cannot_be_closed_before_it_is_over(on_the_day):
    with translation.override("en"), pytest.raises(ValidationError, match="not over yet"):
        services.event_finish(actor=on_the_day.operator, event=on_the_day.event)


# --- after the event ------------------------------------------------------------------------


@pytest.fixture
def held(past_event, django_capture_on_commit_callbacks) -> World:
    world = past_event
    for name in ("Ann", "Ben", "Cho"):
        world.register(member(name_en=f"{name} Co"), name)
    world.ask("Ann", "Ben")
    world.ask("Cho", "Ann")
    with django_capture_on_commit_callbacks(execute=True):
        services.scheduling_start(actor=world.operator, event=world.event)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_publish(actor=world.operator, event=world.event)
    services.event_finish(actor=world.operator, event=world.event)
    return world


def test_ratings_right_after_and_six_months_on(held):
    world = held
    ann = world.people["Ann"]
    meetings = list(Meeting.objects.filter(status="held").order_by("pk"))
    assert len(meetings) == 2
    services.feedback_submit(
        actor=ann.user,
        participant=ann,
        ratings={
            meetings[0].pk: ("valuable_contact", "좋은 만남"),
            meetings[1].pk: ("no_further_contact", ""),
        },
    )
    # Changing one's mind within the round changes the rating, not adds one.
    services.feedback_submit(
        actor=ann.user, participant=ann, ratings={meetings[1].pk: ("negotiation_started", "")}
    )
    later = selectors.follow_up_opens(world.event) + datetime.timedelta(days=1)
    services.feedback_submit(
        actor=ann.user,
        participant=ann,
        ratings={meetings[0].pk: ("agreement_reached", "MOU signed")},
        now=later,
    )
    rows = set(MeetingFeedback.objects.values_list("meeting_id", "round", "outcome"))
    assert rows == {
        (meetings[0].pk, 1, "valuable_contact"),
        (meetings[1].pk, 1, "negotiation_started"),
        (meetings[0].pk, 2, "agreement_reached"),
    }
    outcomes = selectors.event_outcomes(world.operator, world.event)
    assert (outcomes.held, outcomes.agreements, outcomes.negotiations) == (2, 1, 1)
    assert outcomes.ratings[2]["agreement_reached"] == 1


def test_only_ones_own_held_meetings_are_rated(held):
    world = held
    ben, cho = world.people["Ben"], world.people["Cho"]
    not_bens = Meeting.objects.exclude(first=ben).exclude(second=ben).get()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.feedback_submit(
            actor=ben.user, participant=ben, ratings={not_bens.pk: ("valuable_contact", "")}
        )
    assert (
        "only meetings you took part in" in refused.value.message_dict[f"outcome_{not_bens.pk}"][0]
    )
    with pytest.raises(PermissionDenied):
        services.feedback_submit(
            actor=cho.user, participant=ben, ratings={not_bens.pk: ("valuable_contact", "")}
        )
    assert not MeetingFeedback.objects.exists()


def test_ratings_open_after_the_event(requested):
    ann = requested.people["Ann"]
    with translation.override("en"), pytest.raises(ValidationError, match="after the event"):
        services.feedback_submit(
            actor=ann.user, participant=ann, ratings={1: ("valuable_contact", "")}
        )


def test_a_meeting_carries_on_as_a_match_and_a_joint_project(held):
    world = held
    ann, ben = world.people["Ann"], world.people["Ben"]
    meeting = Meeting.objects.get(status="held", first=ann, second=ben)
    services.meeting_follow_up(
        actor=ann.user, meeting=meeting, message="NPU 공동 검증 과제를 함께 제안하고 싶습니다."
    )
    meeting.refresh_from_db()
    match = meeting.follow_up
    assert match.state == Match.State.REQUESTED
    assert match.need.organisation == ann.organisation
    assert match.need.visibility == Need.Visibility.CONFIDENTIAL
    assert match.organisation == ben.organisation  # Ben has no expert profile
    with translation.override("en"), pytest.raises(ValidationError, match="already carried on"):
        services.meeting_follow_up(actor=ann.user, meeting=meeting, message="again")
    match_answer(actor=ben.user, match=match, accept=True)
    project_create(
        actor=ann.user, match=match, title="NPU 공동 검증", start_date=datetime.date(2027, 1, 4)
    )
    assert JointProject.objects.get().match == match
    outcomes = selectors.event_outcomes(world.operator, world.event)
    assert (outcomes.follow_ups, outcomes.projects) == (1, 1)


def test_reminders_go_out_once_each_when_due(held):
    world = held
    _first, last = selectors.event_period(world.event)
    EventReminder.objects.all().delete()
    sent = services.reminders_send_due(now=last + datetime.timedelta(minutes=5))
    assert sent == {"feedback": 3}
    assert services.reminders_send_due(now=last + datetime.timedelta(minutes=6)) == {}
    follow_up = last + selectors.FOLLOW_UP_AFTER + datetime.timedelta(hours=1)
    assert services.reminders_send_due(now=follow_up) == {"follow_up": 3}
    reminders = Notification.objects.filter(
        kind="event_reminder", recipient=world.people["Ann"].user
    )
    assert sorted(n.context["stage"] for n in reminders) == ["feedback", "follow_up"]
    with translation.override("en"):
        assert "Six months after" in str(
            __import__("sangsaeng.notifications.messages", fromlist=["headline"]).headline(
                reminders.get(context__stage="follow_up")
            )
        )


def test_the_day_before_reminder_and_the_reminder_task_is_queued_to_wait(
    requested, django_capture_on_commit_callbacks
):
    world = requested
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        from django_tasks import default_task_backend

        with django_capture_on_commit_callbacks(execute=True):
            run = services.scheduling_start(actor=world.operator, event=world.event)
        from sangsaeng.events.scheduling import run_scheduler

        run_scheduler(run)
        with django_capture_on_commit_callbacks(execute=True):
            services.schedule_publish(actor=world.operator, event=world.event)
        waiting = [r for r in default_task_backend.results if r.task.name == "send_due_reminders"]
        first, last = selectors.event_period(world.event)
        assert sorted(r.task.run_after for r in waiting) == [
            first - datetime.timedelta(days=1),
            last,
            last + selectors.FOLLOW_UP_AFTER,
        ]
    sent = services.reminders_send_due(now=first - datetime.timedelta(hours=20))
    # Ann–Ben, Cho–Ann and Dan–Eve were scheduled: all five have meetings.
    assert sent == {"day_before": 5}


def test_a_withdrawn_participants_meetings_and_requests_go_with_it(booking):
    request = booking.ask("Ann", "Ben")
    services.meeting_book(
        actor=booking.people["Ann"].user, request=request, slot=booking.slots[0], now=booking.before
    )
    ann = booking.people["Ann"]
    services.participant_cancel(actor=ann.user, participant=ann)
    assert Meeting.objects.get().status == "cancelled"
    assert MeetingRequest.objects.get().status == "cancelled"
    assert not AgendaEntry.objects.exists()
    assert not MarketplaceItem.objects.filter(participant__status="registered", participant=ann)


def test_slot_positions_are_the_time_order(world):
    assert list(Slot.objects.filter(event=world.event).values_list("position", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_the_reminders_command_sends_what_is_due(held):
    from io import StringIO

    from django.core.management import call_command

    EventReminder.objects.all().delete()
    out = StringIO()
    call_command("event_reminders", stdout=out)
    assert "feedback: 3 participants" in out.getvalue()
    again = StringIO()
    call_command("event_reminders", stdout=again)
    assert "No reminder was due." in again.getvalue()
