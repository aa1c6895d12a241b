"""Background jobs of events (Django Tasks): the scheduler and the reminders."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from sangsaeng.events import reminders
from sangsaeng.events.models import SchedulingRun
from sangsaeng.events.scheduling import run_scheduler

logger = logging.getLogger(__name__)


@task()
def compute_schedule(run_id: int) -> int:
    """Run the scheduler for one run, reporting progress on it; returns the meetings placed."""
    run = SchedulingRun.objects.filter(pk=run_id).first()
    if run is None:
        return 0
    try:
        return run_scheduler(run)
    except Exception as error:
        logger.exception("scheduling run %s failed", run_id)
        SchedulingRun.objects.filter(pk=run_id).update(
            status=SchedulingRun.Status.FAILED,
            error=str(error)[:2000],
            finished_at=timezone.now(),
        )
        raise


@task()
def send_due_reminders() -> dict[str, int]:
    """Send the reminders of every event that are due now (idempotent)."""
    with transaction.atomic():
        return reminders.send_due(timezone.now())


def enqueue_reminders_at(moment: datetime.datetime) -> bool:
    """Queue :func:`send_due_reminders` to run at ``moment`` where the task backend can wait
    (the database worker can; the immediate backend of the tests cannot, and would send now).
    Returns whether it was queued."""
    backend = send_due_reminders.get_backend()
    if not backend.supports_defer or moment <= timezone.now():
        return False
    send_due_reminders.using(run_after=moment).enqueue()
    return True
