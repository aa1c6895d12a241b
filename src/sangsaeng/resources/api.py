"""The JSON API of shared infrastructure (under /api/resources/), with the pages' rules.

Resources, their busy times (another organisation's bookings as busy only), free options
across resources, and the caller's bookings: book, cancel, list. Times are ISO 8601 with an
offset (UTC in answers). A refused booking is a 400 with the reason per field.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from sangsaeng.accounts.api_auth import required_auth
from sangsaeng.accounts.models import User
from sangsaeng.core.api import READ_ERRORS, WRITE_ERRORS, StrictInput, caller
from sangsaeng.resources import selectors, services
from sangsaeng.resources.models import Booking, Resource
from sangsaeng.resources.phrases import parse_phrase
from sangsaeng.resources.slots import SEOUL

router = Router(tags=["resources"])
LONGEST_WINDOW = datetime.timedelta(days=92)


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A time without an offset is read as Seoul time."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, SEOUL)


def _window(start: datetime.datetime, end: datetime.datetime) -> None:
    if end <= start or end - start > LONGEST_WINDOW:
        raise HttpError(400, _("Ask for at most 92 days, with the end after the start."))


class ResourceOut(Schema):
    slug: str
    kind: str
    category: str
    name: str
    name_ko: str
    name_en: str
    description: str
    location: str
    provider: str = Field(description="the provider organisation's short name")
    capacity: int
    opens_at: datetime.time | None
    closes_at: datetime.time | None
    open_weekdays: str = Field(description="0 is Monday … 6 Sunday")
    audience: str
    allowed_kinds: list[str]
    needs_approval: bool
    max_booking_hours: int
    lead_time_hours: int
    cancellation_hours: int
    credits_per_unit_hour: float
    monthly_quota: float | None
    is_active: bool

    @staticmethod
    def resolve_provider(resource: Resource) -> str:
        return resource.provider.slug


class SlotOut(Schema):
    start: datetime.datetime
    end: datetime.datetime
    units: int
    booking: int | None = Field(description="set for bookings you may read in detail")

    @staticmethod
    def resolve_booking(slot: selectors.Slot) -> int | None:
        return slot.booking.pk if slot.booking is not None else None


class OptionOut(Schema):
    resource: str
    resource_name: str
    start: datetime.datetime
    end: datetime.datetime
    free_after: int

    @staticmethod
    def resolve_resource(option: selectors.Option) -> str:
        return option.resource.slug

    @staticmethod
    def resolve_resource_name(option: selectors.Option) -> str:
        return option.resource.name


class AvailabilityIn(Schema):
    q: str = Field("", description="a phrase, e.g. '4 GPUs for 8 hours next week'")
    units: int | None = Field(None, ge=1, le=10_000)
    hours: float | None = Field(None, gt=0, le=24 * 31)
    start: datetime.datetime | None = Field(None, description="window start (default: now)")
    end: datetime.datetime | None = Field(None, description="window end (default: a week on)")
    category: str = ""
    kind: str = ""


class AvailabilityOut(Schema):
    units: int
    hours: float
    start: datetime.datetime
    end: datetime.datetime
    understood: list[str]
    options: list[OptionOut]


class BookingOut(Schema):
    id: int
    resource: str
    organisation: str
    start: datetime.datetime
    end: datetime.datetime
    units: int
    state: str
    purpose: str
    credits: float

    @staticmethod
    def resolve_resource(booking: Booking) -> str:
        return booking.resource.slug

    @staticmethod
    def resolve_organisation(booking: Booking) -> str:
        return booking.organisation.slug


class BookingIn(StrictInput):
    resource: str
    organisation: str = Field(description="short name of your organisation to book for")
    start: datetime.datetime
    end: datetime.datetime
    units: int = Field(1, ge=1, le=10_000)
    purpose: str = Field("", max_length=300)
    rule: str = Field(
        "", max_length=300, description="an RFC 5545 repeat rule, e.g. FREQ=WEEKLY;COUNT=6"
    )


@router.get("/", response={200: list[ResourceOut], **READ_ERRORS}, summary="Resources")
def list_resources(request: HttpRequest, kind: str = "", category: str = "") -> list[Resource]:
    """Resources you may see (everyone sees those open for bookings)."""
    return list(selectors.resource_list(caller(request), kind=kind, category=category)[:500])


@router.get("/availability", response={200: AvailabilityOut, **READ_ERRORS})
def availability(request: HttpRequest, filters: Query[AvailabilityIn]) -> dict:
    """Free options across resources: a phrase, fields, or both (fields win)."""
    at = timezone.now()
    phrase = parse_phrase(filters.q, now=at)
    query = selectors.AvailabilityQuery(
        units=filters.units or phrase.units or 1,
        hours=filters.hours or phrase.hours or 2,
        window_start=_aware(filters.start) or phrase.window_start or at,
        window_end=_aware(filters.end) or phrase.window_end or at + datetime.timedelta(days=7),
        category=filters.category or phrase.category,
        kind=filters.kind,
    )
    _window(query.window_start, query.window_end)
    found = selectors.find_options(caller(request), query)
    return {
        "units": query.units,
        "hours": query.hours,
        "start": query.window_start,
        "end": query.window_end,
        "understood": phrase.understood,
        "options": found.options,
    }


@router.get("/bookings", response={200: list[BookingOut], **READ_ERRORS}, auth=required_auth)
def my_bookings(request: HttpRequest, past: bool = False) -> list[Booking]:
    """Your organisations' bookings, upcoming (or past)."""
    return list(selectors.my_bookings(caller(request), past=past)[:500])


@router.post("/bookings", response={201: list[BookingOut], **WRITE_ERRORS}, auth=required_auth)
def create_booking(request: HttpRequest, data: BookingIn) -> tuple[int, list[Booking]]:
    """Book (all occurrences of a repeat rule, or none); 400 says why not."""
    user: User = caller(request)  # type: ignore[assignment]
    resource = selectors.resource_get(user=user, slug=data.resource)
    organisation = next(
        (o for o in selectors.booking_organisations(user) if o.slug == data.organisation), None
    )
    if organisation is None:
        raise HttpError(404, _("No such organisation of yours."))
    made = services.booking_create(
        actor=user,
        resource=resource,
        organisation=organisation,
        start=_aware(data.start),
        end=_aware(data.end),
        units=data.units,
        purpose=data.purpose,
        rule=data.rule,
    )
    return 201, made


@router.get("/bookings/{booking_id}", response={200: BookingOut, **READ_ERRORS})
def get_booking(request: HttpRequest, booking_id: int) -> Booking:
    return selectors.booking_get(user=caller(request), pk=booking_id)


@router.post(
    "/bookings/{booking_id}/cancel", response={200: BookingOut, **WRITE_ERRORS}, auth=required_auth
)
def cancel_booking(request: HttpRequest, booking_id: int) -> Booking:
    booking = selectors.booking_get(user=caller(request), pk=booking_id)
    return services.booking_cancel(actor=caller(request), booking=booking)


@router.get("/{slug}", response={200: ResourceOut, **READ_ERRORS})
def get_resource(request: HttpRequest, slug: str) -> Resource:
    return selectors.resource_get(user=caller(request), slug=slug)


@router.get("/{slug}/busy", response={200: list[SlotOut], **READ_ERRORS})
def busy(
    request: HttpRequest,
    slug: str,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
) -> list[selectors.Slot]:
    """The resource's busy times (others' bookings carry no detail), a week by default."""
    resource = selectors.resource_get(user=caller(request), slug=slug)
    start = _aware(start) or timezone.now()
    end = _aware(end) or start + datetime.timedelta(days=7)
    _window(start, end)
    return selectors.busy_slots(caller(request), resource, start, end)
