"""The recomputation: every metric summed by month into stored series, every linked
indicator's series and current value brought up to date, and each commitment's trend.

It runs in the task worker (``tasks.recompute``) nightly and on an operator's request,
so the dashboards read stored figures and stay fast.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sangsaeng.directory.models import Indicator, Organisation, TaxonomyTerm
from sangsaeng.insights.metrics import METRICS, Row
from sangsaeng.insights.models import IndicatorPoint, IndicatorSource, MetricPoint

Key = tuple[str, datetime.date, str, int | None]


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def organisation_slices() -> tuple[dict[int, str], dict[int, set[int]]]:
    """Each organisation's kind and top-level taxonomy areas."""
    parents = dict(TaxonomyTerm.objects.values_list("pk", "parent_id"))

    def root(term: int) -> int:
        seen = 0
        while parents.get(term) is not None and seen < 50:
            term = parents[term]  # type: ignore[assignment]
            seen += 1
        return term

    kinds = dict(Organisation.objects.values_list("pk", "kind"))
    areas: dict[int, set[int]] = defaultdict(set)
    for organisation, term in Organisation.tags.through.objects.values_list(
        "organisation_id", "taxonomyterm_id"
    ):
        areas[organisation].add(root(term))
    return kinds, areas


def aggregate(
    metric: str,
    rows: Iterable[Row],
    kinds: dict[int, str],
    areas: dict[int, set[int]],
) -> dict[Key, Decimal]:
    """Sum ``rows`` by month: for all, by organisation kind, by area, by kind and area."""
    totals: dict[Key, Decimal] = defaultdict(Decimal)
    for day, organisation, amount in rows:
        month = month_of(day)
        kind = kinds.get(organisation, "") if organisation is not None else ""
        its_areas = areas.get(organisation, set()) if organisation is not None else set()
        totals[(metric, month, "", None)] += amount
        if kind:
            totals[(metric, month, kind, None)] += amount
        for area in its_areas:
            totals[(metric, month, "", area)] += amount
            if kind:
                totals[(metric, month, kind, area)] += amount
    return totals


@dataclass
class Outcome:
    points: int
    indicators: int


def recompute(today: datetime.date | None = None) -> Outcome:
    """Rewrite every stored series from the records (one transaction: a reader sees the
    old figures or the new ones, never half)."""
    today = today or timezone.localdate()
    kinds, areas = organisation_slices()
    totals: dict[Key, Decimal] = {}
    monthly_all: dict[str, dict[datetime.date, Decimal]] = defaultdict(dict)
    for key, metric in METRICS.items():
        summed = aggregate(key, metric.rows(), kinds, areas)
        totals.update(summed)
        for (_metric, month, kind, area), value in summed.items():
            if not kind and area is None:
                monthly_all[key][month] = value
    points = [
        MetricPoint(metric=metric, month=month, organisation_kind=kind, area_id=area, value=value)
        for (metric, month, kind, area), value in totals.items()
    ]
    indicator_points: list[IndicatorPoint] = []
    values: dict[int, Decimal] = {}
    for source in IndicatorSource.objects.all():
        series = monthly_all.get(source.metric, {})
        first = month_of(source.period_start)
        last = month_of(min(source.period_end, today))
        if not any(first <= month <= last for month in series):
            # A period with no record is "no data", not a series of zeros.
            continue
        # Figures are monthly, so a period is taken in whole months.
        running = Decimal(0)
        month = first
        while month <= last:
            running += series.get(month, Decimal(0))
            indicator_points.append(
                IndicatorPoint(
                    indicator_id=source.indicator_id,
                    on=month_end(month),
                    value=running,
                    origin=IndicatorPoint.Origin.COMPUTED,
                )
            )
            month = month_of(month_end(month) + datetime.timedelta(days=1))
        values[source.indicator_id] = running
    with transaction.atomic():
        MetricPoint.objects.all().delete()
        MetricPoint.objects.bulk_create(points, batch_size=2000)
        IndicatorPoint.objects.filter(origin=IndicatorPoint.Origin.COMPUTED).delete()
        IndicatorPoint.objects.bulk_create(indicator_points, batch_size=2000)
        for indicator, value in values.items():
            Indicator.objects.filter(pk=indicator).update(value=value)
    return Outcome(points=len(points) + len(indicator_points), indicators=len(values))
