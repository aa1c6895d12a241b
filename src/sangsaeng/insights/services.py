"""Writes of the insights app: linking an indicator to a count, entering a figure by hand,
asking for a recomputation."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.core.policy import Action, require
from sangsaeng.core.services import after_commit, service
from sangsaeng.directory.models import Indicator
from sangsaeng.insights import tasks
from sangsaeng.insights.metrics import METRICS
from sangsaeng.insights.models import IndicatorPoint, IndicatorSource, RecomputeRun


@service
def indicator_link(
    *,
    actor: Any,
    indicator: Indicator,
    metric: str,
    period_start: datetime.date,
    period_end: datetime.date,
    target: Decimal | None = None,
) -> IndicatorSource:
    """Make ``indicator`` follow a computed count over a period (and set its target)."""
    require(actor, Action.CHANGE, IndicatorSource)
    errors: dict[str, str] = {}
    if metric not in METRICS:
        errors["metric"] = _("Choose one of the counts the platform computes.")
    if period_end <= period_start:
        errors["period_end"] = _("The period must end after it starts.")
    elif period_end < timezone.localdate():
        errors["period_end"] = _("The period has already ended: a target must lie ahead.")
    if target is not None and target <= 0:
        errors["target"] = _("The target must be more than zero.")
    if errors:
        raise ValidationError(errors)
    source, _created = IndicatorSource.objects.update_or_create(
        indicator=indicator,
        defaults={
            "metric": metric,
            "period_start": period_start,
            "period_end": period_end,
            "created_by": actor,
        },
    )
    if target is not None:
        Indicator.objects.filter(pk=indicator.pk).update(target=target)
    recompute_request(actor=actor)
    return source


@service
def indicator_unlink(*, actor: Any, indicator: Indicator) -> None:
    """Make ``indicator`` hand-kept again (its computed series goes with the link)."""
    require(actor, Action.CHANGE, IndicatorSource)
    IndicatorSource.objects.filter(indicator=indicator).delete()
    IndicatorPoint.objects.filter(
        indicator=indicator, origin=IndicatorPoint.Origin.COMPUTED
    ).delete()


@service
def indicator_value_record(
    *, actor: Any, indicator: Indicator, on: datetime.date, value: Decimal
) -> IndicatorPoint:
    """Enter a hand-kept indicator's figure as of a day (who and when are kept)."""
    require(actor, Action.CHANGE, IndicatorSource)
    errors: dict[str, str] = {}
    if IndicatorSource.objects.filter(indicator=indicator).exists():
        errors["value"] = _("This indicator is computed from the platform's records.")
    if value < 0:
        errors["value"] = _("A figure cannot be negative.")
    if on > timezone.localdate():
        errors["on"] = _("A figure cannot be entered for a day still to come.")
    if errors:
        raise ValidationError(errors)
    point, _created = IndicatorPoint.objects.update_or_create(
        indicator=indicator,
        on=on,
        origin=IndicatorPoint.Origin.MANUAL,
        defaults={"value": value, "entered_by": actor},
    )
    latest = (
        IndicatorPoint.objects.filter(indicator=indicator, origin=IndicatorPoint.Origin.MANUAL)
        .order_by("-on")
        .first()
    )
    if latest is not None:
        Indicator.objects.filter(pk=indicator.pk).update(value=latest.value)
    return point


@service
def recompute_request(*, actor: Any) -> RecomputeRun:
    """Queue a recomputation of every series (one at a time: a queued one is reused)."""
    require(actor, Action.CREATE, RecomputeRun)
    waiting = RecomputeRun.objects.select_for_update().filter(status=RecomputeRun.Status.QUEUED)
    run = waiting.first()
    if run is None:
        run = RecomputeRun.objects.create(started_by=actor if actor else None)
        run_id = run.pk
        after_commit(lambda: tasks.recompute_insights.enqueue(run_id))
    return run
