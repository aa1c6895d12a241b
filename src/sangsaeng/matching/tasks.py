"""Background jobs of matching (Django Tasks): computing suggestions, refreshing them,
mailing an invitation to claim a profile, and lapsing requests nobody answered."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from sangsaeng.core.i18n import interpolate
from sangsaeng.core.links import absolute_url
from sangsaeng.directory.search import ORGANISATION, PERSON
from sangsaeng.matching.models import Match, MatchingRun, Need
from sangsaeng.matching.suggestions import suggest_matches
from sangsaeng.matching.workflow import lapse_overdue
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


# --- contact requests that reach a person without an account ---------------------------


@task()
def send_claim_invitation(match_id: int, token: str) -> bool:
    """Mail an expert without an account the contact request made to them, with the link
    that claims their profile (the sender's words, the need, when it lapses).

    The expert has no account and so no language on record: the mail is in Korean and in
    English. False when the request was withdrawn or answered meanwhile.
    """
    match = (
        Match.objects.select_related("need", "need__organisation", "person")
        .filter(pk=match_id, state=Match.State.REQUESTED, person__isnull=False)
        .first()
    )
    if match is None or match.person is None or not match.person.email:
        return False
    parts = []
    subject = ""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            values = {
                "person": match.person.name,
                "organisation": match.need.organisation.name,
                "need": match.need.label_for_others,
                "date": timezone.localtime(match.lapses_at).date().isoformat()
                if match.lapses_at
                else "",
            }
            subject = subject or interpolate(
                _("%(organisation)s would like to contact you (Sangsaeng)"), values
            )
            parts.append(
                interpolate(
                    _(
                        "Dear %(person)s,\n\n%(organisation)s found your profile in the "
                        "Seongnam AI and fabless cluster's directory and asks to contact you "
                        "about “%(need)s”. Their message:"
                    ),
                    values,
                )
                + f"\n\n{match.request_message}\n\n"
                + _(
                    "To answer, claim your profile: the link below lets you sign up (or log "
                    "in) and attaches the profile to your account. You then answer the "
                    "request, keep your profile up to date and choose whether it is listed "
                    "publicly. Nobody on the platform sees your e-mail address."
                )
                + "\n"
                + absolute_url(reverse("directory:profile_claim", args=[token]))
                + "\n\n"
                + interpolate(
                    _("The request and the link lapse on %(date)s if you do not answer."), values
                )
            )
    send_mail(subject, "\n\n----\n\n".join(parts) + "\n", None, [match.person.email])
    return True


@task()
def lapse_overdue_requests() -> int:
    """Lapse the contact requests nobody answered in time and tell their senders."""
    return lapse_overdue(actor=None)


def schedule_lapse_check(when: datetime.datetime) -> None:
    """Run :func:`lapse_overdue_requests` once ``when`` has passed, where the task backend
    can wait (the database worker); ``sangsaeng manage lapse_requests`` does it from cron."""
    if default_task_backend.supports_defer:
        lapse_overdue_requests.using(run_after=when + datetime.timedelta(minutes=1)).enqueue()
