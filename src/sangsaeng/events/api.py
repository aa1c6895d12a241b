"""The events part of the JSON API (under /api/events/), with the pages' access rules.

Endpoints parse input with schemas, read through the events selectors (so through the
access policy) and change records only through the events services. A members-only
participant list answers 403 to those it is not for, as the page does; a participant the
caller may not see is a 404, the same as one that does not exist. No response carries an
e-mail address, and registration answers reach only their participant and the organiser.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from sangsaeng.accounts.api_auth import required_auth
from sangsaeng.accounts.models import User
from sangsaeng.core.api import READ_ERRORS, WRITE_ERRORS, ErrorOut, RecordId, StrictInput, caller
from sangsaeng.core.policy import Action, require
from sangsaeng.events import selectors, services
from sangsaeng.events.models import (
    Event,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Participant,
    SchedulingRun,
    Slot,
)

router = Router(tags=["events"])


# --- schemas out ------------------------------------------------------------------------


class SlotOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    is_break: bool


class EventOut(Schema):
    slug: str
    title: str
    title_ko: str
    title_en: str
    description: str
    venue: str
    starts_on: datetime.date
    ends_on: datetime.date
    registration_deadline: datetime.datetime
    request_deadline: datetime.datetime
    schedule_deadline: datetime.datetime
    capacity: int | None
    scheduling_mode: str
    participant_list: str
    schedule_status: str
    is_fictional: bool


class EventDetailOut(EventOut):
    slots: list[SlotOut]

    @staticmethod
    def resolve_slots(event: Event) -> list[Slot]:
        return selectors.slots_in_order(event)


class ItemOut(Schema):
    kind: str = Field(description="offer or looking_for")
    title: str
    description: str


class ParticipantOut(Schema):
    id: int
    name: str
    organisation: str = Field(description="the organisation's short name")
    organisation_name: str
    position: str
    participant_type: str | None
    attendance: str
    profile: str
    items: list[ItemOut]
    is_fictional: bool

    @staticmethod
    def resolve_organisation(participant: Participant) -> str:
        return participant.organisation.slug

    @staticmethod
    def resolve_organisation_name(participant: Participant) -> str:
        return str(participant.organisation.name)

    @staticmethod
    def resolve_participant_type(participant: Participant) -> str | None:
        kind = participant.participant_type
        return kind.name if kind is not None else None

    @staticmethod
    def resolve_items(participant: Participant) -> list[Any]:
        return list(participant.items.all())


class RegistrationOut(ParticipantOut):
    """One's own registration: with availability, answers and the check-in code."""

    available_slots: list[RecordId]
    max_meetings: int | None
    answers: dict[str, str]
    status: str
    check_in_code: str
    checked_in_at: datetime.datetime | None

    @staticmethod
    def resolve_available_slots(participant: Participant) -> list[int]:
        return [slot.pk for slot in participant.available_slots.all()]

    @staticmethod
    def resolve_check_in_code(participant: Participant) -> str:
        return participant.check_in_token


class RecommendationOut(Schema):
    participant: ParticipantOut
    score: float
    explanation: dict[str, Any]
    request_status: str | None

    @staticmethod
    def resolve_request_status(item: selectors.Recommendation) -> str | None:
        return item.request.status if item.request is not None else None


class RequestOut(Schema):
    id: int
    requester: int
    requester_name: str
    requested: int
    requested_name: str
    message: str
    requester_priority: str
    requested_priority: str
    status: str
    answer_note: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_requester(request: MeetingRequest) -> int:
        return request.requester_id

    @staticmethod
    def resolve_requested(request: MeetingRequest) -> int:
        return request.requested_id

    @staticmethod
    def resolve_requester_name(request: MeetingRequest) -> str:
        return request.requester.name

    @staticmethod
    def resolve_requested_name(request: MeetingRequest) -> str:
        return request.requested.name


class MyRequestsOut(Schema):
    received: list[RequestOut]
    sent: list[RequestOut]


class MeetingOut(Schema):
    id: int
    slot: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str = Field(description="table, room or online room, as people read it")
    link: str = Field(description="the online room's link, or empty")
    status: str
    first: int
    second: int
    follow_up_match: int | None

    @staticmethod
    def resolve_slot(meeting: Meeting) -> int:
        return meeting.slot_id

    @staticmethod
    def resolve_starts_at(meeting: Meeting) -> datetime.datetime:
        return meeting.slot.starts_at

    @staticmethod
    def resolve_ends_at(meeting: Meeting) -> datetime.datetime:
        return meeting.slot.ends_at

    @staticmethod
    def resolve_place(meeting: Meeting) -> str:
        return meeting.location.label

    @staticmethod
    def resolve_link(meeting: Meeting) -> str:
        return meeting.location.link

    @staticmethod
    def resolve_first(meeting: Meeting) -> int:
        return meeting.first_id

    @staticmethod
    def resolve_second(meeting: Meeting) -> int:
        return meeting.second_id

    @staticmethod
    def resolve_follow_up_match(meeting: Meeting) -> int | None:
        return meeting.follow_up_id


class AgendaItemOut(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    is_break: bool
    meeting: MeetingOut | None
    partner: ParticipantOut | None

    @staticmethod
    def resolve_starts_at(row: selectors.AgendaRow) -> datetime.datetime:
        return row.slot.starts_at

    @staticmethod
    def resolve_ends_at(row: selectors.AgendaRow) -> datetime.datetime:
        return row.slot.ends_at

    @staticmethod
    def resolve_is_break(row: selectors.AgendaRow) -> bool:
        return row.slot.is_break


class RunOut(Schema):
    id: int
    status: str
    progress: int
    stage: str
    requested: int
    scheduled: int
    summary: dict[str, Any]
    finished: bool

    @staticmethod
    def resolve_finished(run: SchedulingRun) -> bool:
        return run.is_finished


class FeedbackOut(Schema):
    meeting: int
    round: int
    outcome: str
    comment: str

    @staticmethod
    def resolve_meeting(feedback: MeetingFeedback) -> int:
        return feedback.meeting_id


class OutcomesOut(Schema):
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


# --- schemas in -------------------------------------------------------------------------


class ItemIn(StrictInput):
    title: str
    description: str = ""


class RegistrationDetailsIn(StrictInput):
    participant_type: int | None = Field(None, description="one of the event's type ids")
    name: str
    position: str = ""
    profile: str = ""
    attendance: str = Field(Participant.Attendance.ON_SITE, description="on_site or online")
    available_slots: list[RecordId] | None = Field(None, description="slot ids; null: every slot")
    max_meetings: int | None = None
    offers: list[ItemIn] = []
    looking_for: list[ItemIn] = []
    needs: list[RecordId] = Field([], description="ids of your organisation's needs and offers")
    answers: dict[str, str] = Field({}, description="question id → answer")


class RegistrationIn(RegistrationDetailsIn):
    organisation: str = Field(description="short name of an organisation you belong to")
    consent: bool = Field(description="agree to be listed in the participant list")


class RequestIn(StrictInput):
    participant: int = Field(description="the id of the participant you ask")
    message: str
    priority: str = Field(MeetingRequest.Priority.LIKE, description="must or like")


class AnswerIn(StrictInput):
    accept: bool
    priority: str = MeetingRequest.Priority.LIKE
    note: str = ""


class SlotIn(StrictInput):
    slot: int


class CodeIn(StrictInput):
    code: str = Field(description="the check-in code (or the address the QR code holds)")


class AbsentIn(StrictInput):
    participant: int = Field(description="which of the meeting's two did not come")


class FeedbackIn(StrictInput):
    outcome: str = Field(description=", ".join(MeetingFeedback.Outcome.values))
    comment: str = ""


class FollowUpIn(StrictInput):
    message: str


# --- helpers ----------------------------------------------------------------------------


def _event(request: HttpRequest, slug: str) -> Event:
    return selectors.event_get(user=caller(request), slug=slug)


def _mine(request: HttpRequest, event: Event) -> Participant:
    participant = selectors.active_registration(caller(request), event)
    if participant is None:
        raise HttpError(404, _("You are not registered for this event."))
    return participant


def _details(request: HttpRequest, event: Event, data: RegistrationDetailsIn) -> dict[str, Any]:
    user = caller(request)
    slots = None
    if data.available_slots is not None:
        slots = selectors.slots_by_ids(user, event, data.available_slots)
        if len(slots) != len(set(data.available_slots)):
            raise ValidationError(
                {"available_slots": _("Choose among this event's meeting slots.")}
            )
    needs = selectors.needs_by_ids(user, data.needs)
    if len(needs) != len(set(data.needs)):
        raise ValidationError(
            {"needs": _("Pull in only the needs and offers of the organisation you register for.")}
        )
    return {
        "participant_type": selectors.participant_type_get(
            user=user, event=event, pk=data.participant_type
        )
        if data.participant_type is not None
        else None,
        "name": data.name,
        "position": data.position,
        "profile": data.profile,
        "attendance": data.attendance,
        "available_slots": slots,
        "max_meetings": data.max_meetings,
        "items": [{"kind": "offer", **item.dict()} for item in data.offers]
        + [{"kind": "looking_for", **item.dict()} for item in data.looking_for],
        "needs": needs,
        "answers": {f"question_{key}": value for key, value in data.answers.items()},
    }


# --- events -----------------------------------------------------------------------------


@router.get("/", response={200: list[EventOut], **READ_ERRORS}, summary="Matchmaking events")
def list_events(request: HttpRequest) -> list[Event]:
    """Coming events (soonest first), then past ones."""
    found = selectors.event_list(caller(request))
    return [*found["upcoming"], *found["past"]]


@router.get("/{slug}", response={200: EventDetailOut, **READ_ERRORS})
def get_event(request: HttpRequest, slug: str) -> Event:
    return _event(request, slug)


@router.get(
    "/{slug}/participants", response={200: list[ParticipantOut], 403: ErrorOut, **READ_ERRORS}
)
def list_participants(request: HttpRequest, slug: str, q: str = "") -> list[Participant]:
    """The participant list: public, or for cluster members and participants only."""
    event = _event(request, slug)
    if not selectors.may_list_participants(caller(request), event):
        raise HttpError(
            403, _("This participant list is for cluster members and the event's participants.")
        )
    return list(selectors.participant_list(caller(request), event, query=q)[:500])


@router.get("/{slug}/participants/{participant_id}", response={200: ParticipantOut, **READ_ERRORS})
def get_participant(request: HttpRequest, slug: str, participant_id: int) -> Participant:
    return selectors.participant_get(
        user=caller(request), event=_event(request, slug), pk=participant_id
    )


# --- one's registration -----------------------------------------------------------------


@router.post(
    "/{slug}/registration", response={201: RegistrationOut, **WRITE_ERRORS}, auth=required_auth
)
def register(request: HttpRequest, slug: str, data: RegistrationIn) -> tuple[int, Participant]:
    """Register for the event as a person of one of your organisations."""
    user: User = caller(request)  # type: ignore[assignment]
    event = _event(request, slug)
    organisation = selectors.registrable_organisation_get(user=user, slug=data.organisation)
    participant = services.participant_register(
        actor=user,
        event=event,
        organisation=organisation,
        consent=data.consent,
        **_details(request, event, data),
    )
    return 201, participant


@router.get(
    "/{slug}/registration", response={200: RegistrationOut, **READ_ERRORS}, auth=required_auth
)
def get_registration(request: HttpRequest, slug: str) -> Participant:
    return _mine(request, _event(request, slug))


@router.put(
    "/{slug}/registration", response={200: RegistrationOut, **WRITE_ERRORS}, auth=required_auth
)
def update_registration(
    request: HttpRequest, slug: str, data: RegistrationDetailsIn
) -> Participant:
    """Change your registration (after the final schedule: the profile and items only)."""
    event = _event(request, slug)
    return services.participant_update(
        actor=caller(request), participant=_mine(request, event), **_details(request, event, data)
    )


@router.delete(
    "/{slug}/registration", response={200: RegistrationOut, **WRITE_ERRORS}, auth=required_auth
)
def cancel_registration(request: HttpRequest, slug: str) -> Participant:
    event = _event(request, slug)
    return services.participant_cancel(actor=caller(request), participant=_mine(request, event))


@router.get(
    "/{slug}/recommendations",
    response={200: list[RecommendationOut], **READ_ERRORS},
    auth=required_auth,
)
def recommendations(request: HttpRequest, slug: str) -> list[selectors.Recommendation]:
    """Participants the engine finds closest to what you look for and offer, with reasons."""
    event = _event(request, slug)
    _mine(request, event)
    return selectors.recommendations(caller(request), event)


# --- meeting requests -------------------------------------------------------------------


@router.get("/{slug}/requests", response={200: MyRequestsOut, **READ_ERRORS}, auth=required_auth)
def my_requests(request: HttpRequest, slug: str) -> selectors.MyRequests:
    event = _event(request, slug)
    found = selectors.my_requests(caller(request), event)
    if found is None:
        raise HttpError(404, _("You are not registered for this event."))
    return found


@router.post("/{slug}/requests", response={201: RequestOut, **WRITE_ERRORS}, auth=required_auth)
def send_request(request: HttpRequest, slug: str, data: RequestIn) -> tuple[int, MeetingRequest]:
    """Ask another participant for a meeting."""
    made = services.request_send(
        actor=caller(request),  # type: ignore[arg-type]
        event=_event(request, slug),
        requested_id=data.participant,
        message=data.message,
        priority=data.priority,
    )
    return 201, made


@router.post(
    "/{slug}/requests/{request_id}/answer",
    response={200: RequestOut, **WRITE_ERRORS},
    auth=required_auth,
)
def answer_request(
    request: HttpRequest, slug: str, request_id: int, data: AnswerIn
) -> MeetingRequest:
    event = _event(request, slug)
    return services.request_answer(
        actor=caller(request),  # type: ignore[arg-type]
        request=selectors.request_get(user=caller(request), pk=request_id, event=event),
        accept=data.accept,
        priority=data.priority,
        note=data.note,
    )


@router.post(
    "/{slug}/requests/{request_id}/withdraw",
    response={200: RequestOut, **WRITE_ERRORS},
    auth=required_auth,
)
def withdraw_request(request: HttpRequest, slug: str, request_id: int) -> MeetingRequest:
    event = _event(request, slug)
    return services.request_withdraw(
        actor=caller(request),  # type: ignore[arg-type]
        request=selectors.request_get(user=caller(request), pk=request_id, event=event),
    )


@router.post(
    "/{slug}/requests/{request_id}/book",
    response={201: MeetingOut, **WRITE_ERRORS},
    auth=required_auth,
)
def book_meeting(
    request: HttpRequest, slug: str, request_id: int, data: SlotIn
) -> tuple[int, Meeting]:
    """Book a free slot for an accepted request (events whose participants book themselves)."""
    event = _event(request, slug)
    meeting = services.meeting_book(
        actor=caller(request),  # type: ignore[arg-type]
        request=selectors.request_get(user=caller(request), pk=request_id, event=event),
        slot=selectors.slot_get(user=caller(request), event=event, pk=data.slot),
    )
    return 201, meeting


# --- agendas and meetings ---------------------------------------------------------------


@router.get(
    "/{slug}/agenda", response={200: list[AgendaItemOut], **READ_ERRORS}, auth=required_auth
)
def agenda(request: HttpRequest, slug: str) -> list[selectors.AgendaRow]:
    """Your meetings, slot by slot, with the table numbers."""
    event = _event(request, slug)
    return selectors.agenda_of(caller(request), _mine(request, event))


@router.post(
    "/{slug}/meetings/{meeting_id}/absent",
    response={200: MeetingOut, **WRITE_ERRORS},
    auth=required_auth,
)
def report_absent(request: HttpRequest, slug: str, meeting_id: int, data: AbsentIn) -> Meeting:
    """A no-show: the organiser, or the partner who came, reports who did not come."""
    event = _event(request, slug)
    meeting = selectors.meeting_get(user=caller(request), pk=meeting_id, event=event)
    if data.participant not in (meeting.first_id, meeting.second_id):
        raise ValidationError(
            {"participant": _("Only one of the meeting's two participants can be absent.")}
        )
    absent = meeting.first if data.participant == meeting.first_id else meeting.second
    return services.meeting_report_absent(
        actor=caller(request),  # type: ignore[arg-type]
        meeting=meeting,
        absent=absent,
    )


@router.post(
    "/{slug}/meetings/{meeting_id}/feedback",
    response={200: FeedbackOut, **WRITE_ERRORS},
    auth=required_auth,
)
def rate_meeting(
    request: HttpRequest, slug: str, meeting_id: int, data: FeedbackIn
) -> MeetingFeedback:
    """Rate a meeting you held (right after the event; again six months on)."""
    event = _event(request, slug)
    meeting = selectors.meeting_get(user=caller(request), pk=meeting_id, event=event)
    saved = services.feedback_submit(
        actor=caller(request),  # type: ignore[arg-type]
        participant=_mine(request, event),
        ratings={meeting.pk: (data.outcome, data.comment)},
    )
    return saved[0]


@router.post(
    "/{slug}/meetings/{meeting_id}/follow-up",
    response={200: MeetingOut, **WRITE_ERRORS},
    auth=required_auth,
)
def follow_up(request: HttpRequest, slug: str, meeting_id: int, data: FollowUpIn) -> Meeting:
    """Carry a meeting on as a match: your partner gets a contact request."""
    event = _event(request, slug)
    return services.meeting_follow_up(
        actor=caller(request),  # type: ignore[arg-type]
        meeting=selectors.meeting_get(user=caller(request), pk=meeting_id, event=event),
        message=data.message,
    )


# --- the organiser ----------------------------------------------------------------------


@router.post("/{slug}/schedule-runs", response={201: RunOut, **WRITE_ERRORS}, auth=required_auth)
def run_scheduler(request: HttpRequest, slug: str) -> tuple[int, SchedulingRun]:
    """Start the scheduler over the accepted requests (organisers); poll the run."""
    run = services.scheduling_start(actor=caller(request), event=_event(request, slug))
    return 201, run


@router.get("/{slug}/schedule-runs/{run_id}", response={200: RunOut, **READ_ERRORS})
def get_run(request: HttpRequest, slug: str, run_id: int) -> SchedulingRun:
    _event(request, slug)
    return selectors.run_get(user=caller(request), pk=run_id)


@router.post(
    "/{slug}/schedule/publish", response={200: EventOut, **WRITE_ERRORS}, auth=required_auth
)
def publish_schedule(request: HttpRequest, slug: str) -> Event:
    """Make the schedule final; every participant is told."""
    return services.schedule_publish(actor=caller(request), event=_event(request, slug))


@router.post(
    "/{slug}/check-in", response={200: RegistrationOut, **WRITE_ERRORS}, auth=required_auth
)
def check_in(request: HttpRequest, slug: str, data: CodeIn) -> Participant:
    """Check a participant in by the code on their agenda (organisers)."""
    event = _event(request, slug)
    require(caller(request), Action.CHANGE, event)
    code = data.code.strip().rstrip("/").rsplit("/", 1)[-1]
    participant = selectors.participant_by_token(user=caller(request), event=event, token=code)
    return services.participant_check_in(actor=caller(request), participant=participant)


@router.get("/{slug}/report", response={200: OutcomesOut, **READ_ERRORS}, auth=required_auth)
def report(request: HttpRequest, slug: str) -> selectors.EventOutcomes:
    """Meetings requested, scheduled, held, ratings and agreements initiated (organisers)."""
    return selectors.event_outcomes(caller(request), _event(request, slug))
