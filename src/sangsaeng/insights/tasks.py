"""Background work of insights: the recomputation of every stored series."""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from django_tasks import default_task_backend, task

from sangsaeng.insights.compute import recompute
from sangsaeng.insights.models import RecomputeRun

logger = logging.getLogger(__name__)


@task()
def recompute_insights(run_id: int) -> int:
    """Recompute every series, reporting on its run; returns how many figures it wrote."""
    run = RecomputeRun.objects.filter(pk=run_id).first()
    if run is None:
        return 0
    RecomputeRun.objects.filter(pk=run_id).update(status=RecomputeRun.Status.RUNNING)
    try:
        outcome = recompute()
    except Exception as error:
        logger.exception("insights recomputation %s failed", run_id)
        RecomputeRun.objects.filter(pk=run_id).update(
            status=RecomputeRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    RecomputeRun.objects.filter(pk=run_id).update(
        status=RecomputeRun.Status.DONE, points=outcome.points, finished_at=timezone.now()
    )
    return outcome.points


@task()
def nightly_recompute() -> int:
    """The nightly run (as the system), then the next night's, where the backend can wait;
    ``sangsaeng manage recompute_insights`` does the same from cron."""
    run = RecomputeRun.objects.create()
    written = recompute_insights.call(run.pk)
    schedule_next_night()
    return written


def schedule_next_night() -> None:
    if not default_task_backend.supports_defer:
        return
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    at = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(2, 0)))
    nightly_recompute.using(run_after=at).enqueue()
