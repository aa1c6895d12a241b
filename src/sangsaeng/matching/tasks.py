"""Background jobs of matching (Django Tasks): computing suggestions, refreshing them."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from sangsaeng.matching.models import MatchingRun, Need
from sangsaeng.matching.search_index import search_index

logger = logging.getLogger(__name__)


@task()
def compute_matches(run_id: int) -> int:
    """Compute one need's suggestions, reporting progress on its run; returns how many."""
    from sangsaeng.matching.suggestions import suggest_matches

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
    from sangsaeng.matching.suggestions import suggest_matches

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
