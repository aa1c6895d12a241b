"""Background jobs of the talent app (Django Tasks): a round's match, and the retention
sweep that removes the personal data of rounds finished long ago.

The sweep is scheduled: each run queues the next for the following night (with the
database worker, which can run a task later), and ``sangsaeng manage talent_retention``
runs it at once or starts the schedule (a cron job may call it instead).
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from sangsaeng.talent import placement
from sangsaeng.talent.consents import retention_days
from sangsaeng.talent.models import (
    CompanyRanking,
    MatchResult,
    MatchRun,
    Placement,
    PlacementRound,
    RoundParticipant,
    StudentChoice,
)

logger = logging.getLogger(__name__)
SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
SWEEP_HOUR = 3  # the sweep runs at 03:00 Seoul time, when nobody ranks


@task()
def run_match(run_id: int) -> int:
    """Compute a round's match for one phase; returns how many students were placed."""
    run = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.QUEUED).first()
    if run is None:
        return 0
    try:
        placed = placement.run_match(run)
    except Exception as error:
        logger.exception("talent match run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    # The results are saved and shown; telling everyone is the next task's work.
    announce_results.enqueue(run_id)
    return placed


@task()
def announce_results(run_id: int) -> int:
    """Notify the students and companies of a finished match; returns the students told."""
    run = MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.DONE).first()
    if run is None:
        return 0
    placement_round = PlacementRound.objects.get(pk=run.round_id)
    placement.announce(placement_round, run)
    return MatchResult.objects.filter(run=run, student__user__isnull=False).count()


def remove_expired_personal_data(now: datetime.datetime | None = None) -> int:
    """Remove the personal data of rounds finished longer ago than the retention period.

    Rankings and participations are deleted; results and placements stay as anonymous
    counts (the outcomes). Returns how many rounds were cleared.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    with transaction.atomic():
        rounds = list(
            PlacementRound.objects.select_for_update().filter(
                status=PlacementRound.Status.CLOSED,
                closed_at__lt=cutoff,
                personal_data_removed_at__isnull=True,
            )
        )
        for placement_round in rounds:
            StudentChoice.objects.filter(round=placement_round).delete()
            CompanyRanking.objects.filter(round=placement_round).delete()
            RoundParticipant.objects.filter(round=placement_round).delete()
            MatchResult.objects.filter(round=placement_round).update(student=None)
            Placement.objects.filter(round=placement_round).update(student=None)
            placement_round.personal_data_removed_at = now
            placement_round.save(update_fields=["personal_data_removed_at", "updated_at"])
    if rounds:
        logger.info("removed the personal data of %d finished rounds", len(rounds))
    return len(rounds)


def next_sweep_time(now: datetime.datetime | None = None) -> datetime.datetime:
    local = timezone.localtime(now or timezone.now(), SEOUL)
    moment = local.replace(hour=SWEEP_HOUR, minute=0, second=0, microsecond=0)
    if moment <= local:
        moment += datetime.timedelta(days=1)
    return moment


def sweep_is_scheduled() -> bool:
    """Whether the database worker holds a sweep waiting to run."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the package is a dependency
        return False
    return DBTaskResult.objects.filter(
        task_path=apply_retention.module_path, status="READY"
    ).exists()


def schedule_retention() -> bool:
    """Queue the next nightly sweep unless one waits already; False where the task backend
    cannot run tasks later (the immediate backend of the tests)."""
    backend = apply_retention.get_backend()
    if not backend.supports_defer or sweep_is_scheduled():
        return False
    apply_retention.using(run_after=next_sweep_time()).enqueue()
    return True


@task()
def apply_retention() -> int:
    """The nightly sweep: remove expired personal data, then queue the next night's run."""
    cleared = remove_expired_personal_data()
    transaction.on_commit(schedule_retention)
    return cleared
