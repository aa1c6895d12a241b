"""The notifications matching sends: new matches, contact requests and interest, answers,
messages, joint projects, and requests that lapsed.

Facts name parties in both languages (``party_ko``/``party_en``), so that each reader sees
names in their page's language; a need is named by what every recipient may read of it
(``need``: a confidential need's summary). Notifications stored before that name a party
once (``party``), and are still read.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangsaeng.core.i18n import interpolate, localized
from sangsaeng.notifications.kinds import NotificationKind

NEW_MATCH = "new_match"
CONTACT_REQUEST = "contact_request"
ANSWER = "answer"
MESSAGE = "message"
PROJECT = "project"
LAPSED = "request_lapsed"


def names(prefix: str, record: Any) -> dict[str, str]:
    """``{"party_ko": ..., "party_en": ...}`` for a person or organisation (``record``)."""
    return {f"{prefix}_ko": record.name_ko, f"{prefix}_en": record.name_en}


def _name(facts: dict[str, Any], prefix: str) -> str:
    return localized(facts.get(f"{prefix}_ko", ""), facts.get(f"{prefix}_en", "")) or str(
        facts.get(prefix, "")
    )


def _new_match(facts: dict[str, Any]) -> str:
    need = facts.get("need", "")
    if facts.get("role") == "poster":
        return _("%(count)s suggested matches are ready for “%(need)s”.") % {
            "count": facts.get("count", 0),
            "need": need,
        }
    return _("“%(need)s” matches your profile.") % {"need": need}


def _contact_request(facts: dict[str, Any]) -> str:
    values = {
        "party": _name(facts, "party"),
        "need": facts.get("need", ""),
        "person": _name(facts, "person"),
    }
    if facts.get("interest"):
        return interpolate(_("%(party)s is interested in “%(need)s”."), values)
    if facts.get("route") == "organisation_admins":
        return interpolate(
            _(
                "%(party)s asks to contact %(person)s of your organisation about “%(need)s”. "
                "%(person)s has no account: you may answer for them."
            ),
            values,
        )
    if facts.get("route") == "cluster_office":
        return interpolate(
            _(
                "%(party)s asks to contact %(person)s about “%(need)s”. Nobody can answer for "
                "them on the platform: please pass the request on."
            ),
            values,
        )
    return interpolate(_("%(party)s asks to contact you about “%(need)s”."), values)


def _sender_words(facts: dict[str, Any]) -> str:
    message = facts.get("message", "")
    return _("Their message:") + f"\n{message}" if message else ""


def _answer(facts: dict[str, Any]) -> str:
    values = {"party": _name(facts, "party"), "need": facts.get("need", "")}
    if facts.get("accepted"):
        return interpolate(_("%(party)s accepted your contact request about “%(need)s”."), values)
    return interpolate(_("%(party)s declined your contact request about “%(need)s”."), values)


def _answer_note(facts: dict[str, Any]) -> str:
    note = facts.get("note", "")
    return _("Their note:") + f"\n{note}" if note else ""


def _message(facts: dict[str, Any]) -> str:
    return interpolate(
        _("%(author)s wrote about “%(need)s”."),
        {"author": _name(facts, "author"), "need": facts.get("need", "")},
    )


def _project(facts: dict[str, Any]) -> str:
    return interpolate(
        _("%(organisation)s and %(party)s started the joint project “%(title)s”."),
        {
            "organisation": _name(facts, "organisation"),
            "party": _name(facts, "party"),
            "title": facts.get("title", ""),
        },
    )


def _lapsed(facts: dict[str, Any]) -> str:
    return interpolate(
        _("Your contact request to %(party)s about “%(need)s” lapsed without an answer."),
        {"party": _name(facts, "party"), "need": facts.get("need", "")},
    )


KINDS = (
    NotificationKind(NEW_MATCH, gettext_lazy("new match"), _new_match),
    NotificationKind(
        CONTACT_REQUEST, gettext_lazy("contact request"), _contact_request, _sender_words
    ),
    NotificationKind(ANSWER, gettext_lazy("answer to a contact request"), _answer, _answer_note),
    NotificationKind(MESSAGE, gettext_lazy("new message"), _message, _sender_words),
    NotificationKind(PROJECT, gettext_lazy("joint project"), _project),
    NotificationKind(LAPSED, gettext_lazy("contact request lapsed"), _lapsed),
)
