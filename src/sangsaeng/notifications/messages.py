"""The words of each notification, written when it is shown, in the reader's language."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from sangsaeng.core.mail import mail_subject
from sangsaeng.notifications import kinds
from sangsaeng.notifications.models import Notification


def headline(notification: Notification) -> str:
    """One translated sentence saying what happened (the kind's app words it)."""
    return kinds.headline(notification.kind, notification.context)


def email_subject_and_body(notification: Notification, site_url: str = "") -> tuple[str, str]:
    """A mail in Korean, then in English (we do not know which the reader prefers)."""
    parts = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            parts.append(headline(notification))
    link = f"\n\n{site_url}{notification.link}" if notification.link else ""
    return mail_subject(f"[Sangsaeng] {parts[0]}"), "\n\n".join(parts) + link
