"""The events access policy as a role × object × action matrix, and a members-only
participant list kept members-only on pages, in the API and in search.

Roles: anonymous; a student (signed in, no organisation); a cluster member who registered and
withdrew; the participant (Ann); her partner (Ben: a request and a meeting with Ann); another
participant (Cho); a participant of the members-only event whose organisation is awaiting
approval (so not a cluster member); an operator.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sangsaeng.core.policy import Action, can, restrict
from sangsaeng.events import services
from sangsaeng.events.models import (
    AgendaEntry,
    Event,
    EventReminder,
    MarketplaceItem,
    Meeting,
    MeetingFeedback,
    Participant,
    ParticipantType,
    RegistrationQuestion,
    SchedulingRun,
    Session,
    Slot,
)
from sangsaeng.search.selectors import search_everything
from tests.api.conftest import ApiClient
from tests.events.conftest import build_world, member
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    StudentFactory,
    UserFactory,
)

ROLES = (
    "anonymous",
    "student",
    "withdrawn_member",
    "participant",
    "partner",
    "other_participant",
    "unapproved_participant",
    "operator",
)
EVERYONE = frozenset(ROLES)
MEMBERS = frozenset({"withdrawn_member", "participant", "partner", "other_participant", "operator"})
PAIR = frozenset({"participant", "partner"})
SECRET_WORDS = "Xylocarp Quasarbond"


def _build_world():
    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=2)
    world = build_world(start, slots=3, tables=2, scheduling_mode="self_booking")
    event = world.event
    ann, ben, cho, withdrawn = member(), member(), member(), member()
    people = {
        "Ann": world.register(ann, "Ann", items=[{"kind": "offer", "title": "NPU IP"}]),
        "Ben": world.register(ben, "Ben"),
        "Cho": world.register(cho, "Cho"),
    }
    gone = world.register(withdrawn, "Withdrawn")
    services.participant_cancel(actor=withdrawn.user, participant=gone)
    request = world.ask("Ann", "Ben")
    meeting = services.meeting_book(
        actor=ann.user, request=request, slot=world.slots[0], now=world.before
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    feedback = services.feedback_submit(
        actor=ann.user, participant=people["Ann"], ratings={meeting.pk: ("valuable_contact", "")}
    )[0]
    type_ = ParticipantType.objects.create(event=event, name_ko="기업")
    question = RegistrationQuestion.objects.create(event=event, text_ko="주차?")

    # A members-only event that Ann also attends, and someone whose organisation awaits approval.
    members_only = EventFactory(participant_list=Event.ParticipantList.MEMBERS)
    services.session_add(
        actor=world.operator,
        event=members_only,
        title_ko="오후",
        starts_at=timezone.now() + datetime.timedelta(days=14),
        ends_at=timezone.now() + datetime.timedelta(days=14, hours=1),
    )
    services.locations_add(actor=world.operator, event=members_only, kind="table", count=2)
    secret = services.participant_register(
        actor=ann.user,
        event=members_only,
        organisation=ann.organisation,
        name="Ann",
        profile=f"We build the {SECRET_WORDS} chip.",
        consent=True,
    )
    pending_org = OrganisationFactory(status="pending")
    unapproved = MembershipFactory(organisation=pending_org).user
    Participant.objects.create(
        event=members_only,
        user=unapproved,
        organisation=pending_org,
        name="Pending",
        consented_at=timezone.now(),
    )
    draft = EventFactory(is_published=False)
    draft_session = Session.objects.create(
        event=draft,
        title_ko="초안",
        starts_at=timezone.now() + datetime.timedelta(days=20),
        ends_at=timezone.now() + datetime.timedelta(days=20, hours=1),
    )
    student = UserFactory()
    StudentFactory(user=student)
    users = {
        "anonymous": AnonymousUser(),
        "student": student,
        "withdrawn_member": withdrawn.user,
        "participant": ann.user,
        "partner": ben.user,
        "other_participant": cho.user,
        "unapproved_participant": unapproved,
        "operator": world.operator,
    }
    objects = {
        "event": event,
        "draft event": draft,
        "draft session": draft_session,
        "session": Session.objects.filter(event=event).first(),
        "slot": world.slots[0],
        "table": world.tables[0],
        "participant type": type_,
        "question": question,
        "participant": people["Ann"],
        "withdrawn registration": gone,
        "members-only participant": secret,
        "item": MarketplaceItem.objects.get(participant=people["Ann"]),
        "request": request,
        "meeting": meeting,
        "agenda entry": AgendaEntry.objects.get(meeting=meeting, participant=people["Ann"]),
        "rating": feedback,
        "run": SchedulingRun.objects.create(event=event),
        "reminder": EventReminder.objects.create(event=event, kind="feedback"),
    }
    return users, objects


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module; each test runs in its own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _database(db):
    """Every test may use the database (inside the module's world)."""


OPERATOR = frozenset({"operator"})
MATRIX = [
    ("event", Action.VIEW, EVERYONE),
    ("event", Action.CHANGE, OPERATOR),
    ("event", Action.DELETE, OPERATOR),
    ("draft event", Action.VIEW, OPERATOR),
    ("draft session", Action.VIEW, OPERATOR),
    ("session", Action.VIEW, EVERYONE),
    ("session", Action.CHANGE, OPERATOR),
    ("slot", Action.VIEW, EVERYONE),
    ("slot", Action.CHANGE, OPERATOR),
    ("table", Action.VIEW, EVERYONE),
    ("table", Action.CHANGE, OPERATOR),
    ("participant type", Action.VIEW, EVERYONE),
    ("participant type", Action.CHANGE, OPERATOR),
    ("question", Action.VIEW, EVERYONE),
    ("question", Action.CHANGE, OPERATOR),
    ("participant", Action.VIEW, EVERYONE),
    ("participant", Action.CHANGE, {"participant", "operator"}),
    ("participant", Action.REQUEST_CONTACT, {"partner", "other_participant"}),
    ("participant", Action.DELETE, set()),
    ("withdrawn registration", Action.VIEW, {"withdrawn_member", "operator"}),
    ("withdrawn registration", Action.REQUEST_CONTACT, set()),
    (
        "members-only participant",
        Action.VIEW,
        MEMBERS | {"unapproved_participant"},
    ),
    ("members-only participant", Action.REQUEST_CONTACT, {"unapproved_participant"}),
    ("item", Action.VIEW, EVERYONE),
    ("item", Action.CHANGE, {"participant", "operator"}),
    ("request", Action.VIEW, PAIR | OPERATOR),
    ("request", Action.RESPOND, {"partner"}),
    ("request", Action.CHANGE, PAIR),
    ("meeting", Action.VIEW, PAIR | OPERATOR),
    ("meeting", Action.CHANGE, PAIR | OPERATOR),
    ("meeting", Action.DELETE, OPERATOR),
    ("agenda entry", Action.VIEW, {"participant", "operator"}),
    ("agenda entry", Action.CHANGE, OPERATOR),
    ("rating", Action.VIEW, {"participant", "operator"}),
    ("rating", Action.CHANGE, {"participant"}),
    ("run", Action.VIEW, OPERATOR),
    ("run", Action.CHANGE, OPERATOR),
    ("reminder", Action.VIEW, OPERATOR),
]


@pytest.mark.parametrize(("name", "action", "allowed"), MATRIX)
def test_policy_matrix(world, name, action, allowed):
    users, objects = world
    record = objects[name]
    for role in ROLES:
        expected = role in allowed
        assert can(users[role], action, record) is expected, (role, name, action)
        visible = restrict(type(record).objects.all(), users[role], action)
        assert visible.filter(pk=record.pk).exists() is expected, (role, name, action)


def test_every_events_model_has_a_row_in_the_matrix(world):
    from django.apps import apps

    _users, objects = world
    covered = {type(record) for record in objects.values()}
    models = set(apps.get_app_config("events").get_models()) - {Participant.available_slots.through}
    assert models <= covered | {Slot}


@pytest.mark.parametrize(
    ("question", "allowed"),
    [
        ("create event", OPERATOR),
        ("register", MEMBERS),
        ("register for the participant's organisation", {"participant"}),
        ("rate the participant's meetings", {"participant"}),
    ],
)
def test_questions_asked_of_no_record(world, question, allowed):
    users, objects = world
    ann = objects["participant"]
    ask = {
        "create event": lambda user: can(user, Action.CREATE, Event),
        "register": lambda user: can(user, Action.CREATE, Participant),
        "register for the participant's organisation": lambda user: can(
            user, Action.CREATE, Participant, organisation=ann.organisation
        ),
        "rate the participant's meetings": lambda user: can(
            user, Action.CREATE, MeetingFeedback, participant=ann
        ),
    }[question]
    assert {role for role in ROLES if ask(users[role])} == set(allowed)


def test_a_members_only_list_answers_each_role_on_pages_and_in_the_api(world):
    users, objects = world
    secret = objects["members-only participant"]
    event = secret.event
    for role in ROLES:
        allowed = role in MEMBERS | {"unapproved_participant"}
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        page = client.get(reverse("events:participant_list", args=[event.slug]))
        assert page.status_code == (200 if allowed else 403), role
        assert (SECRET_WORDS in page.content.decode()) is False  # the list shows no profile text
        assert ("Ann" in page.content.decode()) is allowed, role
        detail = client.get(reverse("events:participant_detail", args=[event.slug, secret.pk]))
        assert detail.status_code == (200 if allowed else 404), role
        assert (SECRET_WORDS in detail.content.decode()) is allowed, role
        api = ApiClient(None if role == "anonymous" else users[role])
        listed = api.get(f"/api/events/{event.slug}/participants")
        assert listed.status_code == (200 if allowed else 403), role
        one = api.get(f"/api/events/{event.slug}/participants/{secret.pk}")
        assert one.status_code == (200 if allowed else 404), role


def test_a_members_only_participant_is_found_in_search_by_members_only(world):
    users, objects = world
    secret = objects["members-only participant"]
    for role in ROLES:
        allowed = role in MEMBERS | {"unapproved_participant"}
        hits = search_everything(users[role], query=SECRET_WORDS)
        assert any(hit.record == secret for hit in hits) is allowed, role
        api = ApiClient(None if role == "anonymous" else users[role])
        found = api.get("/api/search", {"q": SECRET_WORDS, "kind": "participant"}).json()["results"]
        ids = [hit["id"] for hit in found if hit["kind"] == "participant"]
        assert (secret.pk in ids) is allowed, role


def test_registration_answers_and_check_in_codes_stay_with_their_participant(world):
    users, objects = world
    ann = objects["participant"]
    question = objects["question"]
    ann.answers = {str(question.pk): "yes, two cars"}
    ann.save()
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        body = client.get(ann.get_absolute_url()).content.decode()
        assert ("yes, two cars" in body) is (role in {"participant", "operator"}), role
        assert ann.check_in_token not in body, role
        assert users["participant"].email not in body, role
