"""What a resource holds and costs, and when it opens: the counting that bookings and
searches share (no access decisions here: services and selectors make those)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from sangsaeng.directory.models import Organisation
from sangsaeng.resources.models import Booking, Resource, WaitlistEntry
from sangsaeng.resources.slots import SEOUL, Hold, OpeningHours


def holds(
    resource: Resource,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    at: datetime.datetime,
    except_entry: WaitlistEntry | None = None,
) -> list[Hold]:
    """Capacity held over [start, end): bookings that hold it, and open waitlist offers."""
    bookings = Booking.objects.filter(
        resource=resource, state__in=Booking.HOLDING, start__lt=end, end__gt=start
    ).values_list("start", "end", "units")
    offers = WaitlistEntry.objects.filter(
        resource=resource,
        state=WaitlistEntry.State.OFFERED,
        offer_expires_at__gt=at,
        start__lt=end,
        end__gt=start,
    )
    if except_entry is not None:
        offers = offers.exclude(pk=except_entry.pk)
    return [Hold(*row) for row in bookings] + [
        Hold(*row) for row in offers.values_list("start", "end", "units")
    ]


def opening_hours(resource: Resource) -> OpeningHours:
    return OpeningHours(
        resource.opens_at, resource.closes_at, frozenset(int(d) for d in resource.open_weekdays)
    )


def credits_for(
    resource: Resource, units: int, start: datetime.datetime, end: datetime.datetime
) -> Decimal:
    hours = Decimal((end - start).total_seconds()) / Decimal(3600)
    cost = resource.credits_per_unit_hour * units * hours
    return cost.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def month_bounds(moment: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The Seoul calendar month that ``moment`` falls in, as [first instant, next month)."""
    local = moment.astimezone(SEOUL)
    first = datetime.datetime(local.year, local.month, 1, tzinfo=SEOUL)
    following = datetime.datetime(
        local.year + (local.month == 12), local.month % 12 + 1, 1, tzinfo=SEOUL
    )
    return first, following


def credits_used(
    resource: Resource, organisation: Organisation, moment: datetime.datetime
) -> Decimal:
    """Credits ``organisation``'s bookings of ``resource`` hold in ``moment``'s month."""
    first, following = month_bounds(moment)
    total = Booking.objects.filter(
        resource=resource,
        organisation=organisation,
        state__in=Booking.HOLDING,
        start__gte=first,
        start__lt=following,
    ).aggregate(total=Sum("credits"))["total"]
    return Decimal(total or 0).quantize(Decimal("0.01"))


def weekday_names(days: str) -> str:
    names = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    return ", ".join(names[int(day)] for day in sorted(days))


def opening_text(resource: Resource) -> str:
    if resource.always_open:
        return _("around the clock, every day")
    return _("%(days)s, %(opens)s–%(closes)s (Seoul time)") % {
        "days": weekday_names(resource.open_weekdays),
        "opens": resource.opens_at.strftime("%H:%M"),  # type: ignore[union-attr]
        "closes": resource.closes_at.strftime("%H:%M"),  # type: ignore[union-attr]
    }
