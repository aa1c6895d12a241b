"""The notifications support programs send: screening results, review invitations, reminders.

Their facts never hold an application's contents: a screening result names the call and the
receipt number (the applicant's own), an invitation or reminder names the call and how many.
Receipts and decisions are mailed by the programs app itself, in the applicant's language
(``mails.py``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangsaeng.notifications.kinds import NotificationKind

SCREENING = "program_screening"
REVIEW_INVITATION = "review_invitation"
REVIEW_REMINDER = "review_reminder"


def _screening(facts: dict[str, Any]) -> str:
    values = {"receipt": facts.get("receipt", ""), "call": facts.get("call", "")}
    if facts.get("eligible"):
        return _("Application %(receipt)s to “%(call)s” passed screening and goes to review.") % (
            values
        )
    return _("Application %(receipt)s to “%(call)s” did not pass screening.") % values


def _invitation(facts: dict[str, Any]) -> str:
    return _("You are invited to review %(count)s applications for “%(call)s”.") % {
        "count": facts.get("count", 1),
        "call": facts.get("call", ""),
    }


def _reminder(facts: dict[str, Any]) -> str:
    values = {
        "count": facts.get("count", 1),
        "call": facts.get("call", ""),
        "due": facts.get("due", ""),
    }
    if facts.get("late"):
        return _("%(count)s of your reviews for “%(call)s” are late (due %(due)s).") % values
    return _("%(count)s of your reviews for “%(call)s” are due by %(due)s.") % values


KINDS = (
    NotificationKind(SCREENING, gettext_lazy("screening result"), _screening),
    NotificationKind(REVIEW_INVITATION, gettext_lazy("invitation to review"), _invitation),
    NotificationKind(REVIEW_REMINDER, gettext_lazy("review reminder"), _reminder),
)
