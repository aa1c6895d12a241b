"""Background jobs of the resources app (Django Tasks).

- ``compute_allocation``: an MPW run's area allocation by the engine (``allocate_mpw_area``),
  stored as a proposal with the reason of every grant; the operator confirms it.

The scheduled work (offers that expire, reminders) is in ``schedule.py``.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from sangsaeng.engine.mpw import AreaRequest, ShuttleRun, allocate_mpw_area
from sangsaeng.resources.models import AreaAllocation, ShuttleRequest

logger = logging.getLogger(__name__)


def shuttle_problem(run, requests):  # type: ignore[no-untyped-def]
    """The engine's view of a run and its submitted requests (designs named by request id)."""
    problem = ShuttleRun(
        id=run.slug,
        total_area=float(run.total_area_mm2),
        min_block=float(run.min_block_mm2),
        max_block=float(run.max_block_mm2),
        organisation_share=None
        if run.organisation_share is None
        else float(run.organisation_share),
    )
    asks = [
        AreaRequest(
            design=str(request.pk),
            organisation=str(request.organisation_id),
            area=float(request.area_mm2),
            min_block=None if request.min_block_mm2 is None else float(request.min_block_mm2),
            weight=float(request.priority),
        )
        for request in requests
    ]
    return problem, asks


@task()
def compute_allocation(allocation_id: int) -> int:
    """Solve one run's allocation exactly and store it as a proposal; returns the requests."""
    allocation = AreaAllocation.objects.select_related("run").filter(pk=allocation_id).first()
    if allocation is None:
        return 0
    AreaAllocation.objects.filter(pk=allocation_id).update(status=AreaAllocation.Status.RUNNING)
    requests = list(
        ShuttleRequest.objects.filter(run=allocation.run, state=ShuttleRequest.State.SUBMITTED)
    )
    try:
        run, asks = shuttle_problem(allocation.run, requests)
        result = allocate_mpw_area(run, asks, time_limit_seconds=60)
    except Exception as error:
        logger.exception("MPW allocation %s failed", allocation_id)
        AreaAllocation.objects.filter(pk=allocation_id).update(
            status=AreaAllocation.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        return 0
    by_id = {request.pk: request for request in requests}
    grants = {}
    for grant in result.grants:
        request = by_id[int(grant.design)]
        grants[grant.design] = {
            "requested": str(request.area_mm2),
            "minimum": str(request.min_block_mm2 or ""),
            "priority": str(request.priority),
            "granted": f"{grant.granted:.3f}",
            "outcome": grant.outcome,
            "reason": grant.reason,
            "run_area_left": grant.run_area_left,
            "organisation_area_left": grant.organisation_area_left,
        }
    summary = result.summary()
    by_organisation: dict[str, float] = summary["by_organisation"]  # type: ignore[assignment]
    summary["by_organisation"] = {str(k): v for k, v in by_organisation.items()}
    AreaAllocation.objects.filter(pk=allocation_id).update(
        status=AreaAllocation.Status.PROPOSED,
        grants=grants,
        summary=summary,
        finished_at=timezone.now(),
    )
    return len(requests)
