"""Read-only questions about matchmaking events, always through the access policy.

Each record has one fetcher (``event_get``, ``participant_get``, ``request_get``,
``meeting_get``, ``run_get``) that raises :class:`~sangsaeng.core.selectors.NotFound` when it
does not exist or the user may not see it. The figures of an event (:func:`event_outcomes`)
are what the organiser's report shows and what the insights app reads.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser
from sangsaeng.core.i18n import localized
from sangsaeng.core.policy import Action, can, principal_of, restrict
from sangsaeng.core.selectors import NotFound
from sangsaeng.directory.models import Organisation
from sangsaeng.engine.index import Query
from sangsaeng.events.models import (
    AgendaEntry,
    Event,
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
from sangsaeng.matching.models import Need
from sangsaeng.search.ranking import rank

# The second round of ratings opens this long after the event (b2match asks after six months).
FOLLOW_UP_AFTER = datetime.timedelta(days=182)
# "About to start": meetings of the slots that begin within this time on the organiser's page.
ABOUT_TO_START = datetime.timedelta(minutes=30)
RECOMMENDATIONS = 12

# --- events -----------------------------------------------------------------------------


def events_visible_to(user: AnyUser) -> QuerySet[Event]:
    return restrict(Event.objects.all(), user, Action.VIEW)


def event_list(user: AnyUser, *, today: datetime.date | None = None) -> dict[str, list[Event]]:
    """Upcoming events (soonest first) and past ones (latest first) the user may see."""
    today = today or timezone.localdate()
    events = events_visible_to(user).annotate(
        registered=Count("participants", filter=Q(participants__status="registered"))
    )
    return {
        "upcoming": list(events.filter(ends_on__gte=today).order_by("starts_on", "id")),
        "past": list(events.filter(ends_on__lt=today).order_by("-starts_on", "-id")),
    }


def event_get(*, user: AnyUser, slug: str) -> Event:
    event = events_visible_to(user).filter(slug=slug).first()
    if event is None:
        raise NotFound(_("No such event."))
    return event


def sessions_of(user: AnyUser, event: Event) -> list[Session]:
    return list(
        restrict(Session.objects.filter(event=event), user).prefetch_related(
            Prefetch("slots", Slot.objects.order_by("position"))
        )
    )


def slots_of(user: AnyUser, event: Event) -> list[Slot]:
    return list(restrict(Slot.objects.filter(event=event), user).order_by("position"))


def slots_in_order(event: Event) -> list[Slot]:
    """The slots of an event already fetched for its reader (they are as public as it is)."""
    return list(Slot.objects.filter(event=event).order_by("position"))


def open_slots_of(user: AnyUser, event: Event) -> list[Slot]:
    return [slot for slot in slots_of(user, event) if not slot.is_break]


LOCATION_ORDER: dict[str, int] = {"table": 0, "room": 1, "online": 2}


def locations_of(user: AnyUser, event: Event) -> list[Location]:
    """Tables, then rooms, then online rooms, each by number."""
    locations = restrict(Location.objects.filter(event=event), user)
    return sorted(locations, key=lambda place: (LOCATION_ORDER[place.kind], place.number))


def participant_types_of(user: AnyUser, event: Event) -> list[ParticipantType]:
    return list(restrict(ParticipantType.objects.filter(event=event), user))


def questions_of(user: AnyUser, event: Event) -> list[RegistrationQuestion]:
    return list(restrict(RegistrationQuestion.objects.filter(event=event), user))


def event_period(event: Event) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """When the first meeting slot starts and the last one ends (None without sessions)."""
    slots = Slot.objects.filter(event=event)
    first = slots.order_by("starts_at").values_list("starts_at", flat=True).first()
    last = slots.order_by("-ends_at").values_list("ends_at", flat=True).first()
    return first, last


def event_is_over(event: Event, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    _first, last = event_period(event)
    if last is None:
        return timezone.localdate(now) > event.ends_on
    return now >= last


def follow_up_opens(event: Event) -> datetime.datetime | None:
    _first, last = event_period(event)
    return None if last is None else last + FOLLOW_UP_AFTER


@dataclass
class EventFacts:
    """What the event page says about where registration and scheduling stand."""

    registered: int
    places_left: int | None
    registration_open: bool
    requests_open: bool
    first_slot: datetime.datetime | None
    last_slot: datetime.datetime | None


def event_facts(event: Event, now: datetime.datetime | None = None) -> EventFacts:
    now = now or timezone.now()
    registered = event.participants.filter(status=Participant.Status.REGISTERED).count()
    first, last = event_period(event)
    return EventFacts(
        registered=registered,
        places_left=None if event.capacity is None else max(event.capacity - registered, 0),
        registration_open=event.is_published and now <= event.registration_deadline,
        requests_open=now <= event.request_deadline and not event.schedule_is_final,
        first_slot=first,
        last_slot=last,
    )


# --- registration -----------------------------------------------------------------------


def registration_of(user: AnyUser, event: Event) -> Participant | None:
    """The user's own registration for ``event`` (also a cancelled one), or None."""
    if not user.is_authenticated:
        return None
    return (
        Participant.objects.filter(event=event, user=user)
        .select_related("organisation", "participant_type")
        .prefetch_related("items", "available_slots")
        .first()
    )


def active_registration(user: AnyUser, event: Event) -> Participant | None:
    participant = registration_of(user, event)
    return participant if participant is not None and participant.is_registered else None


def registrable_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """The organisations ``user`` may register for: approved ones they belong to."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=principal_of(user).approved_member_of, status=Organisation.Status.APPROVED
    ).order_by("name_ko")


def pullable_needs(user: AnyUser, organisations: Any) -> QuerySet[Need]:
    """Open needs and offers of the user's organisations, which a registration can pull in."""
    return (
        restrict(Need.objects.filter(status=Need.Status.OPEN), user, Action.VIEW)
        .filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("organisation__name_ko", "-created_at")
    )


# --- participants -----------------------------------------------------------------------


def participants_visible_to(user: AnyUser) -> QuerySet[Participant]:
    return restrict(Participant.objects.all(), user, Action.VIEW)


def may_list_participants(user: AnyUser, event: Event) -> bool:
    """Whether the event's participant list is open to ``user`` (members-only lists are not
    to the public)."""
    if not event.is_members_only or principal_of(user).is_operator:
        return True
    who = principal_of(user)
    return who.is_cluster_member or active_registration(user, event) is not None


def participant_list(
    user: AnyUser, event: Event, *, participant_type: int | None = None, query: str = ""
) -> QuerySet[Participant]:
    participants = (
        participants_visible_to(user)
        .filter(event=event, status=Participant.Status.REGISTERED)
        .select_related("organisation", "participant_type")
        .prefetch_related("items")
    )
    if participant_type:
        participants = participants.filter(participant_type_id=participant_type)
    if query.strip():
        words = query.strip()
        participants = participants.filter(
            Q(name__icontains=words)
            | Q(organisation__name_ko__icontains=words)
            | Q(organisation__name_en__icontains=words)
            | Q(profile__icontains=words)
            | Q(items__title__icontains=words)
        ).distinct()
    return participants.order_by("name", "id")


def participant_get(*, user: AnyUser, event: Event, pk: int) -> Participant:
    participant = (
        participants_visible_to(user)
        .filter(event=event, pk=pk)
        .select_related("organisation", "participant_type", "event")
        .prefetch_related("items")
        .first()
    )
    if participant is None:
        raise NotFound(_("No such participant."))
    return participant


def items_of(user: AnyUser, participant: Participant) -> dict[str, list[MarketplaceItem]]:
    items = restrict(MarketplaceItem.objects.filter(participant=participant), user)
    grouped: dict[str, list[MarketplaceItem]] = {"offer": [], "looking_for": []}
    for item in items:
        grouped[item.kind].append(item)
    return grouped


def answers_of(user: AnyUser, participant: Participant) -> list[tuple[str, str]]:
    """The registration questions with the participant's answers: for the organiser and the
    participant only (others get none)."""
    if not can(user, Action.CHANGE, participant):
        return []
    answers = participant.answers or {}
    return [
        (question.text, answers.get(str(question.pk), ""))
        for question in restrict(RegistrationQuestion.objects.filter(event=participant.event), user)
    ]


# --- recommendations --------------------------------------------------------------------


def participant_query(participant: Participant) -> Query:
    """What a participant looks for, as the engine's query (matched with what others offer and
    do); without wishes, what they offer and their profile (to meet others in their field)."""
    items = list(participant.items.all())
    wanted = [f"{i.title}. {i.description}" for i in items if i.kind == "looking_for"]
    offered = [f"{i.title}. {i.description}" for i in items if i.kind == "offer"]
    parts = wanted or [*offered, participant.profile]
    text = "\n".join(part for part in parts if part.strip())
    return Query(id=f"participant:{participant.pk}", text=text or participant.organisation.name)


@dataclass
class Recommendation:
    participant: Participant
    score: float
    explanation: dict[str, Any]
    request: MeetingRequest | None = None

    @property
    def best_item(self) -> str | None:
        """The title of the partner's offer the engine found closest, if one was."""
        best = (self.explanation.get("best_document") or {}).get("id") or ""
        if best.startswith("item:"):
            return (self.explanation.get("best_document") or {}).get("title")
        return None


def recommendations(
    user: AnyUser, event: Event, limit: int = RECOMMENDATIONS
) -> list[Recommendation]:
    """Participants the engine finds closest to what ``user``'s registration looks for and
    offers, across Korean and English, with the reasons; other organisations only."""
    me = active_registration(user, event)
    if me is None:
        return []
    candidates = restrict(
        Participant.objects.filter(event=event, status=Participant.Status.REGISTERED)
        .exclude(pk=me.pk)
        .exclude(organisation_id=me.organisation_id),
        user,
        Action.REQUEST_CONTACT,
    )
    ranked = rank(candidates, participant_query(me), limit)
    pairs = requests_between(me, [participant for participant, _ in ranked])
    found = Participant.objects.select_related("organisation", "participant_type").in_bulk(
        [participant.pk for participant, _ in ranked]
    )
    return [
        Recommendation(
            participant=found[participant.pk],
            score=match.score,
            explanation=match.explanation.to_dict() if match.explanation else {},
            request=pairs.get(participant.pk),
        )
        for participant, match in ranked
    ]


def requests_between(me: Participant, others: list[Participant]) -> dict[int, MeetingRequest]:
    """The meeting request between ``me`` and each of ``others`` (by the other's id)."""
    ids = [other.pk for other in others]
    found: dict[int, MeetingRequest] = {}
    for request in MeetingRequest.objects.filter(
        Q(requester=me, requested_id__in=ids) | Q(requested=me, requester_id__in=ids)
    ):
        found[request.requested_id if request.requester_id == me.pk else request.requester_id] = (
            request
        )
    return found


# --- meeting requests -------------------------------------------------------------------


def _requests(user: AnyUser) -> QuerySet[MeetingRequest]:
    return restrict(MeetingRequest.objects.all(), user, Action.VIEW).select_related(
        "requester", "requester__organisation", "requested", "requested__organisation", "event"
    )


@dataclass
class MyRequests:
    participant: Participant
    received: list[MeetingRequest]
    sent: list[MeetingRequest]
    booked: dict[int, Meeting] = field(default_factory=dict)


def my_requests(user: AnyUser, event: Event) -> MyRequests | None:
    me = active_registration(user, event)
    if me is None:
        return None
    requests = _requests(user).filter(event=event)
    booked = {
        meeting.request_id: meeting
        for meeting in Meeting.objects.filter(event=event, status__in=Meeting.ACTIVE)
        .filter(Q(first=me) | Q(second=me))
        .select_related("slot", "location")
        if meeting.request_id is not None
    }
    return MyRequests(
        participant=me,
        received=list(requests.filter(requested=me).order_by("status", "-created_at")),
        sent=list(requests.filter(requester=me).order_by("status", "-created_at")),
        booked=booked,
    )


def request_get(*, user: AnyUser, pk: int, event: Event | None = None) -> MeetingRequest:
    requests = _requests(user).filter(pk=pk)
    if event is not None:
        requests = requests.filter(event=event)
    request = requests.first()
    if request is None:
        raise NotFound(_("No such meeting request."))
    return request


def event_requests(user: AnyUser, event: Event) -> QuerySet[MeetingRequest]:
    """Every request of the event (the organiser's view)."""
    return _requests(user).filter(event=event)


# --- slots and places -------------------------------------------------------------------


def busy_slot_ids(participants: list[Participant]) -> dict[int, set[int]]:
    """The slots each participant already has a meeting in."""
    busy: dict[int, set[int]] = defaultdict(set)
    for participant_id, slot_id in AgendaEntry.objects.filter(
        participant__in=participants
    ).values_list("participant_id", "slot_id"):
        busy[participant_id].add(slot_id)
    return busy


def available_slot_ids(participant: Participant) -> set[int] | None:
    """The slots a participant said they are free in (None: they gave none, so every slot)."""
    chosen = set(participant.available_slots.values_list("pk", flat=True))
    return chosen or None


def venue_of(first: Participant, second: Participant) -> str:
    """A meeting with anyone attending online takes an online room; others a table or room."""
    return "online" if first.is_online or second.is_online else "table"


def free_location(event: Event, slot: Slot, venue: str) -> Location | None:
    """The first table (or room, or online room) with no meeting in ``slot``."""
    taken = Meeting.objects.filter(slot=slot, status__in=Meeting.ACTIVE).values("location_id")
    kinds = [Location.Kind.ONLINE] if venue == "online" else list(Location.ON_SITE)
    return (
        Location.objects.filter(event=event, kind__in=kinds)
        .exclude(pk__in=taken)
        .order_by("kind", "number")
        .first()
    )


def bookable_slots(request: MeetingRequest) -> list[Slot]:
    """Slots where both sides of an accepted request are free and available, with a place."""
    first, second = request.requester, request.requested
    busy = busy_slot_ids([first, second])
    available = [available_slot_ids(first), available_slot_ids(second)]
    venue = venue_of(first, second)
    kinds = [Location.Kind.ONLINE] if venue == "online" else list(Location.ON_SITE)
    places = Location.objects.filter(event=request.event, kind__in=kinds).count()
    used = Counter(
        Meeting.objects.filter(
            event=request.event, status__in=Meeting.ACTIVE, location__kind__in=kinds
        ).values_list("slot_id", flat=True)
    )
    return [
        slot
        for slot in Slot.objects.filter(event=request.event, is_break=False).order_by("position")
        if slot.pk not in busy[first.pk]
        and slot.pk not in busy[second.pk]
        and all(ids is None or slot.pk in ids for ids in available)
        and used[slot.pk] < places
    ]


# --- agendas ----------------------------------------------------------------------------


@dataclass
class AgendaRow:
    slot: Slot
    meeting: Meeting | None
    partner: Participant | None
    available: bool


def meetings_of(
    participant: Participant, statuses: tuple[str, ...] = Meeting.ACTIVE
) -> list[Meeting]:
    return list(
        Meeting.objects.filter(Q(first=participant) | Q(second=participant), status__in=statuses)
        .select_related(
            "slot",
            "slot__session",
            "location",
            "first",
            "first__organisation",
            "second",
            "second__organisation",
            "follow_up",
        )
        .order_by("slot__position")
    )


def agenda_of(
    user: AnyUser, participant: Participant, *, final_only: bool = True
) -> list[AgendaRow]:
    """Every slot of the event with the participant's meeting in it, if any.

    A provisional schedule reaches agendas only when ``final_only`` is False (the organiser
    reviewing it); participants see meetings once the schedule is final or, when they book
    their own, as they book them.
    """
    if not can(user, Action.VIEW, participant) or not can(user, Action.CHANGE, participant):
        raise NotFound(_("No such participant."))
    statuses: tuple[str, ...] = (Meeting.Status.SCHEDULED, Meeting.Status.HELD)
    if not final_only:
        statuses = (*statuses, Meeting.Status.PROVISIONAL)
    meetings = {meeting.slot_id: meeting for meeting in meetings_of(participant, statuses)}
    available = available_slot_ids(participant)
    rows = []
    for slot in (
        Slot.objects.filter(event=participant.event).select_related("session").order_by("position")
    ):
        meeting = meetings.get(slot.pk)
        rows.append(
            AgendaRow(
                slot=slot,
                meeting=meeting,
                partner=meeting.partner_of(participant) if meeting else None,
                available=available is None or slot.pk in available,
            )
        )
    return rows


def agenda_meetings(rows: list[AgendaRow]) -> list[AgendaRow]:
    return [row for row in rows if row.meeting is not None]


def participant_by_token(*, user: AnyUser, event: Event, token: str) -> Participant:
    """The participant whose check-in code this is (for those who run the event)."""
    if not can(user, Action.CHANGE, event):
        raise NotFound(_("No such participant."))
    participant = (
        Participant.objects.filter(event=event, check_in_token=token)
        .select_related("organisation")
        .first()
    )
    if participant is None:
        raise NotFound(_("No participant of this event has this check-in code."))
    return participant


# --- meetings ---------------------------------------------------------------------------


def meeting_get(*, user: AnyUser, pk: int, event: Event | None = None) -> Meeting:
    meetings = restrict(Meeting.objects.filter(pk=pk), user).select_related(
        "event",
        "slot",
        "location",
        "first",
        "first__organisation",
        "second",
        "second__organisation",
        "request",
    )
    if event is not None:
        meetings = meetings.filter(event=event)
    meeting = meetings.first()
    if meeting is None:
        raise NotFound(_("No such meeting."))
    return meeting


@dataclass
class FeedbackRow:
    meeting: Meeting
    partner: Participant
    feedback: MeetingFeedback | None


@dataclass
class FeedbackPage:
    participant: Participant
    round: int
    opens_at: datetime.datetime | None
    is_open: bool
    rows: list[FeedbackRow]
    earlier: dict[int, MeetingFeedback]


def feedback_page(
    user: AnyUser, event: Event, now: datetime.datetime | None = None
) -> FeedbackPage | None:
    """The meetings the user held at ``event`` and their ratings in the current round."""
    me = active_registration(user, event)
    if me is None:
        return None
    now = now or timezone.now()
    follow_up = follow_up_opens(event)
    round_number = 2 if follow_up is not None and now >= follow_up else 1
    held = meetings_of(me, (Meeting.Status.HELD,))
    ratings = {
        (rating.meeting_id, rating.round): rating
        for rating in restrict(
            MeetingFeedback.objects.filter(participant=me, meeting__in=held), user
        )
    }
    return FeedbackPage(
        participant=me,
        round=round_number,
        opens_at=follow_up,
        is_open=event_is_over(event, now),
        rows=[
            FeedbackRow(meeting, meeting.partner_of(me), ratings.get((meeting.pk, round_number)))
            for meeting in held
        ],
        earlier={
            meeting_id: rating
            for (meeting_id, number), rating in ratings.items()
            if number < round_number
        },
    )


# --- the organiser's pages --------------------------------------------------------------


def latest_run(user: AnyUser, event: Event) -> SchedulingRun | None:
    return restrict(SchedulingRun.objects.filter(event=event), user).first()


def run_get(*, user: AnyUser, pk: int) -> SchedulingRun:
    run = restrict(SchedulingRun.objects.filter(pk=pk), user).first()
    if run is None:
        raise NotFound(_("No such scheduling run."))
    return run


@dataclass
class ScheduleOverview:
    requests: dict[str, int]
    participants: int
    slots: int
    places: dict[str, int]
    meetings: list[Meeting]
    unscheduled: list[MeetingRequest]


def schedule_overview(user: AnyUser, event: Event) -> ScheduleOverview:
    """The organiser's view of the requests and the (provisional or final) schedule."""
    requests = Counter(event_requests(user, event).values_list("status", flat=True))
    meetings = list(
        restrict(Meeting.objects.filter(event=event, status__in=Meeting.ACTIVE), user)
        .select_related(
            "slot", "location", "first", "first__organisation", "second", "second__organisation"
        )
        .order_by("slot__position", "location__kind", "location__number")
    )
    scheduled_requests = {meeting.request_id for meeting in meetings}
    unscheduled = [
        request
        for request in event_requests(user, event).filter(status=MeetingRequest.Status.ACCEPTED)
        if request.pk not in scheduled_requests
    ]
    locations = Counter(
        "online" if kind == Location.Kind.ONLINE else "table"
        for kind in Location.objects.filter(event=event).values_list("kind", flat=True)
    )
    return ScheduleOverview(
        requests={status: requests.get(status, 0) for status in MeetingRequest.Status.values},
        participants=event.participants.filter(status=Participant.Status.REGISTERED).count(),
        slots=Slot.objects.filter(event=event, is_break=False).count(),
        places={"table": locations.get("table", 0), "online": locations.get("online", 0)},
        meetings=meetings,
        unscheduled=unscheduled,
    )


@dataclass
class RebookingOffer:
    """A freed slot and a participant who asked to meet its free partner, both free in it."""

    slot: Slot
    participant: Participant
    other: Participant
    request: MeetingRequest
    location: Location


@dataclass
class DayDashboard:
    now: datetime.datetime
    registered: int
    here: list[Participant]
    missing: list[Participant]
    next_meetings: list[Meeting]
    no_shows: list[Meeting]
    offers: list[RebookingOffer]


def day_dashboard(
    user: AnyUser, event: Event, now: datetime.datetime | None = None
) -> DayDashboard:
    """Who is here, the meetings about to start, and new meetings for freed slots."""
    now = now or timezone.now()
    participants = list(
        restrict(
            Participant.objects.filter(event=event, status=Participant.Status.REGISTERED), user
        ).select_related("organisation")
    )
    upcoming = Slot.objects.filter(event=event, ends_at__gt=now, is_break=False).order_by(
        "position"
    )
    soon = [slot.pk for slot in upcoming if slot.starts_at <= now + ABOUT_TO_START]
    if not soon and upcoming:
        soon = [upcoming[0].pk]
    meetings = restrict(Meeting.objects.filter(event=event), user).select_related(
        "slot", "location", "first", "first__organisation", "second", "second__organisation"
    )
    no_shows = list(
        meetings.filter(status=Meeting.Status.NO_SHOW, slot__ends_at__gt=now).order_by(
            "slot__position"
        )
    )
    return DayDashboard(
        now=now,
        registered=len(participants),
        here=[p for p in participants if p.is_checked_in],
        missing=[p for p in participants if not p.is_checked_in],
        next_meetings=list(
            meetings.filter(slot_id__in=soon, status=Meeting.Status.SCHEDULED).order_by(
                "slot__position", "location__kind", "location__number"
            )
        ),
        no_shows=no_shows,
        offers=rebooking_offers(event, no_shows),
    )


def rebooking_offers(
    event: Event, freed: list[Meeting], for_participant: Participant | None = None
) -> list[RebookingOffer]:
    """For each meeting lost to a no-show, the present partner and every participant they
    asked to meet (or who asked them, accepted) that is free, available and checked in (when
    check-in is used) in that slot, with a free place."""
    checking_in = event.participants.filter(checked_in_at__isnull=False).exists()
    offers: list[RebookingOffer] = []
    for meeting in freed:
        present = [p for p in (meeting.first, meeting.second) if p.pk != meeting.absent_id]
        for participant in present:
            if for_participant is not None and participant.pk != for_participant.pk:
                continue
            offers += _offers_in_slot(event, meeting.slot, participant, checking_in)
    return offers


def _offers_in_slot(
    event: Event, slot: Slot, participant: Participant, checking_in: bool
) -> list[RebookingOffer]:
    if AgendaEntry.objects.filter(participant=participant, slot=slot).exists():
        return []
    requests = MeetingRequest.objects.filter(
        Q(requester=participant) | Q(requested=participant),
        status=MeetingRequest.Status.ACCEPTED,
    ).select_related("requester", "requester__organisation", "requested", "requested__organisation")
    met = set(
        Meeting.objects.filter(
            Q(first=participant) | Q(second=participant), status__in=Meeting.ACTIVE
        ).values_list("request_id", flat=True)
    )
    offers = []
    for request in requests:
        other = request.other_side(participant)
        if request.pk in met or not other.is_registered:
            continue
        if checking_in and not other.is_checked_in:
            continue
        if AgendaEntry.objects.filter(participant=other, slot=slot).exists():
            continue
        available = available_slot_ids(other)
        if available is not None and slot.pk not in available:
            continue
        location = free_location(event, slot, venue_of(participant, other))
        if location is None:
            continue
        offers.append(RebookingOffer(slot, participant, other, request, location))
    return offers


def my_rebooking_offers(participant: Participant) -> list[RebookingOffer]:
    """New meetings the participant could take in slots a no-show freed on their agenda."""
    freed = list(
        Meeting.objects.filter(
            Q(first=participant) | Q(second=participant),
            status=Meeting.Status.NO_SHOW,
            slot__ends_at__gt=timezone.now(),
        )
        .exclude(absent=participant)
        .select_related("slot", "first", "second")
    )
    return rebooking_offers(participant.event, freed, for_participant=participant)


# --- outcomes ---------------------------------------------------------------------------


OUTCOME_ORDER = [value for value, _label in MeetingFeedback.Outcome.choices]


@dataclass
class EventOutcomes:
    """An event's figures: what the report shows and the insights app reads."""

    participants: int
    organisations: int
    checked_in: int
    requests: int
    accepted: int
    declined: int
    scheduled: int
    held: int
    no_shows: int
    rebooked: int
    ratings: dict[int, dict[str, int]]
    raters: dict[int, int]
    agreements: int
    negotiations: int
    follow_ups: int
    projects: int
    by_type: list[tuple[str, int]] = field(default_factory=list)

    @property
    def agreements_initiated(self) -> int:
        """Meetings at least one side rated "agreement reached" in either round."""
        return self.agreements


def event_outcomes(user: AnyUser, event: Event) -> EventOutcomes:
    """The event's figures as ``user`` may read them (the organiser reads them all)."""
    if not can(user, Action.CHANGE, event):
        raise NotFound(_("No such event."))
    participants = Participant.objects.filter(event=event, status=Participant.Status.REGISTERED)
    requests = Counter(MeetingRequest.objects.filter(event=event).values_list("status", flat=True))
    meetings = Meeting.objects.filter(event=event)
    statuses = Counter(meetings.values_list("status", flat=True))
    ratings: dict[int, dict[str, int]] = {
        1: dict.fromkeys(OUTCOME_ORDER, 0),
        2: dict.fromkeys(OUTCOME_ORDER, 0),
    }
    raters: dict[int, set[int]] = {1: set(), 2: set()}
    best: dict[int, str] = {}
    for meeting_id, participant_id, number, outcome in MeetingFeedback.objects.filter(
        meeting__event=event
    ).values_list("meeting_id", "participant_id", "round", "outcome"):
        ratings[number][outcome] += 1
        raters[number].add(participant_id)
        if OUTCOME_ORDER.index(outcome) > OUTCOME_ORDER.index(
            best.get(meeting_id, OUTCOME_ORDER[0])
        ):
            best[meeting_id] = outcome
    follow_ups = meetings.filter(follow_up__isnull=False)
    by_type = (
        participants.values_list("participant_type__name_ko", "participant_type__name_en")
        .annotate(count=Count("id"))
        .order_by("-count")
    )
    return EventOutcomes(
        participants=participants.count(),
        organisations=participants.values("organisation_id").distinct().count(),
        checked_in=participants.filter(checked_in_at__isnull=False).count(),
        requests=sum(requests.values()),
        accepted=requests.get(MeetingRequest.Status.ACCEPTED, 0),
        declined=requests.get(MeetingRequest.Status.DECLINED, 0),
        scheduled=sum(
            statuses.get(s, 0)
            for s in (Meeting.Status.SCHEDULED, Meeting.Status.HELD, Meeting.Status.NO_SHOW)
        ),
        held=statuses.get(Meeting.Status.HELD, 0),
        no_shows=statuses.get(Meeting.Status.NO_SHOW, 0),
        rebooked=meetings.filter(origin=Meeting.Origin.REBOOKED).count(),
        ratings=ratings,
        raters={number: len(ids) for number, ids in raters.items()},
        agreements=sum(1 for outcome in best.values() if outcome == "agreement_reached"),
        negotiations=sum(1 for outcome in best.values() if outcome == "negotiation_started"),
        follow_ups=follow_ups.count(),
        projects=follow_ups.filter(follow_up__state="project").count(),
        by_type=[(localized(ko or "", en or "") or "—", count) for ko, en, count in by_type],
    )


# --- the parts of an event, one at a time ------------------------------------------------


def _part_get(user: AnyUser, model: Any, event: Event, pk: int, message: str) -> Any:
    record = restrict(model.objects.filter(event=event, pk=pk), user).first()
    if record is None:
        raise NotFound(message)
    return record


def session_get(*, user: AnyUser, event: Event, pk: int) -> Session:
    return _part_get(user, Session, event, pk, _("No such session."))


def slot_get(*, user: AnyUser, event: Event, pk: int) -> Slot:
    return _part_get(user, Slot, event, pk, _("No such slot."))


def location_get(*, user: AnyUser, event: Event, pk: int) -> Location:
    return _part_get(user, Location, event, pk, _("No such table or room."))


def participant_type_get(*, user: AnyUser, event: Event, pk: int) -> ParticipantType:
    return _part_get(user, ParticipantType, event, pk, _("No such participant type."))


def question_get(*, user: AnyUser, event: Event, pk: int) -> RegistrationQuestion:
    return _part_get(user, RegistrationQuestion, event, pk, _("No such question."))


def my_events(user: AnyUser) -> list[Participant]:
    """The user's registrations for events that have not ended, soonest first."""
    if not user.is_authenticated:
        return []
    return list(
        Participant.objects.filter(
            user=user,
            status=Participant.Status.REGISTERED,
            event__ends_on__gte=timezone.localdate(),
        )
        .select_related("event")
        .annotate(
            waiting=Count(
                "requests_received",
                filter=Q(requests_received__status=MeetingRequest.Status.PENDING),
            )
        )
        .order_by("event__starts_on")
    )


# --- lookups by id, for the API ---------------------------------------------------------


def registrable_organisation_get(*, user: AnyUser, slug: str) -> Organisation:
    organisation = registrable_organisations(user).filter(slug=slug).first()
    if organisation is None:
        raise NotFound(_("You are not a member of an approved organisation of this name."))
    return organisation


def slots_by_ids(user: AnyUser, event: Event, ids: list[int]) -> list[Slot]:
    """The event's slots of these ids (those that are not the event's are left out)."""
    return list(restrict(Slot.objects.filter(event=event, pk__in=ids), user).order_by("position"))


def needs_by_ids(user: AnyUser, ids: list[int]) -> list[Need]:
    """The needs and offers of these ids that ``user`` may read."""
    return list(restrict(Need.objects.filter(pk__in=ids), user, Action.VIEW))


def feedback_of(user: AnyUser, meeting: Meeting, participant: Participant) -> list[MeetingFeedback]:
    return list(
        restrict(
            MeetingFeedback.objects.filter(meeting=meeting, participant=participant), user
        ).order_by("round")
    )
