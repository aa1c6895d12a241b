"""The mails support programs write themselves, in the applicant's language: the receipt of a
submission and the decision with the reviewers' comments (never their names).

The applicant's language is the one they used when they submitted (``Application.language``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sangsaeng.core.links import absolute_url
from sangsaeng.programs.models import Application, Review


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str
    recipients: list[str]


def applicant_addresses(application: Application) -> list[str]:
    """Whoever started the application and the applicant organisation's admins."""
    addresses = {
        membership.user.email
        for membership in application.organisation.memberships.filter(role="admin").select_related(
            "user"
        )
        if membership.user.is_active and membership.user.email
    }
    if application.created_by is not None and application.created_by.email:
        addresses.add(application.created_by.email)
    return sorted(addresses)


def _application(application_id: int) -> Application | None:
    return (
        Application.objects.select_related("call", "organisation", "created_by")
        .filter(pk=application_id)
        .first()
    )


def receipt(application_id: int) -> Mail | None:
    application = _application(application_id)
    if application is None or not application.receipt_number:
        return None
    with translation.override(application.language or "ko"):
        context = {
            "application": application,
            "call": application.call,
            "submitted_at": timezone.localtime(application.submitted_at),
            "link": absolute_url(application.get_absolute_url()),
        }
        subject = _("[Sangsaeng] Application received: %(receipt)s") % {
            "receipt": application.receipt_number
        }
        body = render_to_string("programs/mail/receipt.txt", context)
    return Mail(subject, body, applicant_addresses(application))


def applicant_comments(application: Application) -> list[str]:
    """The reviewers' comments to the applicant, in a fixed order, without their names."""
    return [
        comment
        for comment in Review.objects.filter(
            assignment__application=application, status=Review.Status.SUBMITTED
        )
        .order_by("assignment_id")
        .values_list("comment_to_applicant", flat=True)
        if comment.strip()
    ]


def decision(application_id: int) -> Mail | None:
    application = _application(application_id)
    if application is None:
        return None
    found = getattr(application, "decision", None)
    if found is None or found.published_at is None:
        return None
    with translation.override(application.language or "ko"):
        context = {
            "application": application,
            "call": application.call,
            "decision": found,
            "comments": applicant_comments(application),
            "link": absolute_url(application.get_absolute_url()),
        }
        subject = _("[Sangsaeng] Decision on your application %(receipt)s") % {
            "receipt": application.receipt_number
        }
        body = render_to_string("programs/mail/decision.txt", context)
    return Mail(subject, body, applicant_addresses(application))
