"""The words of each notification, written when it is shown, in the reader's language."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from sangsaeng.core.mail import mail_subject
from sangsaeng.notifications.models import Notification


def headline(notification: Notification) -> str:
    """One translated sentence saying what happened."""
    facts = notification.context
    need = facts.get("need", "")
    party = facts.get("party", "")
    kind = notification.kind
    if kind == Notification.Kind.NEW_MATCH:
        if facts.get("role") == "poster":
            return _("%(count)s suggested matches are ready for “%(need)s”.") % {
                "count": facts.get("count", 0),
                "need": need,
            }
        return _("“%(need)s” matches your profile.") % {"need": need}
    if kind == Notification.Kind.CONTACT_REQUEST:
        if facts.get("interest"):
            return _("%(party)s is interested in “%(need)s”.") % {"party": party, "need": need}
        return _("%(party)s asks to contact you about “%(need)s”.") % {
            "party": party,
            "need": need,
        }
    if facts.get("accepted"):
        return _("%(party)s accepted your contact request about “%(need)s”.") % {
            "party": party,
            "need": need,
        }
    return _("%(party)s declined your contact request about “%(need)s”.") % {
        "party": party,
        "need": need,
    }


def email_subject_and_body(notification: Notification, site_url: str = "") -> tuple[str, str]:
    """A mail in Korean, then in English (we do not know which the reader prefers)."""
    parts = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            parts.append(headline(notification))
    link = f"\n\n{site_url}{notification.link}" if notification.link else ""
    return mail_subject(f"[Sangsaeng] {parts[0]}"), "\n\n".join(parts) + link
