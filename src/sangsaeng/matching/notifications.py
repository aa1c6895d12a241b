"""The notifications matching sends: new matches, contact requests, answers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangsaeng.notifications.kinds import NotificationKind

NEW_MATCH = "new_match"
CONTACT_REQUEST = "contact_request"
ANSWER = "answer"


def _new_match(facts: dict[str, Any]) -> str:
    need = facts.get("need", "")
    if facts.get("role") == "poster":
        return _("%(count)s suggested matches are ready for “%(need)s”.") % {
            "count": facts.get("count", 0),
            "need": need,
        }
    return _("“%(need)s” matches your profile.") % {"need": need}


def _contact_request(facts: dict[str, Any]) -> str:
    need, party = facts.get("need", ""), facts.get("party", "")
    if facts.get("interest"):
        return _("%(party)s is interested in “%(need)s”.") % {"party": party, "need": need}
    return _("%(party)s asks to contact you about “%(need)s”.") % {"party": party, "need": need}


def _answer(facts: dict[str, Any]) -> str:
    need, party = facts.get("need", ""), facts.get("party", "")
    if facts.get("accepted"):
        return _("%(party)s accepted your contact request about “%(need)s”.") % {
            "party": party,
            "need": need,
        }
    return _("%(party)s declined your contact request about “%(need)s”.") % {
        "party": party,
        "need": need,
    }


KINDS = (
    NotificationKind(NEW_MATCH, gettext_lazy("new match"), _new_match),
    NotificationKind(CONTACT_REQUEST, gettext_lazy("contact request"), _contact_request),
    NotificationKind(ANSWER, gettext_lazy("answer to a contact request"), _answer),
)
