"""Background jobs of matching (Django Tasks): computing suggestions, refreshing them."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from sangsaeng.directory.search import ORGANISATION, PERSON
from sangsaeng.matching.models import MatchingRun, Need
from sangsaeng.matching.suggestions import suggest_matches
from sangsaeng.search.index import search_index
from sangsaeng.search.models import IndexChange

logger = logging.getLogger(__name__)


@task()
def compute_matches(run_id: int) -> int:
    """Compute one need's suggestions, reporting progress on its run; returns how many."""
    run = MatchingRun.objects.filter(pk=run_id).first()
    if run is None:
        return 0
    try:
        return suggest_matches(run)
    except Exception as error:
        logger.exception("matching run %s failed", run_id)
        MatchingRun.objects.filter(pk=run_id).update(
            status=MatchingRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise


@task()
def refresh_open_needs(change_id: int) -> int:
    """Recompute the suggestions of every open need after the directory changed.

    A burst of changes queues one task each; a task finds the work done (every open need
    matched since ``change_id`` was logged) and returns at once.
    """
    index = search_index()
    index.current()
    refreshed = 0
    for need in Need.objects.filter(status=Need.Status.OPEN):
        latest = need.runs.filter(status=MatchingRun.Status.DONE).first()
        if latest is not None and latest.index_position >= change_id:
            continue
        run = MatchingRun.objects.create(need=need, index_position=index.position)
        suggest_matches(run)
        refreshed += 1
    return refreshed


def refresh_after_directory_change(sender: Any, subject: str, **kwargs: Any) -> None:
    """An expert or organisation changed: open needs' suggestions may change too."""
    if subject not in (PERSON, ORGANISATION):
        return
    if not Need.objects.filter(status=Need.Status.OPEN).exists():
        return
    change_id = IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    transaction.on_commit(lambda: refresh_open_needs.enqueue(change_id))
