"""Background jobs of accounts (Django Tasks): the invitation mail."""

from __future__ import annotations

from django.core.mail import send_mail
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from sangsaeng.accounts.models import Invitation
from sangsaeng.core.mail import mail_subject


@task()
def send_invitation_email(invitation_id: int, link: str, language: str) -> bool:
    """Mail an invitation's one-time link in ``language`` (the inviter's page's); False when
    it was withdrawn or accepted meanwhile."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    inviter = invitation.invited_by
    with translation.override(language):
        _send(invitation, inviter, translate_url(link, language))
    return True


def _send(invitation: Invitation, inviter: object, link: str) -> None:
    send_mail(
        subject=mail_subject(
            _("Invitation to join %(organisation)s on Sangsaeng")
            % {"organisation": invitation.organisation.name}
        ),
        message=_(
            "%(inviter)s invited you to join %(organisation)s on Sangsaeng.\n\n"
            "Sign up or log in with this address, then open:\n%(link)s\n"
        )
        % {
            "inviter": inviter if inviter is not None else "",
            "organisation": invitation.organisation.name,
            "link": link,
        },
        from_email=None,
        recipient_list=[invitation.email],
    )
