"""The insights part of the JSON API (under /api/insights/).

Monthly aggregates are open data; an indicator and its series are read through the
indicator's access rules (an indicator the caller may not see is a 404, the same as one
that does not exist).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from sangsaeng.core.api import READ_ERRORS, caller
from sangsaeng.directory.models import Organisation
from sangsaeng.insights import selectors
from sangsaeng.insights.metrics import METRICS

router = Router(tags=["insights"])


class MetricOut(Schema):
    key: str
    label: str
    unit: str
    total: Decimal | None


class PointOut(Schema):
    month: datetime.date
    value: Decimal


class SeriesPointOut(Schema):
    on: datetime.date
    value: Decimal
    origin: str


class IndicatorOut(Schema):
    id: int
    agreement: str
    commitment: str
    name: str
    unit: str
    target: Decimal | None
    value: Decimal | None
    status: str
    computed_from: str | None
    period_start: datetime.date | None
    period_end: datetime.date | None
    projected: Decimal | None


def _indicator_out(progress: selectors.IndicatorProgress) -> IndicatorOut:
    indicator = progress.indicator
    return IndicatorOut(
        id=indicator.pk,
        agreement=indicator.commitment.agreement.slug,
        commitment=indicator.commitment.title,
        name=indicator.name,
        unit=indicator.unit,
        target=indicator.target,
        value=progress.value,
        status=progress.status,
        computed_from=progress.source.metric if progress.source else None,
        period_start=progress.source.period_start if progress.source else None,
        period_end=progress.source.period_end if progress.source else None,
        projected=progress.projected,
    )


@router.get("/metrics", response={200: list[MetricOut], **READ_ERRORS}, summary="Cluster totals")
def list_metrics(request: HttpRequest) -> list[MetricOut]:
    """Every computed count's total over all time (``null``: no record counted yet)."""
    totals = selectors.metric_totals()
    return [
        MetricOut(key=key, label=str(m.label), unit=str(m.unit), total=totals[key])
        for key, m in METRICS.items()
    ]


@router.get("/metrics/{key}/series", response={200: list[PointOut], **READ_ERRORS})
def metric_series(request: HttpRequest, key: str, kind: str = "", area: str = "") -> list[PointOut]:
    """One count month by month, for all or for one organisation kind and/or area."""
    if key not in METRICS:
        raise HttpError(404, _("No such count."))
    if kind and kind not in Organisation.Kind.values:
        raise HttpError(400, _("Unknown organisation kind."))
    filters = selectors.Filters(
        organisation_kind=kind, area=selectors.area_get(area) if area else None
    )
    months, series = selectors.monthly_series((key,), filters)
    return [PointOut(month=m, value=v) for m, v in zip(months, series[key], strict=True)]


@router.get("/indicators", response={200: list[IndicatorOut], **READ_ERRORS})
def list_indicators(request: HttpRequest) -> list[IndicatorOut]:
    """The indicators of the commitments the caller may see, with on track / at risk."""
    return [_indicator_out(p) for p in selectors.commitment_progress(caller(request))]


@router.get("/indicators/{pk}", response={200: IndicatorOut, **READ_ERRORS})
def get_indicator(request: HttpRequest, pk: int) -> IndicatorOut:
    return _indicator_out(selectors.indicator_progress(caller(request), pk))


@router.get("/indicators/{pk}/series", response={200: list[SeriesPointOut], **READ_ERRORS})
def indicator_series(request: HttpRequest, pk: int) -> list[SeriesPointOut]:
    progress = selectors.indicator_progress(caller(request), pk)
    return [SeriesPointOut(on=p.on, value=p.value, origin=p.origin) for p in progress.points]
