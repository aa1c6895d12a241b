"""Changes to resources and bookings: list, book, approve, cancel, wait, request MPW area.

Every service keeps the platform's contract (keyword arguments, one transaction, the actor in
the audit log), checks the access policy, and refuses bad input with a ``ValidationError``
keyed by field, in the user's language, before anything is written.

**No double booking.** A booking is checked and written while the resource's row is locked
(``select_for_update``): on PostgreSQL concurrent bookings of one resource queue on that lock,
and an exclusion constraint refuses overlapping bookings of equipment even if some code path
forgot the lock; on SQLite every transaction is immediate (settings), so writers queue on the
database's write lock. Inside the lock the service counts what is held over the requested
time (bookings awaiting approval or confirmed, and waitlist offers not yet expired) and refuses
what does not fit the capacity.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser, Membership, User
from sangsaeng.core.policy import Action, can, require
from sangsaeng.core.services import after_commit, service
from sangsaeng.directory.models import Organisation
from sangsaeng.notifications.services import notify
from sangsaeng.resources import notifications, tasks
from sangsaeng.resources.capacity import (
    credits_for,
    credits_used,
    holds,
    month_bounds,
    opening_hours,
    opening_text,
)
from sangsaeng.resources.models import (
    AreaAllocation,
    Booking,
    BookingSeries,
    CalendarFeed,
    Resource,
    ShuttleRequest,
    WaitlistEntry,
)
from sangsaeng.resources.slots import SEOUL, peak

SLOT_TAKEN = "slot_taken"  # a refusal's code when the slot is taken: pages offer the waitlist
OVER_QUOTA = "over_quota"
OFFER_HOURS = 4  # how long a freed slot is held for the next in line
MAX_OCCURRENCES = 60
RESOURCE_FIELDS = (
    "kind",
    "category",
    "name_ko",
    "name_en",
    "description_ko",
    "description_en",
    "location_ko",
    "location_en",
    "capacity",
    "opens_at",
    "closes_at",
    "open_weekdays",
    "audience",
    "allowed_kinds",
    "needs_approval",
    "max_booking_hours",
    "lead_time_hours",
    "cancellation_hours",
    "credits_per_unit_hour",
    "monthly_quota",
    "tape_out_date",
    "request_deadline",
    "total_area_mm2",
    "min_block_mm2",
    "max_block_mm2",
    "price_per_mm2",
    "organisation_share",
    "is_active",
)
WEEKDAYS = "0123456"


def _now() -> datetime.datetime:
    return timezone.now()


# --- resources --------------------------------------------------------------------------


def _validate_resource(resource: Resource) -> None:
    errors: dict[str, str] = {}
    if not resource.name_ko.strip() and not resource.name_en.strip():
        errors["name_ko"] = _("Give the resource a name.")
    if resource.kind not in Resource.Kind.values:
        errors["kind"] = _("Choose what kind of resource this is.")
    if resource.kind == Resource.Kind.EQUIPMENT:
        resource.capacity = 1
    if (resource.capacity or 0) < 1:
        errors["capacity"] = _("The capacity must be at least 1.")
    if (resource.opens_at is None) != (resource.closes_at is None):
        errors["closes_at"] = _("Give both the opening and the closing time, or neither.")
    elif resource.opens_at is not None and resource.closes_at <= resource.opens_at:  # type: ignore[operator]
        errors["closes_at"] = _("It must close after it opens.")
    if not resource.open_weekdays or set(resource.open_weekdays) - set(WEEKDAYS):
        errors["open_weekdays"] = _("Choose at least one day of the week.")
    bad_kinds = set(resource.allowed_kinds or []) - set(Organisation.Kind.values)
    if bad_kinds:
        errors["allowed_kinds"] = _("Unknown kind of organisation: %(kinds)s.") % {
            "kinds": ", ".join(sorted(bad_kinds))
        }
    if (resource.max_booking_hours or 0) < 1:
        errors["max_booking_hours"] = _("The longest booking must be at least one hour.")
    if resource.kind == Resource.Kind.MPW_RUN:
        for name in ("tape_out_date", "request_deadline", "total_area_mm2", "min_block_mm2"):
            if getattr(resource, name) in (None, ""):
                errors[name] = _("An MPW run needs this.")
        if resource.max_block_mm2 is None:
            resource.max_block_mm2 = resource.total_area_mm2
        if (
            resource.min_block_mm2 is not None
            and resource.max_block_mm2 is not None
            and resource.min_block_mm2 > resource.max_block_mm2
        ):
            errors["max_block_mm2"] = _("The largest block must not be smaller than the smallest.")
        if resource.total_area_mm2 is not None and resource.total_area_mm2 <= 0:
            errors["total_area_mm2"] = _("The total area must be more than 0 mm².")
        share = resource.organisation_share
        if share is not None and not (0 < share <= 1):
            errors["organisation_share"] = _("The cap is a share between 0 and 1.")
        resource.category = Resource.Category.MPW
    if errors:
        raise ValidationError(errors)


@service
def resource_create(
    *, actor: AnyUser, provider: Organisation, slug: str, is_fictional: bool = False, **fields: Any
) -> Resource:
    """List a resource of ``provider`` (its admins may, operators for any)."""
    require(actor, Action.CREATE, Resource, organisation=provider)
    unexpected = set(fields) - set(RESOURCE_FIELDS)
    if unexpected:
        raise TypeError(f"resource_create got unexpected fields: {', '.join(sorted(unexpected))}")
    resource = Resource(provider=provider, slug=slug, is_fictional=is_fictional, **fields)
    _validate_resource(resource)
    if Resource.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("This short name is taken.")})
    resource.full_clean()
    resource.save()
    return resource


@service
def resource_update(*, actor: AnyUser, resource: Resource, **fields: Any) -> Resource:
    require(actor, Action.CHANGE, resource)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    for name, value in fields.items():
        if name not in RESOURCE_FIELDS:
            raise TypeError(f"resource_update got an unexpected field {name}")
        setattr(resource, name, value)
    _validate_resource(resource)
    resource.full_clean()
    resource.save()
    return resource


def _check_times(
    resource: Resource,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    units: int | None,
    at: datetime.datetime,
    *,
    privileged: bool = False,
) -> dict[str, str]:
    """What is wrong with a booking's times and units before looking at other bookings."""
    errors: dict[str, str] = {}
    if start is None:
        errors["start"] = _("Enter when the booking starts.")
    if end is None:
        errors["end"] = _("Enter when the booking ends.")
    if units is None or units < 1:
        errors["units"] = _("Book at least one %(unit)s.") % {"unit": resource.unit_label}
    elif units > resource.capacity:
        errors["units"] = _(
            "%(resource)s has only %(capacity)s %(unit)s: you asked for %(units)s."
        ) % {
            "resource": resource.name,
            "capacity": resource.capacity,
            "unit": resource.unit_label,
            "units": units,
        }
    if start is None or end is None:
        return errors
    if end <= start:
        errors["end"] = _("The end must be after the start.")
        return errors
    if start < at:
        errors["start"] = _("This time has already passed: choose a time in the future.")
    elif not privileged and start < at + datetime.timedelta(hours=resource.lead_time_hours):
        errors["start"] = _("%(resource)s must be booked at least %(hours)s hours ahead.") % {
            "resource": resource.name,
            "hours": resource.lead_time_hours,
        }
    if end - start > datetime.timedelta(hours=resource.max_booking_hours):
        errors["end"] = _("The longest booking of %(resource)s is %(hours)s hours.") % {
            "resource": resource.name,
            "hours": resource.max_booking_hours,
        }
    elif not opening_hours(resource).allows(start, end):
        errors["start"] = _("%(resource)s is open %(hours)s: book within one day's opening.") % {
            "resource": resource.name,
            "hours": opening_text(resource),
        }
    return errors


def _local(moment: datetime.datetime) -> str:
    return f"{moment.astimezone(SEOUL):%Y-%m-%d %H:%M}"


def _capacity_error(
    resource: Resource, used: int, units: int, start: datetime.datetime
) -> str | None:
    if used + units <= resource.capacity:
        return None
    if resource.is_unit or used >= resource.capacity:
        return _("%(resource)s is already booked at %(when)s.") % {
            "resource": resource.name,
            "when": _local(start),
        }
    return _(
        "Only %(free)s of %(capacity)s %(unit)s of %(resource)s are free then "
        "(%(when)s): you asked for %(units)s."
    ) % {
        "free": resource.capacity - used,
        "capacity": resource.capacity,
        "unit": resource.unit_label,
        "resource": resource.name,
        "when": _local(start),
        "units": units,
    }


def _quota_error(resource: Resource, organisation: Organisation, used: Decimal, cost: Decimal):
    if resource.monthly_quota is None or used + cost <= resource.monthly_quota:
        return None
    return _(
        "Over the monthly quota: %(organisation)s has used %(used)s of %(quota)s credits of "
        "%(resource)s this month, and this booking needs %(cost)s."
    ) % {
        "organisation": organisation.name,
        "used": used,
        "quota": resource.monthly_quota,
        "resource": resource.name,
        "cost": cost,
    }


def _lock(resource: Resource) -> Resource:
    """The resource's row, locked until the transaction ends: bookings of it queue here."""
    return Resource.objects.select_for_update().get(pk=resource.pk)


def _occurrences(
    start: datetime.datetime, end: datetime.datetime, rule: str
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The bookings an RFC 5545 rule repeats, in Seoul local time (the rule's wall clock)."""
    rule = rule.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    local_start = start.astimezone(SEOUL).replace(tzinfo=None)
    try:
        recurrence = rrulestr(rule, dtstart=local_start)
    except (ValueError, TypeError):
        raise ValidationError(
            {"rule": _("This is not a valid repeat rule, for example FREQ=WEEKLY;COUNT=10.")}
        ) from None
    if "COUNT=" not in rule.upper() and "UNTIL=" not in rule.upper():
        raise ValidationError({"rule": _("Say how often it repeats: add COUNT= or UNTIL=.")})
    moments = []
    for moment in recurrence:
        moments.append(moment)
        if len(moments) > MAX_OCCURRENCES:
            raise ValidationError(
                {
                    "rule": _("A repeat rule makes at most %(count)s bookings.")
                    % {"count": MAX_OCCURRENCES}
                }
            )
    duration = end - start
    return [(aware := moment.replace(tzinfo=SEOUL), aware + duration) for moment in moments]


@service
def booking_create(
    *,
    actor: User,
    resource: Resource,
    organisation: Organisation,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    units: int | None = 1,
    purpose: str = "",
    rule: str = "",
) -> list[Booking]:
    """Book ``units`` of ``resource`` for ``organisation``; a ``rule`` repeats the booking.

    Returns the bookings made (one, or one per occurrence of the rule: all or none). They are
    confirmed at once, or await the provider's approval where the resource asks for it.
    """
    require(actor, Action.CREATE, Booking, resource=resource, organisation=organisation)
    if resource.is_mpw:
        raise ValidationError(_("Request area on an MPW run instead of booking it."))
    if resource.is_unit:
        units = 1
    at = _now()
    privileged = can(actor, Action.APPROVE, resource)
    errors = _check_times(resource, start, end, units, at, privileged=privileged)
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None and units is not None
    periods = _occurrences(start, end, rule) if rule.strip() else [(start, end)]
    resource = _lock(resource)
    series = None
    if len(periods) > 1 or rule.strip():
        series = BookingSeries.objects.create(
            resource=resource, organisation=organisation, booked_by=actor, rule=rule.strip()
        )
    problems: list[ValidationError] = []
    quota_used: dict[datetime.datetime, Decimal] = {}
    made = []
    for period_start, period_end in periods:
        if len(periods) > 1:
            occurrence_errors = _check_times(
                resource, period_start, period_end, units, at, privileged=privileged
            )
            if occurrence_errors:
                problems.extend(
                    ValidationError(f"{_local(period_start)}: {message}", code="times")
                    for message in occurrence_errors.values()
                )
                continue
        used = peak(holds(resource, period_start, period_end, at=at), period_start, period_end)
        taken = _capacity_error(resource, used, units, period_start)
        cost = credits_for(resource, units, period_start, period_end)
        month = month_bounds(period_start)[0]
        if month not in quota_used:
            quota_used[month] = credits_used(resource, organisation, period_start)
        over = _quota_error(resource, organisation, quota_used[month], cost)
        if taken:
            # The code tells the page to offer the waitlist for this slot.
            problems.append(ValidationError(taken, code=SLOT_TAKEN))
            continue
        if over:
            problems.append(ValidationError(over, code=OVER_QUOTA))
            continue
        quota_used[month] += cost
        made.append(
            _write_booking(
                resource=resource,
                organisation=organisation,
                actor=actor,
                start=period_start,
                end=period_end,
                units=units,
                purpose=purpose.strip()[:300],
                credits=cost,
                series=series,
            )
        )
    if problems:
        field = "units" if problems[0].code == OVER_QUOTA else "start"
        raise ValidationError({"rule" if len(periods) > 1 else field: problems})
    if resource.needs_approval:
        _tell_provider(resource, made[0])
    return made


def _write_booking(*, resource: Resource, actor: User, **fields: Any) -> Booking:
    booking = Booking(
        resource=resource,
        booked_by=actor,
        exclusive=resource.is_unit,
        state=Booking.State.REQUESTED if resource.needs_approval else Booking.State.CONFIRMED,
        **fields,
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        # PostgreSQL's exclusion constraint: another booking of the equipment overlaps.
        taken = _capacity_error(resource, 1, 1, booking.start) or ""
        raise ValidationError({"start": [ValidationError(taken, code=SLOT_TAKEN)]}) from None
    return booking


def _provider_admins(resource: Resource) -> list[User]:
    return [
        membership.user
        for membership in Membership.objects.filter(
            organisation=resource.provider, role=Membership.Role.ADMIN
        ).select_related("user")
    ]


def _tell_provider(resource: Resource, booking: Booking) -> None:
    notify(
        recipients=_provider_admins(resource),
        kind=notifications.BOOKING_REQUESTED,
        context=notifications.facts(resource, booking.start, booking.end),
        link=booking.get_absolute_url(),
    )


def _tell_booker(booking: Booking, kind: str, **more: Any) -> None:
    if booking.booked_by is None:
        return
    notify(
        recipients=[booking.booked_by],
        kind=kind,
        context=notifications.facts(booking.resource, booking.start, booking.end, **more),
        link=booking.get_absolute_url(),
    )


@service
def booking_decide(*, actor: User, booking: Booking, approve: bool, note: str = "") -> Booking:
    """The provider approves a booking awaiting approval, or turns it down (freeing the slot)."""
    require(actor, Action.APPROVE, booking)
    _lock(booking.resource)
    booking = Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)
    if booking.state != Booking.State.REQUESTED:
        raise ValidationError(_("This booking is not awaiting approval."))
    booking.state = Booking.State.CONFIRMED if approve else Booking.State.REJECTED
    booking.decided_by = actor
    booking.decision_note = note.strip()[:300]
    booking.save(update_fields=["state", "decided_by", "decision_note", "updated_at"])
    _tell_booker(booking, notifications.BOOKING_DECIDED, approved=approve)
    if not approve:
        _offer_freed(booking.resource, booking.start, booking.end, at=_now())
    return booking


@service
def booking_cancel(*, actor: User, booking: Booking) -> Booking:
    """Cancel a booking (the booker, their organisation's admins, the provider); the freed
    slot is offered to whoever waits for it."""
    require(actor, Action.CHANGE, booking)
    _lock(booking.resource)
    booking = Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)
    if not booking.is_holding:
        raise ValidationError(_("This booking is already cancelled or was not approved."))
    at = _now()
    resource = booking.resource
    if booking.end <= at:
        raise ValidationError(_("This booking is over: it can no longer be cancelled."))
    provider_side = can(actor, Action.APPROVE, resource)
    notice = datetime.timedelta(hours=resource.cancellation_hours)
    if not provider_side and booking.start - at < notice:
        raise ValidationError(
            _(
                "Bookings of %(resource)s can be cancelled until %(hours)s hours before they "
                "start; ask the provider."
            )
            % {"resource": resource.name, "hours": resource.cancellation_hours}
        )
    booking.state = Booking.State.CANCELLED
    booking.cancelled_at = at
    booking.save(update_fields=["state", "cancelled_at", "updated_at"])
    if (
        provider_side
        and booking.booked_by_id != actor.pk
        and booking.organisation_id not in {m.organisation_id for m in actor.memberships.all()}
    ):
        _tell_booker(booking, notifications.BOOKING_CANCELLED)
    _offer_freed(resource, max(booking.start, at), booking.end, at=at)
    return booking


# --- the waitlist -----------------------------------------------------------------------


def _offer_freed(
    resource: Resource, start: datetime.datetime, end: datetime.datetime, *, at: datetime.datetime
) -> list[WaitlistEntry]:
    """Offer freed time to those waiting for it, first come first served, while it fits.

    Called inside a service that holds the resource's lock. Each offer holds the slot for
    ``OFFER_HOURS`` (or until the slot starts, if sooner).
    """
    offered = []
    waiting = WaitlistEntry.objects.filter(
        resource=resource,
        state=WaitlistEntry.State.WAITING,
        start__lt=end,
        end__gt=start,
        start__gt=at,
    ).select_related("user", "resource")
    for entry in waiting.select_for_update():
        used = peak(holds(resource, entry.start, entry.end, at=at), entry.start, entry.end)
        if used + entry.units > resource.capacity:
            continue
        entry.state = WaitlistEntry.State.OFFERED
        entry.offered_at = at
        entry.offer_expires_at = min(at + datetime.timedelta(hours=OFFER_HOURS), entry.start)
        entry.save(update_fields=["state", "offered_at", "offer_expires_at"])
        notify(
            recipients=[entry.user],
            kind=notifications.WAITLIST_OFFER,
            context=notifications.facts(
                resource, entry.start, entry.end, expires=entry.offer_expires_at.isoformat()
            ),
            link=_waitlist_link(),
        )
        offered.append(entry)
    return offered


def _waitlist_link() -> str:
    from django.urls import reverse

    return reverse("resources:my_bookings")


@service
def waitlist_join(
    *,
    actor: User,
    resource: Resource,
    organisation: Organisation,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    units: int | None = 1,
    purpose: str = "",
) -> WaitlistEntry:
    """Wait for a slot that is full; it is offered when enough of it frees."""
    require(actor, Action.CREATE, WaitlistEntry, resource=resource, organisation=organisation)
    if resource.is_mpw:
        raise ValidationError(_("Request area on an MPW run instead of booking it."))
    if resource.is_unit:
        units = 1
    at = _now()
    errors = _check_times(resource, start, end, units, at)
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None and units is not None
    resource = _lock(resource)
    used = peak(holds(resource, start, end, at=at), start, end)
    if used + units <= resource.capacity:
        raise ValidationError(_("This slot is free: book it instead of waiting."))
    if WaitlistEntry.objects.filter(
        resource=resource,
        user=actor,
        start=start,
        end=end,
        state__in=[WaitlistEntry.State.WAITING, WaitlistEntry.State.OFFERED],
    ).exists():
        raise ValidationError(_("You are already on the waitlist for this slot."))
    return WaitlistEntry.objects.create(
        resource=resource,
        organisation=organisation,
        user=actor,
        start=start,
        end=end,
        units=units,
        purpose=purpose.strip()[:300],
    )


@service
def waitlist_accept(*, actor: User, entry: WaitlistEntry) -> Booking:
    """Take up an offer: the slot held for the entry becomes a booking."""
    require(actor, Action.CHANGE, entry)
    resource = _lock(entry.resource)
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    at = _now()
    if entry.state != WaitlistEntry.State.OFFERED or entry.offer_expires_at <= at:  # type: ignore[operator]
        raise ValidationError(_("This offer has expired or was already taken up."))
    require(actor, Action.CREATE, Booking, resource=resource, organisation=entry.organisation)
    used = peak(
        holds(resource, entry.start, entry.end, at=at, except_entry=entry), entry.start, entry.end
    )
    problem = _capacity_error(resource, used, entry.units, entry.start)
    cost = credits_for(resource, entry.units, entry.start, entry.end)
    problem = problem or _quota_error(
        resource, entry.organisation, credits_used(resource, entry.organisation, entry.start), cost
    )
    if problem:
        raise ValidationError(problem)
    booking = _write_booking(
        resource=resource,
        organisation=entry.organisation,
        actor=actor,
        start=entry.start,
        end=entry.end,
        units=entry.units,
        purpose=entry.purpose,
        credits=cost,
        series=None,
    )
    entry.state = WaitlistEntry.State.ACCEPTED
    entry.booking = booking
    entry.save(update_fields=["state", "booking"])
    if resource.needs_approval:
        _tell_provider(resource, booking)
    return booking


@service
def waitlist_withdraw(*, actor: User, entry: WaitlistEntry) -> WaitlistEntry:
    """Leave the waitlist (or decline an offer, which passes it to the next in line)."""
    require(actor, Action.CHANGE, entry)
    resource = _lock(entry.resource)
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.state not in (WaitlistEntry.State.WAITING, WaitlistEntry.State.OFFERED):
        raise ValidationError(_("This waitlist entry is no longer open."))
    was_offered = entry.state == WaitlistEntry.State.OFFERED
    entry.state = WaitlistEntry.State.WITHDRAWN
    entry.save(update_fields=["state"])
    if was_offered:
        _offer_freed(resource, entry.start, entry.end, at=_now())
    return entry


@service
def waitlist_expire_offers(*, actor: AnyUser | None = None) -> int:
    """Close offers nobody took up in time and offer their slots to the next in line."""
    at = _now()
    expired = list(
        WaitlistEntry.objects.filter(
            state=WaitlistEntry.State.OFFERED, offer_expires_at__lte=at
        ).select_related("resource")
    )
    for entry in expired:
        _lock(entry.resource)
        changed = WaitlistEntry.objects.filter(
            pk=entry.pk, state=WaitlistEntry.State.OFFERED
        ).update(state=WaitlistEntry.State.EXPIRED)
        if changed:
            _offer_freed(entry.resource, entry.start, entry.end, at=at)
    return len(expired)


# --- reminders --------------------------------------------------------------------------


@service
def booking_send_reminders(*, actor: AnyUser | None = None, within_hours: int = 24) -> int:
    """Remind bookers of confirmed bookings that start within ``within_hours`` (once each)."""
    at = _now()
    due = (
        Booking.objects.select_for_update(of=("self",))
        .filter(
            state=Booking.State.CONFIRMED,
            reminded_at__isnull=True,
            start__gt=at,
            start__lte=at + datetime.timedelta(hours=within_hours),
        )
        .select_related("resource", "booked_by")
    )
    count = 0
    for booking in due:
        _tell_booker(booking, notifications.BOOKING_REMINDER)
        booking.reminded_at = at
        booking.save(update_fields=["reminded_at"])
        count += 1
    return count


# --- calendar feeds ---------------------------------------------------------------------


@service
def calendar_feed_get_or_create(
    *, actor: User, resource: Resource | None = None, reset: bool = False
) -> CalendarFeed:
    """The secret feed address of ``actor``'s bookings (or of one resource); ``reset`` makes
    a new address and retires the old one."""
    require(actor, Action.CREATE, CalendarFeed)
    if resource is not None:
        require(actor, Action.VIEW, resource)
    feed = CalendarFeed.objects.filter(user=actor, resource=resource).first()
    if feed is not None and reset:
        feed.delete()
        feed = None
    if feed is None:
        feed = CalendarFeed.objects.create(user=actor, resource=resource)
    return feed


# --- MPW shuttle runs -------------------------------------------------------------------


def _area(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value)).quantize(Decimal("0.001"))


@service
def shuttle_request_create(
    *,
    actor: User,
    run: Resource,
    organisation: Organisation,
    design: str,
    area_mm2: Any,
    min_block_mm2: Any = None,
    is_fictional: bool = False,
) -> ShuttleRequest:
    """Ask for area on an MPW run for one design, before the run's deadline."""
    require(actor, Action.CREATE, ShuttleRequest, run=run, organisation=organisation)
    if not run.is_mpw:
        raise ValidationError(_("This resource is not an MPW shuttle run."))
    errors: dict[str, str] = {}
    design = (design or "").strip()
    area, minimum = _area(area_mm2), _area(min_block_mm2)
    if not design:
        errors["design"] = _("Name the design.")
    assert run.min_block_mm2 is not None and run.max_block_mm2 is not None
    if area is None or area <= 0:
        errors["area_mm2"] = _("Enter the area you need in mm².")
    elif area < run.min_block_mm2:
        errors["area_mm2"] = _(
            "The smallest block of %(run)s is %(minimum)s mm²: ask for at least that much."
        ) % {"run": run.name, "minimum": run.min_block_mm2}
    if minimum is not None and area is not None and "area_mm2" not in errors:
        if minimum < run.min_block_mm2:
            errors["min_block_mm2"] = _(
                "The smallest block of %(run)s is %(minimum)s mm²: a design cannot get less."
            ) % {"run": run.name, "minimum": run.min_block_mm2}
        elif minimum > area:
            errors["min_block_mm2"] = _(
                "The smallest usable area cannot exceed the area asked for."
            )
    least = minimum if minimum is not None else area
    if least is not None and least > run.max_block_mm2 and "area_mm2" not in errors:
        errors["min_block_mm2" if minimum is not None else "area_mm2"] = _(
            "The largest block of %(run)s is %(maximum)s mm²: the design must fit in it."
        ) % {"run": run.name, "maximum": run.max_block_mm2}
    if run.request_deadline is not None and _now() > run.request_deadline:
        errors["__all__"] = _("The deadline for requests to %(run)s has passed.") % {
            "run": run.name
        }
    if (
        not errors
        and ShuttleRequest.objects.filter(
            run=run, organisation=organisation, design=design, state=ShuttleRequest.State.SUBMITTED
        ).exists()
    ):
        errors["design"] = _("Your organisation already asked for area for this design.")
    if errors or area is None:
        raise ValidationError(errors)
    return ShuttleRequest.objects.create(
        run=run,
        organisation=organisation,
        requested_by=actor,
        design=design,
        area_mm2=area,
        min_block_mm2=minimum,
        is_fictional=is_fictional,
    )


@service
def shuttle_request_withdraw(*, actor: User, request: ShuttleRequest) -> ShuttleRequest:
    require(actor, Action.CHANGE, request)
    if request.state != ShuttleRequest.State.SUBMITTED:
        raise ValidationError(_("Only a request not yet allocated can be withdrawn."))
    request.state = ShuttleRequest.State.WITHDRAWN
    request.save(update_fields=["state", "updated_at"])
    return request


@service
def shuttle_request_set_priority(
    *, actor: User, request: ShuttleRequest, priority: Any
) -> ShuttleRequest:
    """The run's provider weighs a request (2: each mm² of it counts twice)."""
    require(actor, Action.APPROVE, request)
    try:
        weight = Decimal(str(priority)).quantize(Decimal("0.01"))
    except ArithmeticError:
        weight = Decimal(0)
    if not (Decimal("0.01") <= weight <= Decimal(100)):
        raise ValidationError({"priority": _("The priority is a number from 0.01 to 100.")})
    request.priority = weight
    request.save(update_fields=["priority", "updated_at"])
    return request


@service
def allocation_start(*, actor: AnyUser, run: Resource) -> AreaAllocation:
    """Compute a proposal for the run's area in the background; the page polls it."""
    require(actor, Action.APPROVE, run)
    if not run.is_mpw:
        raise ValidationError(_("This resource is not an MPW shuttle run."))
    if not ShuttleRequest.objects.filter(run=run, state=ShuttleRequest.State.SUBMITTED).exists():
        raise ValidationError(_("There are no requests to allocate."))
    allocation = AreaAllocation.objects.create(
        run=run, started_by=actor if actor.is_authenticated else None
    )
    allocation_id = allocation.pk
    after_commit(lambda: tasks.compute_allocation.enqueue(allocation_id))
    return allocation


@service
def allocation_confirm(*, actor: User, allocation: AreaAllocation) -> AreaAllocation:
    """Make a proposal the run's allocation: each request gets its area and its reason."""
    require(actor, Action.APPROVE, allocation)
    allocation = (
        AreaAllocation.objects.select_for_update().select_related("run").get(pk=allocation.pk)
    )
    if allocation.status != AreaAllocation.Status.PROPOSED:
        raise ValidationError(_("Only a finished proposal can be confirmed."))
    requests = {
        str(request.pk): request
        for request in ShuttleRequest.objects.select_for_update().filter(
            run=allocation.run, state=ShuttleRequest.State.SUBMITTED
        )
    }
    proposed = allocation.grants
    changed = set(requests) != set(proposed) or any(
        str(request.area_mm2) != proposed[key]["requested"]
        or str(request.priority) != proposed[key]["priority"]
        or str(request.min_block_mm2 or "") != proposed[key]["minimum"]
        for key, request in requests.items()
    )
    if changed:
        raise ValidationError(
            _("The requests changed after this proposal was computed: compute it again.")
        )
    recipients: dict[int, list[tuple[ShuttleRequest, str]]] = defaultdict(list)
    for key, request in requests.items():
        grant = proposed[key]
        request.granted_mm2 = Decimal(grant["granted"])
        request.grant_reason = grant["reason"]
        request.state = ShuttleRequest.State.ALLOCATED
        request.save(update_fields=["granted_mm2", "grant_reason", "state", "updated_at"])
        if request.requested_by_id:
            recipients[request.requested_by_id].append((request, grant["granted"]))
    allocation.status = AreaAllocation.Status.CONFIRMED
    allocation.confirmed_at = _now()
    allocation.confirmed_by = actor
    allocation.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    run = allocation.run
    for items in recipients.values():
        for request, granted in items:
            notify(
                recipients=[request.requested_by],  # type: ignore[list-item]
                kind=notifications.SHUTTLE_ALLOCATED,
                context=notifications.facts(
                    run,
                    allocation.confirmed_at,
                    allocation.confirmed_at,
                    design=request.design,
                    granted=granted,
                ),
                link=run.get_absolute_url(),
            )
    return allocation
