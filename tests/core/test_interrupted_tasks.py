"""A task worker killed mid-task: its run says "failed" when a worker starts again."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sangsaeng.core.interrupted import mark_interrupted_work, worker_id
from sangsaeng.matching.models import MatchingRun, Need

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _running_task(run: MatchingRun, worker: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now(),
        args_kwargs={"args": [run.pk], "kwargs": {}},
        task_path="sangsaeng.matching.tasks.compute_matches",
        worker_ids=[worker],
        backend_name="default",
        run_after=timezone.now(),
    )


def test_a_run_left_running_by_a_killed_worker_says_failed_on_its_page(client, org_admin):
    need = Need.objects.create(
        organisation=org_admin.memberships.get().organisation,
        author=org_admin,
        kind="technology_request",
        title="Chiplet interposer partner",
        description="d",
    )
    run = MatchingRun.objects.create(need=need, status="running", progress=90)
    killed = _running_task(run, worker_id(_dead_pid()))

    assert mark_interrupted_work() == 1

    run.refresh_from_db()
    killed.refresh_from_db()
    assert (run.status, killed.status) == ("failed", TaskResultStatus.FAILED)
    assert "Interrupted" in run.error and run.finished_at is not None
    client.force_login(org_admin)
    page = client.get(f"/en/needs/{need.pk}/").content.decode()
    assert "Matching failed" in page and "Finding matches" not in page


def test_tasks_of_live_workers_and_other_machines_are_left_running(org_admin):
    need = Need.objects.create(
        organisation=org_admin.memberships.get().organisation,
        kind="technology_request",
        title="t",
        description="d",
    )
    alive = MatchingRun.objects.create(need=need, status="running", progress=40)
    elsewhere = MatchingRun.objects.create(need=need, status="running", progress=40)
    _running_task(alive, worker_id(os.getppid()))  # this test's parent process runs
    _running_task(elsewhere, f"another-host:{_dead_pid()}")
    _running_task(elsewhere, "a-random-id-without-host")

    assert mark_interrupted_work() == 0
    assert set(MatchingRun.objects.values_list("status", flat=True)) == {"running"}
    assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count() == 3
