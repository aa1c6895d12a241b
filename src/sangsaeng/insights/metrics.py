"""The counts insights computes from the platform's own records.

Each metric reads one app's records and yields ``(day, organisation id or None, amount)``:
the day the thing happened (Asia/Seoul), the organisation it is credited to (for the
slices by organisation kind and taxonomy area) and how much it adds. The recomputation
(``compute.py``) sums them by month. A metric counts records only: none of their titles,
texts or people leave this module.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sangsaeng.directory.models import Organisation, Person
from sangsaeng.events.models import Meeting, MeetingFeedback
from sangsaeng.matching.models import JointProject, Match, Need
from sangsaeng.programs.models import Application, Award, Call
from sangsaeng.resources.models import Booking, ShuttleRequest
from sangsaeng.talent.models import Certificate, Enrolment, Placement

Row = tuple[datetime.date, int | None, Decimal]
ONE = Decimal(1)


@dataclass(frozen=True)
class Metric:
    key: str
    label: Promise
    unit: Promise | str
    group: Promise
    rows: Callable[[], Iterable[Row]]


def _day(moment: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).date()
    return moment


def _count(rows: Iterable[tuple[Any, Any]]) -> Iterator[Row]:
    for moment, organisation in rows:
        if moment is not None:
            yield _day(moment), organisation, ONE


# --- programs --------------------------------------------------------------------------


def calls_published() -> Iterator[Row]:
    return _count(
        Call.objects.filter(published_at__isnull=False).values_list(
            "published_at", "program__owner_id"
        )
    )


def applications() -> Iterator[Row]:
    return _count(
        Application.objects.filter(submitted_at__isnull=False)
        .exclude(status="withdrawn")
        .values_list("submitted_at", "organisation_id")
    )


def awards() -> Iterator[Row]:
    return _count(Award.objects.values_list("created_at", "application__organisation_id"))


def amount_awarded() -> Iterator[Row]:
    for moment, organisation, amount in Award.objects.values_list(
        "created_at", "application__organisation_id", "amount"
    ):
        yield _day(moment), organisation, Decimal(amount)


# --- resources -------------------------------------------------------------------------


def bookings() -> Iterator[Row]:
    return _count(
        Booking.objects.filter(state=Booking.State.CONFIRMED).values_list(
            "start", "organisation_id"
        )
    )


def booking_hours() -> Iterator[Row]:
    for start, end, organisation in Booking.objects.filter(
        state=Booking.State.CONFIRMED
    ).values_list("start", "end", "organisation_id"):
        hours = Decimal((end - start).total_seconds()) / Decimal(3600)
        yield _day(start), organisation, hours.quantize(Decimal("0.01"))


def mpw_area() -> Iterator[Row]:
    for tape_out, updated, organisation, granted in ShuttleRequest.objects.filter(
        state=ShuttleRequest.State.ALLOCATED, granted_mm2__isnull=False
    ).values_list("run__tape_out_date", "updated_at", "organisation_id", "granted_mm2"):
        yield _day(tape_out or updated), organisation, Decimal(granted or 0)


# --- talent ----------------------------------------------------------------------------


def course_completions() -> Iterator[Row]:
    return _count(
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).values_list(
            "completed_at", "course__organisation_id"
        )
    )


def certificates() -> Iterator[Row]:
    return _count(
        Certificate.objects.filter(revoked_at__isnull=True).values_list(
            "issued_at", "enrolment__course__organisation_id"
        )
    )


def placements() -> Iterator[Row]:
    for starts, created, employer in Placement.objects.values_list(
        "starts_on", "created_at", "employer_id"
    ):
        yield _day(starts or created), employer, ONE


def placements_in_cluster() -> Iterator[Row]:
    for starts, created, employer in Placement.objects.filter(
        employer__status=Organisation.Status.APPROVED,
        employer__kind=Organisation.Kind.COMPANY,
    ).values_list("starts_on", "created_at", "employer_id"):
        yield _day(starts or created), employer, ONE


# --- events ----------------------------------------------------------------------------


def meetings_held() -> Iterator[Row]:
    return _count(
        Meeting.objects.filter(status=Meeting.Status.HELD).values_list(
            "slot__starts_at", "first__organisation_id"
        )
    )


def agreements_initiated() -> Iterator[Row]:
    """Meetings that a participant rated "agreement reached" (once per meeting)."""
    seen: set[int] = set()
    for meeting, moment, organisation in (
        MeetingFeedback.objects.filter(outcome=MeetingFeedback.Outcome.AGREEMENT)
        .order_by("meeting_id", "created_at")
        .values_list("meeting_id", "meeting__slot__starts_at", "meeting__first__organisation_id")
    ):
        if meeting not in seen and moment is not None:
            seen.add(meeting)
            yield _day(moment), organisation, ONE


# --- matching and the directory ---------------------------------------------------------


def needs_posted() -> Iterator[Row]:
    return _count(Need.objects.values_list("created_at", "organisation_id"))


def matches_accepted() -> Iterator[Row]:
    """Matches that were accepted (and those that went on to a joint project)."""
    return _count(
        Match.objects.filter(state__in=[Match.State.ACCEPTED, Match.State.PROJECT])
        .annotate(credited=F("need__organisation_id"))
        .values_list("updated_at", "credited")
    )


def joint_projects() -> Iterator[Row]:
    return _count(JointProject.objects.values_list("start_date", "match__need__organisation_id"))


def organisations_joined() -> Iterator[Row]:
    for decided, created, pk in Organisation.objects.filter(
        status=Organisation.Status.APPROVED
    ).values_list("decided_at", "created_at", "pk"):
        yield _day(decided or created), pk, ONE


def experts_joined() -> Iterator[Row]:
    return _count(
        Person.objects.filter(Q(kind=Person.Kind.EXPERT)).values_list(
            "created_at", "organisation_id"
        )
    )


_COUNT = ""  # a plain count needs no unit (and Korean counters differ by noun)
METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in (
        Metric("calls_published", _("calls published"), _COUNT, _("programs"), calls_published),
        Metric("applications", _("applications submitted"), _COUNT, _("programs"), applications),
        Metric("awards", _("awards"), _COUNT, _("programs"), awards),
        Metric("amount_awarded", _("amount awarded"), _("KRW"), _("programs"), amount_awarded),
        Metric("bookings", _("resource bookings"), _COUNT, _("resources"), bookings),
        Metric("booking_hours", _("hours booked"), _("hours"), _("resources"), booking_hours),
        Metric("mpw_area", _("MPW area allocated"), _("mm²"), _("resources"), mpw_area),
        Metric(
            "course_completions",
            _("course completions"),
            _COUNT,
            _("talent"),
            course_completions,
        ),
        Metric("certificates", _("certificates issued"), _COUNT, _("talent"), certificates),
        Metric("placements", _("placements"), _COUNT, _("talent"), placements),
        Metric(
            "placements_in_cluster",
            _("placements in cluster companies"),
            _COUNT,
            _("talent"),
            placements_in_cluster,
        ),
        Metric("meetings_held", _("meetings held at events"), _COUNT, _("events"), meetings_held),
        Metric(
            "agreements_initiated",
            _("agreements initiated at events"),
            _COUNT,
            _("events"),
            agreements_initiated,
        ),
        Metric("needs_posted", _("needs posted"), _COUNT, _("matching"), needs_posted),
        Metric("matches_accepted", _("matches accepted"), _COUNT, _("matching"), matches_accepted),
        Metric(
            "joint_projects", _("joint projects started"), _COUNT, _("matching"), joint_projects
        ),
        Metric(
            "organisations_joined",
            _("organisations joined"),
            _COUNT,
            _("directory"),
            organisations_joined,
        ),
        Metric("experts_joined", _("experts joined"), _COUNT, _("directory"), experts_joined),
    )
}

# The path from a posted need to a joint project, drawn as a funnel.
FUNNEL = ("needs_posted", "matches_accepted", "joint_projects")


def metric_choices() -> list[tuple[str, Promise]]:
    return [(key, metric.label) for key, metric in METRICS.items()]
