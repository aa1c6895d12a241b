"""The words of each notification, written when it is shown, in the reader's language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sangsaeng.core.links import absolute_url
from sangsaeng.core.mail import mail_subject
from sangsaeng.notifications import kinds
from sangsaeng.notifications.models import Notification


def headline(notification: Notification) -> str:
    """One translated sentence saying what happened (the kind's app words it)."""
    return kinds.headline(notification.kind, notification.context)


def details(notification: Notification) -> str:
    """What else the reader should know: the sender's words, a reason ("" when nothing)."""
    return kinds.details(notification.kind, notification.context)


def email_language(notification: Notification) -> str:
    """The recipient's language: the one they last used the site in, else the site's."""
    return getattr(notification.recipient, "language", "") or settings.LANGUAGE_CODE


def email_subject_and_body(notification: Notification) -> tuple[str, str]:
    """The mail of a notification, in its recipient's language only, with an absolute link
    to the page in that language."""
    language = email_language(notification)
    with translation.override(language):
        text = headline(notification)
        parts = [text]
        more = details(notification)
        if more:
            parts.append(more)
        if notification.link:
            parts.append(
                _("Open it on Sangsaeng:") + "\n" + absolute_url(notification.link, language)
            )
        parts.append(
            _("You can choose which notifications come by e-mail: %(link)s")
            % {"link": absolute_url(reverse("notifications:preferences"))}
        )
        subject = mail_subject(f"[{_('Sangsaeng')}] {text}")
    return subject, "\n\n".join(parts) + "\n"
