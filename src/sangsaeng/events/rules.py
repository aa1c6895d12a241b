"""Who may see and change the records of the events app.

Operators (the cluster office) organise events: they set them up, schedule, check people in
and read every record. A published event is public; its participant list is public or, as
the organiser chooses, for cluster members and the event's own participants only, and that
choice holds wherever participants are read (pages, the API, the search box). Participants
change their own registration, ask others of the same event for meetings, answer what they
are asked, and read their own meetings, agenda and ratings; nobody reads another's ratings
or registration answers but the organiser.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from sangsaeng.core.policy import EVERYTHING, NOTHING, Action, Principal, Rule
from sangsaeng.events.models import (
    AgendaEntry,
    Event,
    EventReminder,
    Location,
    MarketplaceItem,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Participant,
    ParticipantType,
    RegistrationQuestion,
    SchedulingRun,
    Session,
    Slot,
)


def _own(who: Principal, prefix: str = "") -> Q:
    """Records of ``who``'s own registrations."""
    if not who.is_authenticated:
        return NOTHING
    return Q(**{f"{prefix}user_id": who.pk})


def events_taken_part_in(who: Principal) -> Any:
    """The ids of the events ``who`` is registered for (a subquery)."""
    return Participant.objects.filter(user_id=who.pk, status=Participant.Status.REGISTERED).values(
        "event_id"
    )


def listed_participants(who: Principal, prefix: str = "") -> Q:
    """Registrations ``who`` may find in a participant list: a public list is public; a
    members-only list is for cluster members and the event's participants."""
    registered = Q(
        **{f"{prefix}status": Participant.Status.REGISTERED, f"{prefix}event__is_published": True}
    )
    readable = Q(**{f"{prefix}event__participant_list": Event.ParticipantList.PUBLIC})
    if who.is_cluster_member:
        readable |= Q(**{f"{prefix}event__participant_list": Event.ParticipantList.MEMBERS})
    elif who.is_authenticated:
        readable |= Q(**{f"{prefix}event_id__in": events_taken_part_in(who)})
    return registered & readable


class EventRule(Rule):
    """Published events are public; operators set events up and run them."""

    model = Event

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            return Q(is_published=True)
        return NOTHING


class _EventPartRule(Rule):
    """Sessions, slots, places, participant types and questions: as public as their event."""

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            return Q(event__is_published=True)
        return NOTHING


class SessionRule(_EventPartRule):
    model = Session


class SlotRule(_EventPartRule):
    model = Slot


class LocationRule(_EventPartRule):
    model = Location


class ParticipantTypeRule(_EventPartRule):
    model = ParticipantType


class RegistrationQuestionRule(_EventPartRule):
    model = RegistrationQuestion


class ParticipantRule(Rule):
    """A registration: listed as the event's list allows; its owner changes it; the event's
    other participants may ask it for a meeting."""

    model = Participant

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW:
            return EVERYTHING if who.is_operator else _own(who) | listed_participants(who)
        if action == Action.CHANGE:
            return EVERYTHING if who.is_operator else _own(who)
        if action == Action.REQUEST_CONTACT:
            if not who.is_authenticated:
                return NOTHING
            return (
                Q(status=Participant.Status.REGISTERED, event__is_published=True)
                & Q(event_id__in=events_taken_part_in(who))
                & ~Q(user_id=who.pk)
            )
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        """Members of an approved organisation register for it (operators for theirs too)."""
        if action != Action.CREATE or not who.is_authenticated:
            return False
        organisation = context.get("organisation")
        if organisation is None:
            return who.is_operator or who.is_cluster_member
        return organisation.pk in who.approved_member_of


class MarketplaceItemRule(Rule):
    """Offers and wishes are read with their participant and changed by their owner."""

    model = MarketplaceItem

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action == Action.VIEW:
            return _own(who, "participant__") | listed_participants(who, "participant__")
        if action == Action.CHANGE:
            return _own(who, "participant__")
        return NOTHING


def _sides(who: Principal, first: str, second: str) -> Q:
    if not who.is_authenticated:
        return NOTHING
    return Q(**{f"{first}__user_id": who.pk}) | Q(**{f"{second}__user_id": who.pk})


class MeetingRequestRule(Rule):
    """Both sides read a request; the asked side answers; either side withdraws or books."""

    model = MeetingRequest

    def filter(self, who: Principal, action: Action) -> Q:
        if action == Action.VIEW:
            return EVERYTHING if who.is_operator else _sides(who, "requester", "requested")
        if action == Action.RESPOND:
            return _own(who, "requested__")
        if action == Action.CHANGE:
            return _sides(who, "requester", "requested")
        return NOTHING


class MeetingRule(Rule):
    """Its two participants read a meeting (and report the other absent); operators run it."""

    model = Meeting

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        if action in (Action.VIEW, Action.CHANGE):
            return _sides(who, "first", "second")
        return NOTHING


class AgendaEntryRule(Rule):
    model = AgendaEntry

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator:
            return EVERYTHING
        return _own(who, "participant__") if action == Action.VIEW else NOTHING


class MeetingFeedbackRule(Rule):
    """A rating is for the organiser's report: its author and operators read it."""

    model = MeetingFeedback

    def filter(self, who: Principal, action: Action) -> Q:
        if who.is_operator and action == Action.VIEW:
            return EVERYTHING
        if action in (Action.VIEW, Action.CHANGE):
            return _own(who, "participant__")
        return NOTHING

    def allows(self, who: Principal, action: Action, **context: Any) -> bool:
        """A participant rates the meetings of their own registration."""
        participant = context.get("participant")
        return (
            action == Action.CREATE
            and who.is_authenticated
            and participant is not None
            and participant.user_id == who.pk
        )


class SchedulingRunRule(Rule):
    model = SchedulingRun


class EventReminderRule(Rule):
    model = EventReminder


RULES: tuple[type[Rule], ...] = (
    EventRule,
    SessionRule,
    SlotRule,
    LocationRule,
    ParticipantTypeRule,
    RegistrationQuestionRule,
    ParticipantRule,
    MarketplaceItemRule,
    MeetingRequestRule,
    MeetingRule,
    AgendaEntryRule,
    MeetingFeedbackRule,
    SchedulingRunRule,
    EventReminderRule,
)
