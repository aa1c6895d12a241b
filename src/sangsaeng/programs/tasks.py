"""Background jobs of support programs (Django Tasks): the reviewer assignment, the
embedding of a submitted application, and the receipt and decision mails."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from sangsaeng.programs import mails
from sangsaeng.programs.models import Application, AssignmentRun

logger = logging.getLogger(__name__)


@task()
def compute_assignment(run_id: int) -> str:
    """Compute one assignment run, reporting progress on it; returns its final status."""
    from sangsaeng.programs.assignment import compute
    from sangsaeng.programs.conflicts import save_detected_conflicts

    run = AssignmentRun.objects.select_related("call").filter(pk=run_id).first()
    if run is None:
        return "missing"

    def progress(percent: int, stage: str) -> None:
        run.status, run.progress, run.stage = AssignmentRun.Status.RUNNING, percent, stage
        run.save(update_fields=["status", "progress", "stage"])

    try:
        compute(run, progress, lambda: save_detected_conflicts(run.call))
    except Exception as error:
        logger.exception("assignment run %s failed", run_id)
        AssignmentRun.objects.filter(pk=run_id).update(
            status=AssignmentRun.Status.FAILED,
            error=str(error)[:2000],
            finished_at=timezone.now(),
            progress=100,
        )
        raise
    return run.status


@task()
def embed_submitted_application(application_id: int) -> bool:
    """Store a submitted application's embedding, so the assignment needs not embed it."""
    from sangsaeng.programs.assignment import embed_application

    application = Application.objects.select_related("call", "area").filter(pk=application_id)
    found = application.first()
    if found is None:
        return False
    embed_application(found)
    return True


def _send(message: mails.Mail | None) -> bool:
    if message is None or not message.recipients:
        return False
    send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, message.recipients)
    return True


@task()
def send_receipt(application_id: int) -> bool:
    """Mail the submission receipt, with its number, in the applicant's language."""
    return _send(mails.receipt(application_id))


@task()
def send_decision(application_id: int) -> bool:
    """Mail the decision and the reviewers' comments to the applicant, in their language."""
    return _send(mails.decision(application_id))
