"""Background work a task worker left unfinished when it died (killed, out of memory, the
machine stopped): found when a worker starts, and marked failed where people see it.

A worker started by ``sangsaeng worker`` names itself ``<host>:<pid>``. When one starts, every
task still "running" under a worker of the same host whose process is gone was interrupted:
its task result is marked failed, and the run it computed (a need's matching run, a call's
reviewer assignment, a placement round, a matchmaking day's schedule, an area allocation)
says "failed" with the reason instead of "running 90%" forever, so its page offers to start
it again. The task is not retried by itself: what killed the worker (memory, a bug) would
likely kill it again. Tasks of workers on other hosts, or of workers that did not name
themselves so, are left alone: nothing here can tell whether they still run.
"""

from __future__ import annotations

import logging
import os
import socket

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

logger = logging.getLogger(__name__)

# The task computing each kind of run, and the model of its run (its first argument's id).
RUN_OF_TASK = {
    "sangsaeng.matching.tasks.compute_matches": "matching.MatchingRun",
    "sangsaeng.programs.tasks.compute_assignment": "programs.AssignmentRun",
    "sangsaeng.talent.tasks.run_match": "talent.MatchRun",
    "sangsaeng.events.tasks.compute_schedule": "events.SchedulingRun",
    "sangsaeng.resources.tasks.compute_allocation": "resources.AreaAllocation",
}
# Kept in English in the database, as every run's error; the page shows it as it is.
INTERRUPTED = gettext_noop(
    "Interrupted: the background worker stopped while this ran. Start it again."
)


def worker_id(pid: int | None = None) -> str:
    return f"{socket.gethostname()[:40]}:{pid or os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _interrupted_here(worker_ids: list[str]) -> bool:
    if not worker_ids:
        return False
    host, _, pid = str(worker_ids[-1]).rpartition(":")
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    return int(pid) != os.getpid() and not _alive(int(pid))


def mark_interrupted_work() -> int:
    """Mark this host's interrupted tasks and their runs failed; how many tasks."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    marked = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for result in running.only("id", "worker_ids", "task_path", "args_kwargs"):
        if not _interrupted_here(result.worker_ids):
            continue
        with transaction.atomic():
            DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="sangsaeng.core.interrupted.WorkerStopped",
                traceback=INTERRUPTED,
            )
            label = RUN_OF_TASK.get(result.task_path)
            args = (result.args_kwargs or {}).get("args") or []
            if label and args:
                model = apps.get_model(label)
                model._default_manager.filter(pk=args[0], status__in=["queued", "running"]).update(
                    status="failed", error=INTERRUPTED, finished_at=now
                )
        marked += 1
        logger.warning("task %s (%s) was interrupted; marked failed", result.pk, result.task_path)
    return marked
