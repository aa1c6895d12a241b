"""Changes to matchmaking events: setting one up, registering, asking for meetings, booking
and scheduling them, the day itself, ratings afterwards, and reminders.

Every service keeps the platform's contract (:func:`sangsaeng.core.services.service`:
keyword arguments, one transaction, its actor in the audit log), checks the access policy,
validates before it writes (``ValidationError`` keyed by field where one is to blame, with
translated messages that say what to do), and leaves mail and background work until the
transaction commits. Changes that could clash (two bookings of one table, the last place of a
full event) lock the event's row first, so they are decided one at a time; the database's
constraints are the last word when something slips past (see :mod:`sangsaeng.events.models`).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser, User
from sangsaeng.core.policy import Action, can, require
from sangsaeng.core.services import after_commit, service
from sangsaeng.directory.models import Organisation, Person
from sangsaeng.events import notifications, reminders, tasks
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
from sangsaeng.events.selectors import (
    available_slot_ids,
    event_is_over,
    event_period,
    follow_up_opens,
    free_location,
    venue_of,
)
from sangsaeng.matching.models import Need
from sangsaeng.matching.parties import Party
from sangsaeng.matching.services import contact_request, need_create
from sangsaeng.notifications.services import notify

EVENT_FIELDS = (
    "title_ko",
    "title_en",
    "description_ko",
    "description_en",
    "venue_ko",
    "venue_en",
    "starts_on",
    "ends_on",
    "registration_deadline",
    "request_deadline",
    "schedule_deadline",
    "capacity",
    "scheduling_mode",
    "participant_list",
)
MAX_MESSAGE_LENGTH = 2000
MAX_PROFILE_LENGTH = 3000
MAX_ITEMS = 10
RESERVED_SLUGS = frozenset({"new"})


def _when(moment: datetime.datetime) -> str:
    """A moment as people read it: in Seoul time, in the active language's format."""
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def _at(slot: Slot) -> str:
    return formats.time_format(timezone.localtime(slot.starts_at), "H:i")


def _locked(event: Event) -> Event:
    """The event's row, locked until the transaction ends: changes that could clash queue."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _refuse_when_final(event: Event, message: str | None = None) -> None:
    if event.schedule_is_final:
        raise ValidationError(
            message or _("The schedule of this event is final: this can no longer be changed.")
        )


# --- setting an event up ----------------------------------------------------------------


def _clean_event_fields(fields: dict[str, Any], current: Event | None = None) -> dict[str, Any]:
    merged = {name: getattr(current, name) for name in EVENT_FIELDS} if current else {}
    merged.update({k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()})
    errors: dict[str, str] = {}
    if not merged.get("title_ko"):
        errors["title_ko"] = _("Give the event a Korean title.")
    starts_on, ends_on = merged.get("starts_on"), merged.get("ends_on")
    if starts_on is None:
        errors["starts_on"] = _("Enter the event's first day.")
    if ends_on is None:
        errors["ends_on"] = _("Enter the event's last day.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot come before the first day.")
    deadlines = ("registration_deadline", "request_deadline", "schedule_deadline")
    for name in deadlines:
        if merged.get(name) is None:
            errors[name] = _("Enter this deadline.")
    registration, requests, schedule = (merged.get(name) for name in deadlines)
    if requests and schedule and requests > schedule:
        errors["request_deadline"] = _(
            "Meeting requests must close before the final schedule is due."
        )
    if registration and schedule and registration > schedule:
        errors["registration_deadline"] = _(
            "Registration must close before the final schedule is due."
        )
    if ends_on and schedule and timezone.localtime(schedule).date() > ends_on:
        errors["schedule_deadline"] = _("The final schedule must be due before the event ends.")
    capacity = merged.get("capacity")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("Leave capacity empty for no limit, or enter at least 1.")
    if merged.get("scheduling_mode") not in Event.SchedulingMode.values:
        errors["scheduling_mode"] = _("Choose how the meetings are scheduled.")
    if merged.get("participant_list") not in Event.ParticipantList.values:
        errors["participant_list"] = _("Choose who may see the participant list.")
    if errors:
        raise ValidationError(errors)
    return merged


@service
def event_create(
    *, actor: AnyUser, slug: str = "", is_fictional: bool = False, **fields: Any
) -> Event:
    """Set up an event (operators); it stays a draft until :func:`event_publish`."""
    require(actor, Action.CREATE, Event)
    unexpected = set(fields) - set(EVENT_FIELDS)
    if unexpected:
        raise TypeError(f"event_create got unexpected fields: {', '.join(sorted(unexpected))}")
    fields.setdefault("scheduling_mode", Event.SchedulingMode.ORGANISER)
    fields.setdefault("participant_list", Event.ParticipantList.PUBLIC)
    merged = _clean_event_fields(fields)
    slug = slugify(slug.strip()) if slug.strip() else ""
    if slug and (slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists()):
        raise ValidationError({"slug": _("Another event already has this short name.")})
    if not slug:
        base = (slugify(merged.get("title_en") or "") or f"event-{merged['starts_on']:%Y-%m-%d}")[
            :80
        ]
        slug, counter = base, 2
        while slug in RESERVED_SLUGS or Event.objects.filter(slug=slug).exists():
            slug, counter = f"{base}-{counter}", counter + 1
    event = Event(
        slug=slug,
        is_fictional=is_fictional,
        created_by=actor if actor and actor.is_authenticated else None,
        **merged,
    )
    event.full_clean()
    event.save()
    return event


@service
def event_update(*, actor: AnyUser, event: Event, **fields: Any) -> Event:
    require(actor, Action.CHANGE, event)
    event = _locked(event)
    unexpected = set(fields) - set(EVENT_FIELDS)
    if unexpected:
        raise TypeError(f"event_update got unexpected fields: {', '.join(sorted(unexpected))}")
    merged = _clean_event_fields(fields, current=event)
    if (
        merged["scheduling_mode"] != event.scheduling_mode
        and event.meetings.filter(status__in=Meeting.ACTIVE).exists()
    ):
        raise ValidationError(
            {
                "scheduling_mode": _(
                    "Meetings are already booked or scheduled: cancel them before you change "
                    "how meetings are scheduled."
                )
            }
        )
    for name, value in merged.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    return event


@service
def event_publish(*, actor: AnyUser, event: Event, publish: bool = True) -> Event:
    """Open the event's page and registration (or take it back to a draft)."""
    require(actor, Action.CHANGE, event)
    event = _locked(event)
    if publish:
        problems = []
        if not event.slots.filter(is_break=False).exists():
            problems.append(_("Add a session with meeting slots first."))
        if not event.locations.exists():
            problems.append(_("Add tables, rooms or online rooms first."))
        if problems:
            raise ValidationError(problems)
    elif event.participants.exists():
        raise ValidationError(_("People have registered: the event cannot go back to a draft."))
    event.is_published = publish
    event.save(update_fields=["is_published", "updated_at"])
    return event


def _renumber_slots(event: Event) -> None:
    slots = list(Slot.objects.filter(event=event).order_by("starts_at", "id"))
    offset = len(slots) + 1000
    for slot in slots:  # out of the way first, so the unique positions never collide
        slot.position += offset
    Slot.objects.bulk_update(slots, ["position"])
    for position, slot in enumerate(slots, start=1):
        slot.position = position
    Slot.objects.bulk_update(slots, ["position"])


@service
def session_add(
    *,
    actor: AnyUser,
    event: Event,
    title_ko: str,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    meeting_minutes: int | None = 20,
    pause_minutes: int | None = 0,
    title_en: str = "",
) -> Session:
    """Add a session and cut it into meeting slots of ``meeting_minutes`` (+ a pause)."""
    require(actor, Action.CHANGE, event)
    event = _locked(event)
    _refuse_when_final(event)
    errors: dict[str, str] = {}
    if not title_ko.strip():
        errors["title_ko"] = _("Give the session a Korean title.")
    if starts_at is None:
        errors["starts_at"] = _("Enter when the session starts.")
    if ends_at is None:
        errors["ends_at"] = _("Enter when the session ends.")
    if meeting_minutes is None or not 5 <= meeting_minutes <= 240:
        errors["meeting_minutes"] = _("A meeting lasts between 5 and 240 minutes.")
    if pause_minutes is None or not 0 <= pause_minutes <= 120:
        errors["pause_minutes"] = _("A pause lasts between 0 and 120 minutes.")
    if errors:
        raise ValidationError(errors)
    assert starts_at is not None and ends_at is not None and meeting_minutes is not None
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    day = timezone.localtime(starts_at).date()
    if not event.starts_on <= day <= event.ends_on:
        raise ValidationError({"starts_at": _("The session must fall on one of the event's days.")})
    overlapping = event.sessions.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if overlapping is not None:
        raise ValidationError(
            {"starts_at": _("It overlaps the session “%(title)s”.") % {"title": overlapping.title}}
        )
    length = datetime.timedelta(minutes=meeting_minutes)
    step = length + datetime.timedelta(minutes=pause_minutes or 0)
    times = []
    start = starts_at
    while start + length <= ends_at:
        times.append(start)
        start += step
    if not times:
        raise ValidationError(
            {"ends_at": _("Not even one meeting fits between the start and the end.")}
        )
    session = Session.objects.create(
        event=event,
        title_ko=title_ko.strip(),
        title_en=title_en.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        meeting_minutes=meeting_minutes,
        pause_minutes=pause_minutes or 0,
    )
    top = Slot.objects.filter(event=event).aggregate(top=Max("position"))["top"] or 0
    Slot.objects.bulk_create(
        Slot(
            event=event,
            session=session,
            starts_at=start,
            ends_at=start + length,
            position=top + number,
        )
        for number, start in enumerate(times, start=1)
    )
    _renumber_slots(event)
    return session


@service
def session_remove(*, actor: AnyUser, session: Session) -> None:
    require(actor, Action.CHANGE, session.event)
    event = _locked(session.event)
    _refuse_when_final(event)
    if Meeting.objects.filter(slot__session=session).exists():
        raise ValidationError(_("Meetings were booked in this session: it cannot be removed."))
    session.delete()
    _renumber_slots(event)


@service
def slot_set_break(*, actor: AnyUser, slot: Slot, is_break: bool) -> Slot:
    """Make a slot a break (no meetings in it) or a meeting slot again."""
    require(actor, Action.CHANGE, slot.event)
    _refuse_when_final(_locked(slot.event))
    if is_break and Meeting.objects.filter(slot=slot, status__in=Meeting.ACTIVE).exists():
        raise ValidationError(_("Meetings are booked in this slot: move them first."))
    slot.is_break = is_break
    slot.save(update_fields=["is_break"])
    return slot


@service
def locations_add(
    *,
    actor: AnyUser,
    event: Event,
    kind: str,
    count: int | None = 1,
    name: str = "",
    link: str = "",
) -> list[Location]:
    """Add ``count`` numbered tables or rooms, or one online room with its link."""
    require(actor, Action.CHANGE, event)
    event = _locked(event)
    if kind not in Location.Kind.values:
        raise ValidationError({"kind": _("Choose a table, a room or an online room.")})
    if count is None or not 1 <= count <= 500:
        raise ValidationError({"count": _("Add between 1 and 500 at a time.")})
    if kind == Location.Kind.ONLINE:
        if not link.strip():
            raise ValidationError({"link": _("An online room needs the link people join by.")})
        if count != 1:
            raise ValidationError(
                {"count": _("Add online rooms one at a time, each with its link.")}
            )
    elif link.strip():
        raise ValidationError({"link": _("Only online rooms have a link.")})
    if name.strip() and count != 1:
        raise ValidationError({"name": _("A name is for one table or room at a time.")})
    top = Location.objects.filter(event=event, kind=kind).aggregate(top=Max("number"))["top"] or 0
    locations = [
        Location(event=event, kind=kind, number=top + k, name=name.strip(), link=link.strip())
        for k in range(1, count + 1)
    ]
    for location in locations:
        location.full_clean(validate_unique=False)
    return Location.objects.bulk_create(locations)


@service
def location_remove(*, actor: AnyUser, location: Location) -> None:
    require(actor, Action.CHANGE, location.event)
    _locked(location.event)
    if Meeting.objects.filter(location=location).exists():
        raise ValidationError(
            _("Meetings were placed at %(place)s: it cannot be removed.") % {"place": location}
        )
    location.delete()


@service
def participant_type_add(
    *,
    actor: AnyUser,
    event: Event,
    name_ko: str,
    name_en: str = "",
    capacity: int | None = None,
) -> ParticipantType:
    require(actor, Action.CHANGE, event)
    if not name_ko.strip():
        raise ValidationError({"name_ko": _("Give the participant type a Korean name.")})
    if capacity is not None and capacity < 1:
        raise ValidationError(
            {"capacity": _("Leave places empty for no limit, or enter at least 1.")}
        )
    if event.participant_types.filter(name_ko=name_ko.strip()).exists():
        raise ValidationError({"name_ko": _("This event already has a type of this name.")})
    order = event.participant_types.count()
    return ParticipantType.objects.create(
        event=event,
        name_ko=name_ko.strip(),
        name_en=name_en.strip(),
        capacity=capacity,
        order=order,
    )


@service
def participant_type_remove(*, actor: AnyUser, participant_type: ParticipantType) -> None:
    require(actor, Action.CHANGE, participant_type.event)
    if participant_type.participants.exists():
        raise ValidationError(_("People registered as this type: it cannot be removed."))
    participant_type.delete()


@service
def question_add(
    *,
    actor: AnyUser,
    event: Event,
    text_ko: str,
    text_en: str = "",
    kind: str = RegistrationQuestion.Kind.TEXT,
    choices: Sequence[str] = (),
    is_required: bool = False,
) -> RegistrationQuestion:
    require(actor, Action.CHANGE, event)
    errors: dict[str, str] = {}
    if not text_ko.strip():
        errors["text_ko"] = _("Write the question in Korean.")
    if kind not in RegistrationQuestion.Kind.values:
        errors["kind"] = _("Choose what kind of answer the question takes.")
    cleaned = [choice.strip() for choice in choices if choice.strip()]
    if kind == RegistrationQuestion.Kind.CHOICE and len(cleaned) < 2:
        errors["choices"] = _("Give at least two choices, one per line.")
    if errors:
        raise ValidationError(errors)
    return RegistrationQuestion.objects.create(
        event=event,
        text_ko=text_ko.strip(),
        text_en=text_en.strip(),
        kind=kind,
        choices=cleaned if kind == RegistrationQuestion.Kind.CHOICE else [],
        is_required=is_required,
        order=event.questions.count(),
    )


@service
def question_remove(*, actor: AnyUser, question: RegistrationQuestion) -> None:
    require(actor, Action.CHANGE, question.event)
    question.delete()


# --- registration -----------------------------------------------------------------------


def _clean_answers(event: Event, answers: Mapping[str, Any]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in event.questions.all():
        key = f"question_{question.pk}"
        raw = answers.get(key, answers.get(str(question.pk), ""))
        value = str(raw if raw is not None else "").strip()
        kind = question.kind
        if kind == RegistrationQuestion.Kind.YES_NO and value and value not in ("yes", "no"):
            errors[key] = _("Answer yes or no.")
        if kind == RegistrationQuestion.Kind.CHOICE and value and value not in question.choices:
            errors[key] = _("Choose one of the answers offered.")
        if question.is_required and not value:
            errors[key] = _("This question needs an answer.")
        if len(value) > MAX_MESSAGE_LENGTH:
            errors[key] = _("The answer is longer than 2000 characters.")
        if value:
            cleaned[str(question.pk)] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_items(items: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    cleaned = []
    for item in items:
        title = str(item.get("title") or "").strip()
        description = str(item.get("description") or "").strip()
        kind = str(item.get("kind") or "")
        if not title and not description:
            continue
        if kind not in MarketplaceItem.Kind.values:
            raise ValidationError({"items": _("Say whether each item is an offer or a wish.")})
        if not title:
            raise ValidationError({"items": _("Give each offer and wish a title.")})
        if len(title) > 300:
            raise ValidationError({"items": _("A title is longer than 300 characters.")})
        cleaned.append({"kind": kind, "title": title, "description": description})
    return cleaned


def _registration_details(
    *,
    actor: AnyUser,
    event: Event,
    organisation: Organisation,
    participant_type: ParticipantType | None,
    name: str,
    profile: str,
    attendance: str,
    answers: Mapping[str, Any],
    available_slots: Iterable[Slot] | None,
    items: Iterable[Mapping[str, Any]],
    needs: Iterable[Need],
    max_meetings: int | None,
) -> tuple[dict[str, Any], list[Slot], list[dict[str, str]], list[Need]]:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("Enter the name to show to other participants.")
    if len(profile) > MAX_PROFILE_LENGTH:
        errors["profile"] = _("The profile is longer than 3000 characters.")
    if attendance not in Participant.Attendance.values:
        errors["attendance"] = _("Choose whether you come on site or join online.")
    else:
        kinds = (
            [Location.Kind.ONLINE]
            if attendance == Participant.Attendance.ONLINE
            else Location.ON_SITE
        )
        if not event.locations.filter(kind__in=kinds).exists():
            errors["attendance"] = (
                _("This event has no online rooms: please come on site.")
                if attendance == Participant.Attendance.ONLINE
                else _("This event takes place online only: please join online.")
            )
    types = list(event.participant_types.all())
    if types and participant_type is None:
        errors["participant_type"] = _("Choose what kind of participant you are.")
    if participant_type is not None and participant_type.event_id != event.pk:
        errors["participant_type"] = _("Choose one of this event's participant types.")
    if max_meetings is not None and not 1 <= max_meetings <= 100:
        errors["max_meetings"] = _("Leave it empty for no limit, or enter 1 to 100.")
    slots = list(available_slots) if available_slots is not None else None
    open_slots = set(event.slots.filter(is_break=False).values_list("pk", flat=True))
    if slots is not None:
        if any(slot.pk not in open_slots for slot in slots):
            errors["available_slots"] = _("Choose among this event's meeting slots.")
        elif not slots and open_slots:
            errors["available_slots"] = _("Choose at least one slot you are free in.")
    chosen_needs = list(needs)
    if any(
        need.organisation_id != organisation.pk or not can(actor, Action.VIEW, need)
        for need in chosen_needs
    ):
        errors["needs"] = _(
            "Pull in only the needs and offers of the organisation you register for."
        )
    try:
        cleaned_items = _clean_items(items)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
        cleaned_items = []
    try:
        cleaned_answers = _clean_answers(event, answers)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
        cleaned_answers = {}
    if len(cleaned_items) + len(chosen_needs) > MAX_ITEMS:
        errors["items"] = _("List at most 10 offers and wishes, pulled-in ones included.")
    if errors:
        raise ValidationError(errors)
    fields = {
        "organisation": organisation,
        "participant_type": participant_type,
        "name": name.strip(),
        "profile": profile.strip(),
        "attendance": attendance,
        "answers": cleaned_answers,
        "max_meetings": max_meetings,
    }
    chosen = slots if slots is not None else [s for s in event.slots.all() if s.pk in open_slots]
    return fields, chosen, cleaned_items, chosen_needs


def _set_items(participant: Participant, items: list[dict[str, str]], needs: list[Need]) -> None:
    participant.items.all().delete()
    rows = [
        MarketplaceItem(participant=participant, order=order, **item)
        for order, item in enumerate(items)
    ]
    rows += [
        MarketplaceItem(
            participant=participant,
            kind=MarketplaceItem.Kind.OFFER if need.is_offer else MarketplaceItem.Kind.LOOKING_FOR,
            # A confidential need lends only its summary, never its text.
            title=need.label_for_others,
            description="" if need.is_confidential else need.description,
            need=need,
            order=len(items) + order,
        )
        for order, need in enumerate(needs)
    ]
    MarketplaceItem.objects.bulk_create(rows)
    # bulk_create sends no signals: the search index learns of the new items from this save.
    participant.save(update_fields=["updated_at"])


def _check_capacity(event: Event, participant_type: ParticipantType | None) -> None:
    registered = event.participants.filter(status=Participant.Status.REGISTERED)
    if event.capacity is not None and registered.count() >= event.capacity:
        raise ValidationError(
            _("The event is full: all %(count)s places are taken.") % {"count": event.capacity}
        )
    if participant_type is not None and participant_type.capacity is not None:
        taken = registered.filter(participant_type=participant_type).count()
        if taken >= participant_type.capacity:
            raise ValidationError(
                {
                    "participant_type": _("All %(count)s places for “%(type)s” are taken.")
                    % {"count": participant_type.capacity, "type": participant_type.name}
                }
            )


@service
def participant_register(
    *,
    actor: User,
    event: Event,
    organisation: Organisation,
    name: str,
    consent: bool,
    participant_type: ParticipantType | None = None,
    position: str = "",
    profile: str = "",
    attendance: str = Participant.Attendance.ON_SITE,
    answers: Mapping[str, Any] | None = None,
    available_slots: Iterable[Slot] | None = None,
    items: Iterable[Mapping[str, Any]] = (),
    needs: Iterable[Need] = (),
    max_meetings: int | None = None,
    now: datetime.datetime | None = None,
) -> Participant:
    """Register ``actor`` for ``event`` as a person of ``organisation`` (a member of it).

    ``available_slots`` None means every meeting slot. ``needs`` are the organisation's needs
    and offers on the platform pulled in as marketplace items.
    """
    require(actor, Action.VIEW, event)
    require(actor, Action.CREATE, Participant, organisation=organisation)
    event = _locked(event)
    now = now or timezone.now()
    if not event.is_published:
        raise ValidationError(_("Registration has not opened yet."))
    if now > event.registration_deadline:
        raise ValidationError(
            _("Registration closed on %(when)s.") % {"when": _when(event.registration_deadline)}
        )
    existing = Participant.objects.filter(event=event, user=actor).first()
    if existing is not None and existing.is_registered:
        raise ValidationError(_("You are already registered for this event."))
    consent_error = _("Registration lists you as a participant: agree to it to register.")
    try:
        fields, slots, cleaned_items, chosen_needs = _registration_details(
            actor=actor,
            event=event,
            organisation=organisation,
            participant_type=participant_type,
            name=name,
            profile=profile,
            attendance=attendance,
            answers=answers or {},
            available_slots=available_slots,
            items=items,
            needs=needs,
            max_meetings=max_meetings,
        )
    except ValidationError as error:
        if not consent:  # every problem at once, so that the form is put right in one go
            raise ValidationError({**error.message_dict, "consent": [consent_error]}) from None
        raise
    if not consent:
        raise ValidationError({"consent": consent_error})
    _check_capacity(event, participant_type)
    participant = existing or Participant(event=event, user=actor)
    for key, value in fields.items():
        setattr(participant, key, value)
    participant.position = position.strip()
    participant.status = Participant.Status.REGISTERED
    participant.consented_at = now
    participant.full_clean(exclude=["user", "event"])
    participant.save()
    participant.available_slots.set(slots)
    _set_items(participant, cleaned_items, chosen_needs)
    return participant


@service
def participant_update(
    *,
    actor: AnyUser,
    participant: Participant,
    name: str,
    participant_type: ParticipantType | None = None,
    position: str = "",
    profile: str = "",
    attendance: str = Participant.Attendance.ON_SITE,
    answers: Mapping[str, Any] | None = None,
    available_slots: Iterable[Slot] | None = None,
    items: Iterable[Mapping[str, Any]] = (),
    needs: Iterable[Need] = (),
    max_meetings: int | None = None,
) -> Participant:
    """Change a registration; once the schedule is final, only the profile and items."""
    require(actor, Action.CHANGE, participant)
    event = _locked(participant.event)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    fields, slots, cleaned_items, chosen_needs = _registration_details(
        actor=actor,
        event=event,
        organisation=participant.organisation,
        participant_type=participant_type,
        name=name,
        profile=profile,
        attendance=attendance,
        answers=answers or {},
        available_slots=available_slots,
        items=items,
        needs=needs,
        max_meetings=max_meetings,
    )
    now_available = {slot.pk for slot in slots}
    before = available_slot_ids(participant)
    was_available = before if before is not None else now_available
    schedule_changes = (
        now_available != was_available
        or fields["attendance"] != participant.attendance
        or fields["max_meetings"] != participant.max_meetings
    )
    if schedule_changes and event.schedule_is_final:
        raise ValidationError(
            _(
                "The schedule is final: your availability and attendance can no longer change. "
                "Tell the organiser if you cannot come to a meeting."
            )
        )
    booked = set(participant.agenda.values_list("slot_id", flat=True))
    if booked - now_available:
        raise ValidationError(
            {
                "available_slots": _(
                    "You have meetings in slots you unticked: cancel those meetings first."
                )
            }
        )
    type_changed = fields["participant_type"] != participant.participant_type
    if type_changed and fields["participant_type"] is not None:
        capacity = fields["participant_type"].capacity
        taken = event.participants.filter(
            status=Participant.Status.REGISTERED, participant_type=fields["participant_type"]
        ).count()
        if capacity is not None and taken >= capacity:
            raise ValidationError(
                {
                    "participant_type": _("All %(count)s places for “%(type)s” are taken.")
                    % {"count": capacity, "type": fields["participant_type"].name}
                }
            )
    for key, value in fields.items():
        setattr(participant, key, value)
    participant.position = position.strip()
    participant.full_clean(exclude=["user", "event"])
    participant.save()
    participant.available_slots.set(slots)
    _set_items(participant, cleaned_items, chosen_needs)
    return participant


@service
def participant_cancel(*, actor: AnyUser, participant: Participant) -> Participant:
    """Withdraw a registration; its requests are withdrawn and its booked meetings cancelled."""
    require(actor, Action.CHANGE, participant)
    event = _locked(participant.event)
    _refuse_when_final(
        event,
        _("The schedule is final: tell the organiser if you cannot come, so your partners know."),
    )
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    for meeting in Meeting.objects.filter(
        Q(first=participant) | Q(second=participant), status__in=Meeting.ACTIVE
    ):
        _cancel_meeting(meeting)
    MeetingRequest.objects.filter(
        Q(requester=participant) | Q(requested=participant),
        status__in=[MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED],
    ).update(status=MeetingRequest.Status.CANCELLED, updated_at=timezone.now())
    participant.status = Participant.Status.CANCELLED
    participant.save(update_fields=["status", "updated_at"])
    return participant


# --- meeting requests -------------------------------------------------------------------


def _refuse_when_requests_closed(event: Event, now: datetime.datetime) -> None:
    _refuse_when_final(event, _("The schedule is final: meeting requests are closed."))
    if now > event.request_deadline:
        raise ValidationError(
            _("Meeting requests closed on %(when)s.") % {"when": _when(event.request_deadline)}
        )


def _own_registration(actor: AnyUser, event: Event) -> Participant:
    participant = (
        Participant.objects.filter(event=event, user_id=actor.pk, status="registered").first()
        if actor.is_authenticated
        else None
    )
    if participant is None:
        raise ValidationError(_("Register for the event first."))
    return participant


@service
def request_send(
    *,
    actor: User,
    event: Event,
    requested_id: int,
    message: str,
    priority: str = MeetingRequest.Priority.LIKE,
    now: datetime.datetime | None = None,
) -> MeetingRequest:
    """Ask another participant of ``event`` for a meeting, with a message and a priority."""
    require(actor, Action.VIEW, event)
    event = _locked(event)
    now = now or timezone.now()
    me = _own_registration(actor, event)
    _refuse_when_requests_closed(event, now)
    requested = (
        Participant.objects.filter(pk=requested_id, event=event, status="registered")
        .select_related("organisation", "user")
        .first()
    )
    if requested is None:
        raise ValidationError(
            {
                "requested": _(
                    "This person is not registered for this event, so you cannot ask them "
                    "for a meeting."
                )
            }
        )
    if requested.pk == me.pk:
        raise ValidationError({"requested": _("You cannot ask yourself for a meeting.")})
    require(actor, Action.REQUEST_CONTACT, requested)
    if requested.organisation_id == me.organisation_id:
        raise ValidationError(
            {"requested": _("%(name)s is from your own organisation.") % {"name": requested.name}}
        )
    message = (message or "").strip()
    errors: dict[str, str] = {}
    if not message:
        errors["message"] = _("Write a message to go with your request.")
    elif len(message) > MAX_MESSAGE_LENGTH:
        errors["message"] = _("The message is longer than 2000 characters.")
    if priority not in MeetingRequest.Priority.values:
        errors["priority"] = _("Choose “must meet” or “would like to meet”.")
    if errors:
        raise ValidationError(errors)
    pair = MeetingRequest.objects.filter(
        Q(requester=me, requested=requested) | Q(requester=requested, requested=me)
    ).first()
    if pair is not None and pair.status != MeetingRequest.Status.CANCELLED:
        if pair.requester_id == me.pk:
            raise ValidationError(
                _("You have already asked %(name)s for a meeting.") % {"name": requested.name}
            )
        if pair.status == MeetingRequest.Status.PENDING:
            raise ValidationError(
                _("%(name)s has already asked you for a meeting: accept their request instead.")
                % {"name": requested.name}
            )
        if pair.status == MeetingRequest.Status.ACCEPTED:
            raise ValidationError(
                _("You have already agreed to meet %(name)s.") % {"name": requested.name}
            )
        raise ValidationError(
            _("You declined the request of %(name)s earlier.") % {"name": requested.name}
        )
    request = pair or MeetingRequest(event=event)
    request.requester, request.requested = me, requested
    request.message, request.requester_priority = message, priority
    request.status, request.requested_priority = MeetingRequest.Status.PENDING, ""
    request.answer_note, request.answered_at = "", None
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # the other side asked in the same moment
        raise ValidationError(
            _("%(name)s has already asked you for a meeting: accept their request instead.")
            % {"name": requested.name}
        ) from None
    notify(
        recipients=[requested.user],
        kind=notifications.MEETING_REQUEST,
        context={
            "sender": f"{me.name} ({me.organisation.name})",
            "event": event.title,
            "message": message,
        },
        link=reverse("events:requests", args=[event.slug]),
    )
    return request


@service
def request_answer(
    *,
    actor: User,
    request: MeetingRequest,
    accept: bool,
    priority: str = MeetingRequest.Priority.LIKE,
    note: str = "",
    now: datetime.datetime | None = None,
) -> MeetingRequest:
    """The asked participant accepts (with their own priority) or declines."""
    require(actor, Action.RESPOND, request)
    event = _locked(request.event)
    now = now or timezone.now()
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != MeetingRequest.Status.PENDING:
        raise ValidationError(
            _("This request is already “%(status)s”.") % {"status": request.get_status_display()}
        )
    _refuse_when_requests_closed(event, now)
    if accept and priority not in MeetingRequest.Priority.values:
        raise ValidationError({"priority": _("Choose “must meet” or “would like to meet”.")})
    request.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    request.requested_priority = priority if accept else ""
    request.answer_note = note.strip()[:MAX_MESSAGE_LENGTH]
    request.answered_at = now
    request.save()
    notify(
        recipients=[request.requester.user],
        kind=notifications.MEETING_ANSWER,
        context={
            "party": f"{request.requested.name} ({request.requested.organisation.name})",
            "event": event.title,
            "accepted": accept,
        },
        link=reverse("events:requests", args=[event.slug]),
    )
    return request


@service
def request_withdraw(*, actor: User, request: MeetingRequest) -> MeetingRequest:
    """Either side calls a request off; a meeting booked for it is cancelled."""
    require(actor, Action.CHANGE, request)
    event = _locked(request.event)
    _refuse_when_final(
        event, _("The schedule is final: tell the organiser if you cannot come to this meeting.")
    )
    request = MeetingRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in (MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED):
        raise ValidationError(
            _("This request is already “%(status)s”.") % {"status": request.get_status_display()}
        )
    for meeting in request.meetings.filter(status__in=Meeting.ACTIVE):
        _cancel_meeting(meeting)
    request.status = MeetingRequest.Status.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    me = request.requester if request.requester.user_id == actor.pk else request.requested
    other = request.other_side(me)
    notify(
        recipients=[other.user],
        kind=notifications.MEETING_REQUEST,
        context={
            "sender": f"{me.name} ({me.organisation.name})",
            "event": event.title,
            "withdrawn": True,
        },
        link=reverse("events:requests", args=[event.slug]),
    )
    return request


# --- meetings ---------------------------------------------------------------------------


def _cancel_meeting(meeting: Meeting, status: str = Meeting.Status.CANCELLED) -> None:
    AgendaEntry.objects.filter(meeting=meeting).delete()
    meeting.status = status
    meeting.save(update_fields=["status", "absent", "updated_at"])


def _check_placement(
    *,
    event: Event,
    first: Participant,
    second: Participant,
    slot: Slot,
    location: Location | None,
) -> Location:
    """The place two participants can meet at in ``slot``, or a refusal that says why not."""
    if slot.event_id != event.pk:
        raise ValidationError({"slot": _("Choose one of this event's slots.")})
    if slot.is_break:
        raise ValidationError({"slot": _("%(time)s is a break.") % {"time": _at(slot)}})
    for participant in (first, second):
        available = available_slot_ids(participant)
        if available is not None and slot.pk not in available:
            raise ValidationError(
                {
                    "slot": _("%(name)s is not available at %(time)s.")
                    % {"name": participant.name, "time": _at(slot)}
                }
            )
        if AgendaEntry.objects.filter(participant=participant, slot=slot).exists():
            raise ValidationError(
                {
                    "slot": _("%(name)s already has a meeting at %(time)s.")
                    % {"name": participant.name, "time": _at(slot)}
                }
            )
        limit = participant.max_meetings
        if limit is not None and participant.agenda.count() >= limit:
            raise ValidationError(
                _("%(name)s wants at most %(count)s meetings and has them.")
                % {"name": participant.name, "count": limit}
            )
    venue = venue_of(first, second)
    if location is None:
        location = free_location(event, slot, venue)
        if location is None:
            raise ValidationError(
                {"slot": _("Every table is taken at %(time)s.") % {"time": _at(slot)}}
                if venue == "table"
                else {"slot": _("Every online room is taken at %(time)s.") % {"time": _at(slot)}}
            )
        return location
    if location.event_id != event.pk:
        raise ValidationError({"location": _("Choose one of this event's places.")})
    if location.venue != venue:
        raise ValidationError(
            {
                "location": _("This meeting needs an online room.")
                if venue == "online"
                else _("This meeting needs a table or a room.")
            }
        )
    if Meeting.objects.filter(slot=slot, location=location, status__in=Meeting.ACTIVE).exists():
        raise ValidationError(
            {
                "location": _("%(place)s is already taken at %(time)s.")
                % {"place": location.label, "time": _at(slot)}
            }
        )
    return location


def _save_placement(meeting: Meeting) -> Meeting:
    """Save a meeting and its two agenda entries; the database has the last word on clashes."""
    try:
        with transaction.atomic():
            meeting.save()
            AgendaEntry.objects.bulk_create(
                AgendaEntry(meeting=meeting, participant_id=participant_id, slot=meeting.slot)
                for participant_id in (meeting.first_id, meeting.second_id)
            )
    except IntegrityError:  # somebody took the slot or the table a moment before
        raise ValidationError(
            {"slot": _("That slot was just taken. Choose another one.")}
        ) from None
    return meeting


def _place_meeting(
    *,
    event: Event,
    first: Participant,
    second: Participant,
    slot: Slot,
    request: MeetingRequest | None,
    status: str,
    origin: str,
) -> Meeting:
    location = _check_placement(event=event, first=first, second=second, slot=slot, location=None)
    return _save_placement(
        Meeting(
            event=event,
            request=request,
            first=first,
            second=second,
            slot=slot,
            location=location,
            status=status,
            origin=origin,
        )
    )


@service
def meeting_book(
    *, actor: User, request: MeetingRequest, slot: Slot, now: datetime.datetime | None = None
) -> Meeting:
    """Book a free slot for an accepted request (events whose participants book themselves)."""
    require(actor, Action.CHANGE, request)
    event = _locked(request.event)
    now = now or timezone.now()
    if not event.is_self_booking:
        raise ValidationError(_("The organiser schedules the meetings of this event."))
    _refuse_when_final(event, _("The schedule is final: bookings are closed."))
    if now > event.schedule_deadline:
        raise ValidationError(
            _("Bookings closed on %(when)s.") % {"when": _when(event.schedule_deadline)}
        )
    request = MeetingRequest.objects.select_related("requester", "requested").get(pk=request.pk)
    if request.status != MeetingRequest.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted request can be booked."))
    booked = request.meetings.filter(status__in=Meeting.ACTIVE).select_related("slot").first()
    if booked is not None:
        raise ValidationError(
            _("This meeting is already booked at %(time)s.") % {"time": _at(booked.slot)}
        )
    return _place_meeting(
        event=event,
        first=request.requester,
        second=request.requested,
        slot=slot,
        request=request,
        status=Meeting.Status.SCHEDULED,
        origin=Meeting.Origin.BOOKED,
    )


@service
def meeting_cancel(*, actor: User, meeting: Meeting) -> Meeting:
    """Free a booked meeting's slot (its participants, before the schedule is final)."""
    require(actor, Action.CHANGE, meeting)
    event = _locked(meeting.event)
    if not can(actor, Action.CHANGE, event):
        _refuse_when_final(
            event, _("The schedule is final: tell the organiser if you cannot come.")
        )
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_active:
        raise ValidationError(_("This meeting is no longer on the agenda."))
    _cancel_meeting(meeting)
    return meeting


@service
def meeting_move(
    *, actor: AnyUser, meeting: Meeting, slot: Slot, location: Location | None = None
) -> Meeting:
    """The organiser moves a meeting of the schedule under review to another slot or place."""
    require(actor, Action.CHANGE, meeting.event)
    event = _locked(meeting.event)
    _refuse_when_final(event, _("The schedule is final: meetings can no longer be moved."))
    meeting = (
        Meeting.objects.select_for_update().select_related("first", "second").get(pk=meeting.pk)
    )
    if not meeting.is_active:
        raise ValidationError(_("This meeting is no longer on the agenda."))
    # Out of its own way first, so that a move within its slot is no clash with itself (a
    # refusal below rolls this back with the rest).
    status = meeting.status
    AgendaEntry.objects.filter(meeting=meeting).delete()
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    meeting.status = status
    meeting.location = _check_placement(
        event=event, first=meeting.first, second=meeting.second, slot=slot, location=location
    )
    meeting.slot = slot
    return _save_placement(meeting)


# --- the scheduler ----------------------------------------------------------------------


@service
def scheduling_start(*, actor: AnyUser, event: Event) -> SchedulingRun:
    """Queue a run of the scheduler over the accepted requests; the page polls the run."""
    require(actor, Action.CHANGE, event)
    event = _locked(event)
    if event.is_self_booking:
        raise ValidationError(_("In this event the participants book their own meetings."))
    _refuse_when_final(event, _("The schedule is final: it cannot be computed again."))
    if event.runs.filter(
        status__in=[SchedulingRun.Status.QUEUED, SchedulingRun.Status.RUNNING]
    ).exists():
        raise ValidationError(_("The scheduler is already running for this event."))
    if not event.requests.filter(status=MeetingRequest.Status.ACCEPTED).exists():
        raise ValidationError(_("No request has been accepted yet: there is nothing to schedule."))
    run = SchedulingRun.objects.create(
        event=event, created_by=actor if actor.is_authenticated else None
    )
    run_id = run.pk
    after_commit(lambda: tasks.compute_schedule.enqueue(run_id))
    return run


def _remind_later(event: Event) -> None:
    """Queue the reminder task for each moment a reminder falls due (where the task backend
    can wait); ``sangsaeng manage event_reminders`` sends whatever is due in any case."""
    first, last = event_period(event)
    moments = [m for m in (first and first - datetime.timedelta(days=1), last) if m]
    follow_up = follow_up_opens(event)
    if follow_up is not None:
        moments.append(follow_up)
    for moment in moments:
        after_commit(functools.partial(tasks.enqueue_reminders_at, moment))


@service
def schedule_publish(*, actor: AnyUser, event: Event) -> Event:
    """Make the schedule final: provisional meetings become every participant's agenda."""
    require(actor, Action.CHANGE, event)
    event = _locked(event)
    _refuse_when_final(event, _("The schedule is already final."))
    if event.runs.filter(
        status__in=[SchedulingRun.Status.QUEUED, SchedulingRun.Status.RUNNING]
    ).exists():
        raise ValidationError(_("Wait for the scheduler to finish."))
    if not event.is_self_booking and event.schedule_status != Event.ScheduleStatus.PROVISIONAL:
        raise ValidationError(_("Run the scheduler and review its schedule first."))
    Meeting.objects.filter(event=event, status=Meeting.Status.PROVISIONAL).update(
        status=Meeting.Status.SCHEDULED, updated_at=timezone.now()
    )
    event.schedule_status = Event.ScheduleStatus.FINAL
    event.schedule_published_at = timezone.now()
    event.save(update_fields=["schedule_status", "schedule_published_at", "updated_at"])
    counts: dict[int, int] = {}
    for entry in AgendaEntry.objects.filter(meeting__event=event).values_list(
        "participant_id", flat=True
    ):
        counts[entry] = counts.get(entry, 0) + 1
    agenda = reverse("events:agenda", args=[event.slug])
    for participant in event.participants.filter(status="registered").select_related("user"):
        notify(
            recipients=[participant.user],
            kind=notifications.SCHEDULE,
            context={"event": event.title, "count": counts.get(participant.pk, 0)},
            link=agenda,
        )
    _remind_later(event)
    return event


# --- the day ----------------------------------------------------------------------------


@service
def participant_check_in(
    *, actor: AnyUser, participant: Participant, now: datetime.datetime | None = None
) -> Participant:
    """Check a participant in (the organiser scans the QR code on their agenda)."""
    require(actor, Action.CHANGE, participant.event)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if not participant.is_registered:
        raise ValidationError(_("This registration was withdrawn."))
    if participant.checked_in_at is None:
        participant.checked_in_at = now or timezone.now()
        participant.save(update_fields=["checked_in_at", "updated_at"])
    return participant


@service
def meeting_report_absent(*, actor: User, meeting: Meeting, absent: Participant) -> Meeting:
    """A participant did not come: the meeting is a no-show and both slots are free again.

    The organiser reports it, or the partner who came (not the absent one)."""
    require(actor, Action.CHANGE, meeting)
    event = _locked(meeting.event)
    meeting = (
        Meeting.objects.select_for_update().select_related("first", "second").get(pk=meeting.pk)
    )
    if not meeting.includes(absent):
        raise ValidationError(_("Only one of the meeting's two participants can be absent."))
    if not can(actor, Action.CHANGE, event) and absent.user_id == actor.pk:
        raise PermissionDenied("the partner who came reports the one who did not")
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be a no-show."))
    meeting.absent = absent
    _cancel_meeting(meeting, status=Meeting.Status.NO_SHOW)
    return meeting


@service
def meeting_rebook(*, actor: User, request: MeetingRequest, slot: Slot) -> Meeting:
    """On the day, a new meeting for two participants who agreed to meet, in a slot a no-show
    freed (the organiser, or either of the two, books it)."""
    event = _locked(request.event)
    if not can(actor, Action.CHANGE, event):
        require(actor, Action.CHANGE, request)
    request = MeetingRequest.objects.select_related("requester", "requested").get(pk=request.pk)
    if request.status != MeetingRequest.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted request can be booked."))
    if request.meetings.filter(status__in=Meeting.ACTIVE).exists():
        raise ValidationError(_("These two already have a meeting on their agendas."))
    if slot.ends_at <= timezone.now():
        raise ValidationError({"slot": _("This slot is over.")})
    meeting = _place_meeting(
        event=event,
        first=request.requester,
        second=request.requested,
        slot=slot,
        request=request,
        status=Meeting.Status.SCHEDULED,
        origin=Meeting.Origin.REBOOKED,
    )
    agenda = reverse("events:agenda", args=[event.slug])
    notify(
        recipients=[request.requester.user, request.requested.user],
        kind=notifications.SCHEDULE,
        context={"event": event.title, "rebooked": True},
        link=agenda,
    )
    return meeting


@service
def event_finish(
    *, actor: AnyUser | None, event: Event, now: datetime.datetime | None = None
) -> Event:
    """Close the day: scheduled meetings become held, or no-shows where someone did not check
    in (when check-in was used at all). Rating opens."""
    if actor is not None:
        require(actor, Action.CHANGE, event)
    event = _locked(event)
    now = now or timezone.now()
    if event.finished_at is not None:
        raise ValidationError(_("The event is already closed."))
    if not event_is_over(event, now):
        raise ValidationError(_("The event is not over yet."))
    return reminders.close_day(event, now)


# --- after the event --------------------------------------------------------------------


@service
def feedback_submit(
    *,
    actor: User,
    participant: Participant,
    ratings: Mapping[int, tuple[str, str]],
    now: datetime.datetime | None = None,
) -> list[MeetingFeedback]:
    """Rate held meetings: ``ratings`` maps a meeting id to (outcome, comment). The round is
    the first until six months after the event, the second from then on."""
    if not can(actor, Action.CREATE, MeetingFeedback, participant=participant):
        raise PermissionDenied("one rates the meetings of one's own registration")
    now = now or timezone.now()
    event = participant.event
    if not event_is_over(event, now):
        raise ValidationError(_("Meetings are rated after the event."))
    opens = follow_up_opens(event)
    round_number = 2 if opens is not None and now >= opens else 1
    meetings = {
        meeting.pk: meeting
        for meeting in Meeting.objects.filter(
            Q(first=participant) | Q(second=participant), status=Meeting.Status.HELD
        )
    }
    errors: dict[str, str] = {}
    for meeting_id, (outcome, comment) in ratings.items():
        key = f"outcome_{meeting_id}"
        if meeting_id not in meetings:
            errors[key] = _("You can rate only meetings you took part in.")
        elif outcome not in MeetingFeedback.Outcome.values:
            errors[key] = _("Choose what came of the meeting.")
        elif len(comment or "") > MAX_MESSAGE_LENGTH:
            errors[key] = _("The comment is longer than 2000 characters.")
    if not ratings:
        errors["ratings"] = _("Rate at least one meeting.")
    if errors:
        raise ValidationError(errors)
    saved = []
    for meeting_id, (outcome, comment) in ratings.items():
        feedback, _created = MeetingFeedback.objects.update_or_create(
            meeting_id=meeting_id,
            participant=participant,
            round=round_number,
            defaults={"outcome": outcome, "comment": (comment or "").strip()},
        )
        saved.append(feedback)
    return saved


def _party_of(viewer: User, participant: Participant) -> Party:
    """Whom a follow-up contact request goes to: the person's expert profile when it is one
    the viewer may see, else their organisation."""
    person = Person.objects.filter(user_id=participant.user_id).first()
    if person is not None and can(viewer, Action.VIEW, person):
        return Party.of(person)
    return Party.of(participant.organisation)


@service
def meeting_follow_up(*, actor: User, meeting: Meeting, message: str) -> Meeting:
    """Carry a held meeting on in the matching workflow: a confidential need of the actor's
    organisation and a contact request to the partner, who accepts it there; from an
    accepted match a joint project follows, as for any match."""
    require(actor, Action.VIEW, meeting)
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("event", "first", "first__organisation", "second", "second__organisation")
        .get(pk=meeting.pk)
    )
    me = meeting.first if meeting.first.user_id == actor.pk else meeting.second
    if me.user_id != actor.pk:
        raise PermissionDenied("a meeting is carried on by one of its participants")
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Only a meeting that took place can be carried on."))
    if meeting.follow_up_id is not None:
        raise ValidationError(_("This meeting is already carried on as a match."))
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Say what you would like to do together.")})
    partner = meeting.partner_of(me)
    event = meeting.event
    summary = _("Follow-up of a meeting at %(event)s") % {"event": event.title}
    need = need_create(
        actor=actor,
        organisation=me.organisation,
        kind=Need.Kind.PARTNER_SEARCH,
        title=_("%(event)s: follow-up with %(partner)s")
        % {"event": event.title, "partner": partner.organisation.name},
        description=message,
        summary=summary,
        visibility=Need.Visibility.CONFIDENTIAL,
        start_matching=False,
    )
    match = contact_request(
        actor=actor, need=need, party=_party_of(actor, partner), message=message
    )
    meeting.follow_up = match
    meeting.save(update_fields=["follow_up", "updated_at"])
    return meeting


# --- reminders --------------------------------------------------------------------------


@service
def reminders_send_due(
    *, actor: AnyUser | None = None, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Send every reminder that is due and was not sent yet (see :mod:`.reminders`)."""
    return reminders.send_due(now or timezone.now())
