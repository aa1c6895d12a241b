"""Fixtures of the events tests: an event with a session and tables, members to register.

Times are real: an event two weeks ahead (``event``), one happening now (``day_event``: two
slots over, one running, three to come) and one that ended an hour ago (``past_event``).
Services that depend on the clock take ``now=`` where a test must act at another moment
(registering before a deadline that has since passed).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone, translation

from sangsaeng.accounts.models import Membership, User
from sangsaeng.directory.models import Organisation
from sangsaeng.events.models import Event, Location, Participant, Slot
from sangsaeng.events.services import (
    locations_add,
    participant_register,
    request_answer,
    request_send,
    session_add,
)
from tests.factories import EventFactory, MembershipFactory, OperatorFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def korean_urls():
    translation.activate("ko")
    yield
    translation.deactivate()


@dataclass
class Member:
    user: User
    organisation: Organisation


def member(name_en: str = "", description_en: str = "", **organisation: object) -> Member:
    """An admin of a new approved organisation."""
    org = OrganisationFactory(
        **({"name_en": name_en} if name_en else {}),
        **({"description_en": description_en} if description_en else {}),
        **organisation,
    )
    user = MembershipFactory(organisation=org, role=Membership.Role.ADMIN).user
    return Member(user, org)


@dataclass
class World:
    operator: User
    event: Event
    slots: list[Slot]
    tables: list[Location]
    before: datetime.datetime  # a moment before every deadline of the event
    people: dict[str, Participant] = field(default_factory=dict)

    def register(self, who: Member, name: str, **details: object) -> Participant:
        participant = participant_register(
            actor=who.user,
            event=self.event,
            organisation=who.organisation,
            name=name,
            consent=True,
            now=self.before,
            **details,
        )
        self.people[name] = participant
        return participant

    def ask(
        self, requester: str, requested: str, priority: str = "like", accept: bool | None = True
    ):
        """``requester`` asks ``requested``; who answers (accepting by default)."""
        request = request_send(
            actor=self.people[requester].user,
            event=self.event,
            requested_id=self.people[requested].pk,
            message=f"{requester} would like to meet {requested}.",
            priority=priority,
            now=self.before,
        )
        if accept is not None:
            request = request_answer(
                actor=self.people[requested].user, request=request, accept=accept, now=self.before
            )
        return request


def build_world(
    start: datetime.datetime,
    *,
    slots: int = 4,
    tables: int = 2,
    deadline: datetime.datetime | None = None,
    **event_fields: object,
) -> World:
    operator = OperatorFactory()
    local = timezone.localtime(start)
    deadline = deadline or start - datetime.timedelta(days=2)
    event = EventFactory(
        starts_on=local.date(),
        ends_on=local.date() + datetime.timedelta(days=1),
        registration_deadline=deadline,
        request_deadline=deadline,
        schedule_deadline=deadline,
        **event_fields,
    )
    session_add(
        actor=operator,
        event=event,
        title_ko="오후 세션",
        title_en="Afternoon",
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=20 * slots),
        meeting_minutes=20,
    )
    places = locations_add(actor=operator, event=event, kind="table", count=tables)
    return World(
        operator=operator,
        event=event,
        slots=list(event.slots.order_by("position")),
        tables=places,
        before=min(deadline, timezone.now()) - datetime.timedelta(hours=1),
    )


def _at_minute(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(second=0, microsecond=0)


@pytest.fixture
def world(db) -> World:
    """Two weeks ahead, 14:00 KST, four 20-minute slots, two tables; deadlines still to come."""
    day = timezone.localdate() + datetime.timedelta(days=14)
    start = datetime.datetime.combine(
        day, datetime.time(14, 0), tzinfo=timezone.get_current_timezone()
    )
    return build_world(start, deadline=start - datetime.timedelta(days=3))


@pytest.fixture
def day_event(db) -> World:
    """Happening now: two slots over, the third running, three to come; deadlines just ahead
    (so the schedule can still be published)."""
    start = _at_minute(timezone.now()) - datetime.timedelta(minutes=50)
    return build_world(
        start, slots=6, tables=3, deadline=timezone.now() + datetime.timedelta(minutes=5)
    )


@pytest.fixture
def past_event(db) -> World:
    """Ended an hour ago."""
    start = _at_minute(timezone.now()) - datetime.timedelta(hours=2, minutes=20)
    return build_world(start, slots=4, tables=2)
