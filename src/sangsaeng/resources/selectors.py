"""Read-only questions about resources and bookings, always through the access policy.

Fetchers (``resource_get``, ``booking_get``, ``entry_get``, ``shuttle_request_get``,
``allocation_get``) raise :class:`~sangsaeng.core.selectors.NotFound` for missing and for not
allowed alike. Another organisation's bookings reach a viewer only as :class:`Slot` values
(busy, how many units, when): never its name, its people or its purpose.

The usage figures (:func:`utilisation_by_month`, :func:`usage_by_organisation`,
:func:`quota_status`) are computed here so that pages, the XLSX export and, later, the
cluster's insights read the same numbers.
"""

from __future__ import annotations

import datetime
import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Func, Q, QuerySet
from django.utils import timezone

from sangsaeng.accounts.models import AnyUser
from sangsaeng.core.policy import Action, can, principal_of, restrict
from sangsaeng.core.selectors import NotFound
from sangsaeng.directory.models import Organisation
from sangsaeng.resources.capacity import credits_used, month_bounds, opening_hours
from sangsaeng.resources.models import (
    AreaAllocation,
    Booking,
    CalendarFeed,
    Resource,
    ShuttleRequest,
    WaitlistEntry,
)
from sangsaeng.resources.rules import eligible
from sangsaeng.resources.slots import SEOUL, OpeningHours, free_slots_seconds

# --- resources --------------------------------------------------------------------------


def resources_visible_to(user: AnyUser) -> QuerySet[Resource]:
    return restrict(Resource.objects.all(), user, Action.VIEW).select_related("provider")


def resource_list(user: AnyUser, *, kind: str = "", category: str = "") -> QuerySet[Resource]:
    resources = resources_visible_to(user)
    if kind:
        resources = resources.filter(kind=kind)
    if category:
        resources = resources.filter(category=category)
    return resources.order_by("kind", "name_ko")


def resource_get(*, user: AnyUser, slug: str) -> Resource:
    resource = resources_visible_to(user).filter(slug=slug).first()
    if resource is None:
        raise NotFound("No such resource.")
    return resource


def managed_resources(user: AnyUser) -> QuerySet[Resource]:
    """The resources ``user`` runs (provider admin) or, for operators, all."""
    return restrict(Resource.objects.all(), user, Action.APPROVE).select_related("provider")


def provider_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations ``user`` may list resources for."""
    who = principal_of(user)
    organisations = Organisation.objects.filter(status=Organisation.Status.APPROVED)
    if who.is_operator:
        return organisations
    return organisations.filter(pk__in=who.admin_of)


def booking_organisations(user: AnyUser, resource: Resource | None = None) -> list[Organisation]:
    """The organisations ``user`` may book ``resource`` for (their own, eligible ones)."""
    who = principal_of(user)
    if not who.is_authenticated:
        return []
    organisations = Organisation.objects.filter(pk__in=who.member_of).order_by("name_ko")
    if resource is None:
        return list(organisations)
    return [organisation for organisation in organisations if eligible(resource, organisation)]


# --- bookings ---------------------------------------------------------------------------


def bookings_visible_to(user: AnyUser) -> QuerySet[Booking]:
    """Bookings ``user`` may read in detail (their organisations', their resources')."""
    return restrict(Booking.objects.all(), user, Action.VIEW).select_related(
        "resource", "organisation", "booked_by"
    )


def booking_get(*, user: AnyUser, pk: int) -> Booking:
    booking = bookings_visible_to(user).filter(pk=pk).first()
    if booking is None:
        raise NotFound("No such booking.")
    return booking


def my_bookings(user: AnyUser, *, past: bool = False) -> QuerySet[Booking]:
    """The bookings of ``user``'s organisations, upcoming (or past) first."""
    who = principal_of(user)
    bookings = bookings_visible_to(user).filter(organisation_id__in=who.member_of)
    at = timezone.now()
    if past:
        return bookings.filter(end__lte=at).order_by("-start")
    return bookings.filter(end__gt=at).order_by("start")


def pending_approvals(user: AnyUser) -> QuerySet[Booking]:
    """Bookings of resources ``user`` runs that await their approval."""
    return (
        restrict(Booking.objects.all(), user, Action.APPROVE)
        .filter(state=Booking.State.REQUESTED, end__gt=timezone.now())
        .select_related("resource", "organisation", "booked_by")
        .order_by("start")
    )


@dataclass(frozen=True)
class Slot:
    """A busy time of a resource as one viewer may see it.

    ``booking`` is set only when the viewer may read the booking (their organisation's, or a
    resource they run); otherwise the slot says busy, how many units, and when.
    """

    start: datetime.datetime
    end: datetime.datetime
    units: int
    booking: Booking | None = None
    offer: bool = False

    @property
    def is_own(self) -> bool:
        return self.booking is not None


def busy_slots(
    user: AnyUser, resource: Resource, start: datetime.datetime, end: datetime.datetime
) -> list[Slot]:
    """What holds ``resource`` between ``start`` and ``end``, as ``user`` may see it."""
    if not can(user, Action.VIEW_SUMMARY, resource):
        raise NotFound("No such resource.")
    holding = Booking.objects.filter(
        resource=resource, state__in=Booking.HOLDING, start__lt=end, end__gt=start
    )
    readable = set(restrict(holding, user, Action.VIEW).values_list("pk", flat=True))
    detailed = {
        booking.pk: booking
        for booking in Booking.objects.filter(pk__in=readable).select_related(
            "organisation", "booked_by"
        )
    }
    slots = [
        Slot(row["start"], row["end"], row["units"], detailed.get(row["pk"]))
        for row in holding.values("pk", "start", "end", "units")
    ]
    offers = WaitlistEntry.objects.filter(
        resource=resource,
        state=WaitlistEntry.State.OFFERED,
        offer_expires_at__gt=timezone.now(),
        start__lt=end,
        end__gt=start,
    ).values_list("start", "end", "units")
    slots += [Slot(*row, offer=True) for row in offers]
    return sorted(slots, key=lambda slot: (slot.start, slot.end))


# --- finding free options ---------------------------------------------------------------


@dataclass
class AvailabilityQuery:
    """What a member looks for: ``units`` for ``hours`` between two times, of a kind."""

    units: int
    hours: float
    window_start: datetime.datetime
    window_end: datetime.datetime
    kind: str = ""
    category: str = ""
    resource: Resource | None = None
    text: str = ""


@dataclass(frozen=True)
class Option:
    resource: Resource
    start: datetime.datetime
    end: datetime.datetime
    free_after: int  # units of the resource still free over the slot after this booking


@dataclass
class Availability:
    options: list[Option] = field(default_factory=list)
    resources_checked: int = 0


def _options_until(
    candidates: dict[int, dict[str, Any]],
    query: AvailabilityQuery,
    at: datetime.datetime,
    window_start: datetime.datetime,
    horizon: datetime.datetime,
    longest: datetime.timedelta,
    *,
    per_resource: int,
    limit: int,
) -> list[tuple[int, int, int, int]]:
    """Options (start, resource, end, free after) that end by ``horizon``, reading only the
    holds that overlap [window start, horizon)."""
    by_resource: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    bookings = Booking.objects.filter(
        resource_id__in=list(candidates),
        state__in=Booking.HOLDING,
        start__lt=horizon,
        end__gt=window_start,
        # Bounded below so that the index on (resource, start) is used.
        start__gte=window_start - longest,
    )
    offers = WaitlistEntry.objects.filter(
        resource_id__in=list(candidates),
        state=WaitlistEntry.State.OFFERED,
        offer_expires_at__gt=at,
        start__lt=horizon,
        end__gt=window_start,
    )
    for holding in (bookings, offers):
        rows = holding.order_by().annotate(start_s=EpochSeconds("start"), end_s=EpochSeconds("end"))
        for resource_id, start, end, units in rows.values_list(
            "resource_id", "start_s", "end_s", "units"
        ):
            by_resource[resource_id].append((start, end, units))
    window_end = int(horizon.timestamp())
    duration_seconds = int(query.hours * 3600)
    openings: dict[tuple[Any, ...], list[tuple[int, int]] | None] = {}
    found: list[tuple[int, int, int, int]] = []
    # The starts of the earliest ``limit`` options so far (negated: a max-heap); a resource's
    # search stops at starts later than the last of them.
    best: list[int] = []
    for pk, row in candidates.items():
        earliest = max(window_start, at + datetime.timedelta(hours=row["lead_time_hours"]))
        hours = OpeningHours(
            row["opens_at"], row["closes_at"], frozenset(int(d) for d in row["open_weekdays"])
        )
        signature = (hours.opens, hours.closes, hours.weekdays)
        if signature not in openings:
            openings[signature] = (
                None
                if hours.always
                else [
                    (int(a.timestamp()), int(b.timestamp()))
                    for a, b in hours.openings(window_start, horizon)
                ]
            )
        for start, end, free_after in free_slots_seconds(
            by_resource.get(pk, []),
            capacity=row["capacity"],
            units=query.units,
            duration=duration_seconds,
            window_start=math.ceil(earliest.timestamp()),
            window_end=window_end,
            openings=openings[signature],
            limit=per_resource,
            start_before=-best[0] if len(best) >= limit else None,
        ):
            found.append((start, pk, end, free_after))
            if len(best) < limit:
                heapq.heappush(best, -start)
            elif start < -best[0]:
                heapq.heapreplace(best, -start)
    return found


def find_options(
    user: AnyUser,
    query: AvailabilityQuery,
    *,
    per_resource: int = 3,
    limit: int = 30,
    now: datetime.datetime | None = None,
) -> Availability:
    """Free slots across the resources ``user`` may see, earliest first.

    One query reads the candidate resources, one the bookings and one the open offers that
    overlap the first part of the window (widened only when too few options start in it);
    the slots are then found in memory (``slots.free_slots_seconds``), on epoch seconds.
    """
    at = now or timezone.now()
    duration = datetime.timedelta(hours=query.hours)
    window_start = max(query.window_start, at)
    resources = (
        resources_visible_to(user)
        .filter(is_active=True, capacity__gte=query.units, max_booking_hours__gte=query.hours)
        .exclude(kind=Resource.Kind.MPW_RUN)
    )
    if query.resource is not None:
        resources = resources.filter(pk=query.resource.pk)
    if query.kind:
        resources = resources.filter(kind=query.kind)
    if query.category:
        resources = resources.filter(category=query.category)
    # Plain values: building 500 model instances would cost more than the search itself.
    candidates: dict[int, dict[str, Any]] = {
        row["pk"]: dict(row)
        for row in resources.values(
            "pk", "capacity", "opens_at", "closes_at", "open_weekdays", "lead_time_hours",
            "max_booking_hours",
        )
    }  # fmt: skip
    result = Availability(resources_checked=len(candidates))
    if not candidates or query.window_end - window_start < duration:
        return result
    longest = datetime.timedelta(hours=max(row["max_booking_hours"] for row in candidates.values()))
    # Look a day past the first possible slot, then further (four times as far each round)
    # only while fewer than ``limit`` options start early enough to be sure of: most searches
    # read one day of bookings, not the whole window.
    horizon = min(window_start + duration + datetime.timedelta(days=1), query.window_end)
    while True:
        found = _options_until(candidates, query, at, window_start, horizon, longest,
                               per_resource=per_resource, limit=limit)  # fmt: skip
        if horizon >= query.window_end or len(found) >= limit:
            break
        horizon = min(window_start + (horizon - window_start) * 4, query.window_end)
    found.sort()
    chosen = found[:limit]
    records = resources_visible_to(user).in_bulk([pk for _start, pk, _end, _free in chosen])
    result.options = [
        Option(records[pk], _moment(start), _moment(end), free_after)
        for start, pk, end, free_after in chosen
    ]
    result.options.sort(key=lambda option: (option.start, option.resource.name_ko))
    return result


class EpochSeconds(Func):
    """Seconds since the epoch of a stored time, computed by the database.

    Thousands of booking times are read per search and only their instants matter; reading
    them as numbers spares a datetime conversion each (the search's largest cost otherwise).
    """

    output_field = BigIntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS BIGINT)"
        return self.as_sql(compiler, connection, template=template, **extra)


def _moment(seconds: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, tz=SEOUL)


# --- the waitlist -----------------------------------------------------------------------


def my_waitlist(user: AnyUser) -> QuerySet[WaitlistEntry]:
    who = principal_of(user)
    if not who.is_authenticated:
        return WaitlistEntry.objects.none()
    return (
        restrict(WaitlistEntry.objects.all(), user, Action.VIEW)
        .filter(Q(user_id=who.pk) | Q(organisation_id__in=who.member_of))
        .filter(state__in=[WaitlistEntry.State.WAITING, WaitlistEntry.State.OFFERED])
        .filter(end__gt=timezone.now())
        .select_related("resource", "organisation")
        .order_by("start")
    )


def entry_get(*, user: AnyUser, pk: int) -> WaitlistEntry:
    entry = (
        restrict(WaitlistEntry.objects.all(), user, Action.VIEW)
        .select_related("resource", "organisation")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise NotFound("No such waitlist entry.")
    return entry


# --- MPW shuttle runs -------------------------------------------------------------------


def shuttle_requests(user: AnyUser, run: Resource) -> QuerySet[ShuttleRequest]:
    """The run's requests ``user`` may read: their organisations', or all for the provider."""
    return (
        restrict(ShuttleRequest.objects.filter(run=run), user, Action.VIEW)
        .exclude(state=ShuttleRequest.State.WITHDRAWN)
        .select_related("organisation", "requested_by")
        .order_by("created_at", "id")
    )


def shuttle_demand(run: Resource) -> dict[str, Decimal | int]:
    """How much of the run is asked for (totals only: no organisation's names)."""
    requests = ShuttleRequest.objects.filter(run=run).exclude(state=ShuttleRequest.State.WITHDRAWN)
    areas = list(requests.values_list("area_mm2", flat=True))
    return {"requests": len(areas), "requested_mm2": sum(areas, Decimal(0))}


def shuttle_request_get(*, user: AnyUser, pk: int) -> ShuttleRequest:
    request = (
        restrict(ShuttleRequest.objects.all(), user, Action.VIEW)
        .select_related("run", "organisation")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise NotFound("No such request.")
    return request


def latest_allocation(user: AnyUser, run: Resource) -> AreaAllocation | None:
    return (
        restrict(AreaAllocation.objects.filter(run=run), user, Action.VIEW)
        .order_by("-created_at", "-id")
        .first()
    )


def allocation_get(*, user: AnyUser, pk: int) -> AreaAllocation:
    allocation = (
        restrict(AreaAllocation.objects.all(), user, Action.VIEW)
        .select_related("run")
        .filter(pk=pk)
        .first()
    )
    if allocation is None:
        raise NotFound("No such allocation.")
    return allocation


@dataclass(frozen=True)
class GrantLine:
    request: ShuttleRequest
    granted: Decimal
    outcome: str
    reason: str
    run_area_left: float
    organisation_area_left: float | None


def allocation_lines(user: AnyUser, allocation: AreaAllocation) -> list[GrantLine]:
    """The proposal's grant of each request ``user`` may read, with its reason."""
    requests = {
        str(request.pk): request
        for request in restrict(
            ShuttleRequest.objects.filter(pk__in=[int(k) for k in allocation.grants]),
            user,
            Action.VIEW,
        ).select_related("organisation")
    }
    lines = []
    for key, grant in allocation.grants.items():
        if key in requests:
            lines.append(
                GrantLine(
                    requests[key],
                    Decimal(grant["granted"]),
                    grant["outcome"],
                    grant["reason"],
                    grant["run_area_left"],
                    grant["organisation_area_left"],
                )
            )
    return sorted(lines, key=lambda line: (-line.granted, line.request.pk))


# --- calendar feeds ---------------------------------------------------------------------


def feed_by_token(token: str) -> CalendarFeed:
    """The feed a secret address belongs to (the address is the credential)."""
    feed = CalendarFeed.objects.select_related("user", "resource").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise NotFound("No such feed.")
    return feed


def personal_feed(user: AnyUser) -> CalendarFeed | None:
    who = principal_of(user)
    if not who.is_authenticated:
        return None
    return CalendarFeed.objects.filter(user_id=who.pk, resource__isnull=True).first()


def resource_feed(user: AnyUser, resource: Resource) -> CalendarFeed | None:
    who = principal_of(user)
    if not who.is_authenticated:
        return None
    return CalendarFeed.objects.filter(user_id=who.pk, resource=resource).first()


def feed_slots(feed: CalendarFeed, *, days_back: int = 31, days_ahead: int = 366) -> list[Slot]:
    """The feed's events as its user may see them: one resource's busy times, or the
    bookings of the user's organisations."""
    at = timezone.now()
    start, end = at - datetime.timedelta(days=days_back), at + datetime.timedelta(days=days_ahead)
    if feed.resource is not None:
        if not can(feed.user, Action.VIEW_SUMMARY, feed.resource):
            return []
        return [slot for slot in busy_slots(feed.user, feed.resource, start, end) if not slot.offer]
    bookings = my_bookings(feed.user).filter(state__in=Booking.HOLDING, start__lt=end) | (
        my_bookings(feed.user, past=True).filter(state__in=Booking.HOLDING, end__gte=start)
    )
    return [
        Slot(booking.start, booking.end, booking.units, booking)
        for booking in bookings.order_by("start")
    ]


# --- usage and reports ------------------------------------------------------------------


def months_back(count: int, *, today: datetime.date | None = None) -> list[datetime.datetime]:
    """The first instants (Seoul) of the last ``count`` months, oldest first, this one last."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    firsts = []
    for _index in range(count):
        firsts.append(datetime.datetime(year, month, 1, tzinfo=SEOUL))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(firsts))


@dataclass
class UtilisationRow:
    resource: Resource
    month: datetime.datetime
    booked_unit_hours: float
    open_unit_hours: float

    @property
    def share(self) -> float:
        return self.booked_unit_hours / self.open_unit_hours if self.open_unit_hours else 0.0

    @property
    def percent(self) -> float:
        return round(100 * self.share, 1)


def utilisation_by_month(
    user: AnyUser, *, months: int = 6, today: datetime.date | None = None
) -> list[UtilisationRow]:
    """Per resource and month: unit-hours booked (confirmed) against unit-hours open.

    Only counts (no organisation), so everyone who may see a resource may see its figures.
    """
    firsts = months_back(months, today=today)
    period_start, period_end = firsts[0], month_bounds(firsts[-1])[1]
    resources = {
        resource.pk: resource
        for resource in resources_visible_to(user).exclude(kind=Resource.Kind.MPW_RUN)
    }
    booked: dict[tuple[int, datetime.datetime], float] = defaultdict(float)
    rows = Booking.objects.filter(
        resource_id__in=list(resources),
        state=Booking.State.CONFIRMED,
        start__lt=period_end,
        end__gt=period_start,
    ).values_list("resource_id", "start", "end", "units")
    for resource_id, start, end, units in rows:
        for first in firsts:
            month_start, month_end = first, month_bounds(first)[1]
            overlap = (min(end, month_end) - max(start, month_start)).total_seconds()
            if overlap > 0:
                booked[(resource_id, first)] += units * overlap / 3600
    result = []
    for resource in sorted(resources.values(), key=lambda r: (r.kind, r.name_ko)):
        hours = opening_hours(resource)
        for first in firsts:
            open_hours = hours.open_hours(first, month_bounds(first)[1])
            result.append(
                UtilisationRow(
                    resource, first, booked[(resource.pk, first)], open_hours * resource.capacity
                )
            )
    return result


@dataclass
class OrganisationUsage:
    organisation: Organisation
    month: datetime.datetime
    hours: float = 0.0
    unit_hours: float = 0.0
    credits: Decimal = Decimal(0)
    bookings: int = 0


def usage_by_organisation(
    user: AnyUser, *, months: int = 6, today: datetime.date | None = None
) -> list[OrganisationUsage]:
    """Per organisation and month, from the bookings ``user`` may read in detail: an
    organisation's members see their own; a provider sees its resources'; operators all."""
    firsts = months_back(months, today=today)
    period_start, period_end = firsts[0], month_bounds(firsts[-1])[1]
    bookings = bookings_visible_to(user).filter(
        state=Booking.State.CONFIRMED, start__gte=period_start, start__lt=period_end
    )
    usage: dict[tuple[int, datetime.datetime], OrganisationUsage] = {}
    for booking in bookings:
        first = month_bounds(booking.start)[0]
        key = (booking.organisation_id, first)
        line = usage.setdefault(key, OrganisationUsage(booking.organisation, first))
        line.hours += booking.hours
        line.unit_hours += booking.hours * booking.units
        line.credits += booking.credits
        line.bookings += 1
    return sorted(usage.values(), key=lambda line: (line.organisation.name_ko, line.month))


@dataclass
class QuotaLine:
    organisation: Organisation
    resource: Resource
    used: Decimal
    quota: Decimal | None

    @property
    def percent(self) -> float | None:
        if not self.quota:
            return None
        return round(float(100 * self.used / self.quota), 1)


def quota_status(user: AnyUser, *, at: datetime.datetime | None = None) -> list[QuotaLine]:
    """Credits each of ``user``'s organisations holds this month, per resource, and the quota."""
    at = at or timezone.now()
    who = principal_of(user)
    first, following = month_bounds(at)
    used = (
        bookings_visible_to(user)
        .filter(
            organisation_id__in=who.member_of,
            state__in=Booking.HOLDING,
            start__gte=first,
            start__lt=following,
        )
        .values_list("organisation_id", "resource_id")
        .distinct()
    )
    lines = []
    for organisation_id, resource_id in set(used):
        resource = Resource.objects.get(pk=resource_id)
        organisation = Organisation.objects.get(pk=organisation_id)
        lines.append(
            QuotaLine(
                organisation,
                resource,
                credits_used(resource, organisation, at),
                resource.monthly_quota,
            )
        )
    return sorted(lines, key=lambda line: (line.organisation.name_ko, line.resource.name_ko))
