"""Reads of the insights app, through the access policy.

The dashboards read the stored monthly figures (``MetricPoint``), never the records
themselves; the progress of commitments reads the indicators a user may see.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.policy import AnyUser, restrict
from sangsaeng.core.selectors import NotFound
from sangsaeng.directory.models import Indicator, Organisation, TaxonomyTerm
from sangsaeng.insights.metrics import FUNNEL, METRICS
from sangsaeng.insights.models import IndicatorPoint, IndicatorSource, MetricPoint, RecomputeRun

ON_TRACK = "on_track"
AT_RISK = "at_risk"
REACHED = "reached"
NO_DATA = "no_data"
NO_TARGET = "no_target"
HAND_KEPT = "hand_kept"
STATUS_LABELS: dict[str, Promise] = {
    ON_TRACK: _("on track"),
    AT_RISK: _("at risk"),
    REACHED: _("target reached"),
    NO_DATA: _("no data"),
    NO_TARGET: _("no target set"),
    HAND_KEPT: _("entered by hand, below target"),
}


@dataclass(frozen=True)
class Filters:
    """The operator dashboard's filters (all optional)."""

    start: datetime.date | None = None  # first month, inclusive
    end: datetime.date | None = None  # last month, inclusive
    organisation_kind: str = ""
    area: TaxonomyTerm | None = None


def _points(filters: Filters) -> QuerySet[MetricPoint]:
    points = MetricPoint.objects.filter(organisation_kind=filters.organisation_kind)
    points = points.filter(area=filters.area) if filters.area else points.filter(area__isnull=True)
    if filters.start:
        points = points.filter(month__gte=filters.start)
    if filters.end:
        points = points.filter(month__lte=filters.end)
    return points


def metric_totals(filters: Filters = Filters()) -> dict[str, Decimal | None]:
    """Each metric's total over the filtered period; ``None`` where no record counts."""
    found = dict(
        _points(filters)
        .values("metric")
        .annotate(total=Sum("value"))
        .values_list("metric", "total")
    )
    return {key: found.get(key) for key in METRICS}


def monthly_series(
    keys: tuple[str, ...], filters: Filters = Filters()
) -> tuple[list[datetime.date], dict[str, list[Decimal]]]:
    """The months of the period (those with any figure, and every month between) and each
    metric's value per month (0 in a month of the span without records)."""
    rows = list(_points(filters).filter(metric__in=keys).values_list("metric", "month", "value"))
    if not rows:
        return [], {key: [] for key in keys}
    first = filters.start or min(month for _k, month, _v in rows)
    last = filters.end or max(month for _k, month, _v in rows)
    months: list[datetime.date] = []
    month = first
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    by_key: dict[str, dict[datetime.date, Decimal]] = defaultdict(dict)
    for key, month, value in rows:
        by_key[key][month] = value
    return months, {key: [by_key[key].get(m, Decimal(0)) for m in months] for key in keys}


def totals_by_area(key: str, filters: Filters = Filters()) -> list[tuple[TaxonomyTerm, Decimal]]:
    """One metric's total per top-level taxonomy area, largest first."""
    points = MetricPoint.objects.filter(
        metric=key, organisation_kind=filters.organisation_kind, area__isnull=False
    )
    if filters.start:
        points = points.filter(month__gte=filters.start)
    if filters.end:
        points = points.filter(month__lte=filters.end)
    sums = dict(points.values("area").annotate(total=Sum("value")).values_list("area", "total"))
    terms = TaxonomyTerm.objects.in_bulk(list(sums))
    return sorted(
        ((terms[pk], total) for pk, total in sums.items() if pk in terms),
        key=lambda pair: (-pair[1], pair[0].order),
    )


def funnel(filters: Filters = Filters()) -> list[tuple[Promise, Decimal | None]]:
    totals = metric_totals(filters)
    return [(METRICS[key].label, totals[key]) for key in FUNNEL]


def areas() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.filter(parent__isnull=True).order_by("order", "code")


def area_get(code: str) -> TaxonomyTerm:
    term = areas().filter(code=code).first()
    if term is None:
        raise NotFound(code)
    return term


def organisation_kinds() -> list[tuple[str, Any]]:
    return list(Organisation.Kind.choices)


def last_run() -> RecomputeRun | None:
    return RecomputeRun.objects.first()


def last_computed_at() -> datetime.datetime | None:
    run = RecomputeRun.objects.filter(status=RecomputeRun.Status.DONE).first()
    return run.finished_at if run else None


# --- commitments and their indicators ----------------------------------------------------


@dataclass
class IndicatorProgress:
    indicator: Indicator
    source: IndicatorSource | None
    points: list[IndicatorPoint] = field(default_factory=list)
    value: Decimal | None = None
    projected: Decimal | None = None
    status: str = NO_DATA

    @property
    def status_label(self) -> Promise:
        return STATUS_LABELS[self.status]

    @property
    def metric_label(self) -> Promise | None:
        if self.source and self.source.metric in METRICS:
            return METRICS[self.source.metric].label
        return None

    @property
    def percent(self) -> int | None:
        target = self.indicator.target
        if not target or self.value is None:
            return None
        return max(0, min(100, int(self.value * 100 / target)))


def assess(
    indicator: Indicator,
    source: IndicatorSource | None,
    points: list[IndicatorPoint],
    today: datetime.date,
) -> IndicatorProgress:
    """On track or at risk from the trend toward the target.

    A computed indicator's value is its latest point; the trend is its pace so far
    (value per day since the period began) carried to the period's end. A period with no
    record is "no data", not zero. A hand-kept indicator (no source) shows its hand-entered
    points, or the directory's value where it has none, and is judged against its target
    only (it has no period).
    """
    progress = IndicatorProgress(indicator=indicator, source=source, points=points)
    if points:
        progress.value = points[-1].value
    elif source is None and indicator.value:
        progress.value = indicator.value
    if progress.value is None:
        return progress
    target = indicator.target
    if not target:
        progress.status = NO_TARGET
        return progress
    if progress.value >= target:
        progress.status = REACHED
        return progress
    if source is None:
        progress.status = HAND_KEPT
        return progress
    total = (source.period_end - source.period_start).days
    elapsed = max(1, min(total, (today - source.period_start).days))
    progress.projected = (progress.value * total / elapsed).quantize(Decimal("0.01"))
    progress.status = ON_TRACK if progress.projected >= target else AT_RISK
    return progress


def indicators_visible_to(user: AnyUser) -> QuerySet[Indicator]:
    return restrict(Indicator.objects.all(), user)


def commitment_progress(
    user: AnyUser, *, agreement: Any = None, today: datetime.date | None = None
) -> list[IndicatorProgress]:
    """The progress of every indicator ``user`` may see (of one agreement, if given)."""
    today = today or timezone.localdate()
    indicators = indicators_visible_to(user).select_related("commitment__agreement")
    if agreement is not None:
        indicators = indicators.filter(commitment__agreement=agreement)
    indicators = indicators.order_by("commitment__agreement__slug", "commitment__order", "id")
    ids = [indicator.pk for indicator in indicators]
    sources = {s.indicator_id: s for s in IndicatorSource.objects.filter(indicator_id__in=ids)}
    points: dict[int, list[IndicatorPoint]] = defaultdict(list)
    for point in IndicatorPoint.objects.filter(indicator_id__in=ids).order_by("on", "origin"):
        linked = point.indicator_id in sources
        wanted = IndicatorPoint.Origin.COMPUTED if linked else IndicatorPoint.Origin.MANUAL
        if point.origin == wanted:
            points[point.indicator_id].append(point)
    return [
        assess(indicator, sources.get(indicator.pk), points[indicator.pk], today)
        for indicator in indicators
    ]


def indicator_get(user: AnyUser, pk: int) -> Indicator:
    indicator = indicators_visible_to(user).select_related("commitment__agreement").filter(pk=pk)
    found = indicator.first()
    if found is None:
        raise NotFound(pk)
    return found


def indicator_progress(user: AnyUser, pk: int) -> IndicatorProgress:
    indicator = indicator_get(user, pk)
    progress = commitment_progress(user, agreement=indicator.commitment.agreement)
    return next(p for p in progress if p.indicator.pk == indicator.pk)


def export_rows() -> Iterator[list[str]]:
    """The open-data rows: metric, its English label, month, kind, area code and name, value
    (English whatever the page's language: column values stay stable for Power BI)."""
    with translation.override("en"):
        yield from _export_rows()


def _export_rows() -> Iterator[list[str]]:
    terms = {t.pk: t for t in TaxonomyTerm.objects.filter(parent__isnull=True)}
    points = MetricPoint.objects.order_by("metric", "month", "organisation_kind", "area_id")
    for point in points.iterator(chunk_size=5000):
        term = terms.get(point.area_id) if point.area_id else None
        metric = METRICS.get(point.metric)
        yield [
            point.metric,
            str(metric.label) if metric else "",
            f"{point.month:%Y-%m}",
            point.organisation_kind,
            term.code if term else "",
            term.name if term else "",
            str(point.value),
        ]
