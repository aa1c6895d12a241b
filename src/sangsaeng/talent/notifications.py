"""The notifications the talent app sends: places, certificates, round results, offers.

Facts carry names in both languages (``course_ko``/``course_en``), so each reader sees them
in the language they read in. A student's name reaches a company only for an offer of one of
its openings, which the student applied to.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangsaeng.core.i18n import localized
from sangsaeng.notifications.kinds import NotificationKind

WAITLIST_PROMOTED = "talent_place"
CERTIFICATE = "talent_certificate"
ROUND_RESULT = "talent_result"
OFFER_ANSWER = "talent_offer_answer"
SECOND_PHASE = "talent_second_phase"


def _named(facts: dict[str, Any], key: str) -> str:
    return localized(str(facts.get(f"{key}_ko", "")), str(facts.get(f"{key}_en", "")))


def _place(facts: dict[str, Any]) -> str:
    return _("A place came free: you are now enrolled in “%(course)s”.") % {
        "course": _named(facts, "course")
    }


def _certificate(facts: dict[str, Any]) -> str:
    return _("You completed “%(course)s”. Your certificate is ready.") % {
        "course": _named(facts, "course")
    }


def _result(facts: dict[str, Any]) -> str:
    name = _named(facts, "round")
    if facts.get("role") == "company":
        return _(
            "The results of “%(round)s” are out: %(count)s students were offered your openings."
        ) % {
            "round": name,
            "count": facts.get("count", 0),
        }
    return _("The results of “%(round)s” are out. See what the match gave you.") % {"round": name}


def _offer_answer(facts: dict[str, Any]) -> str:
    values = {"student": facts.get("student", ""), "opening": _named(facts, "opening")}
    if facts.get("accepted"):
        return _("%(student)s accepted the offer for “%(opening)s”.") % values
    return _("%(student)s declined the offer for “%(opening)s”.") % values


def _second_phase(facts: dict[str, Any]) -> str:
    return _(
        "The second phase of “%(round)s” is open: rank the openings that still have places."
    ) % {"round": _named(facts, "round")}


KINDS = (
    NotificationKind(WAITLIST_PROMOTED, gettext_lazy("a course place came free"), _place),
    NotificationKind(CERTIFICATE, gettext_lazy("course completed"), _certificate),
    NotificationKind(ROUND_RESULT, gettext_lazy("placement round results"), _result),
    NotificationKind(OFFER_ANSWER, gettext_lazy("answer to an offer"), _offer_answer),
    NotificationKind(
        SECOND_PHASE, gettext_lazy("second phase of a placement round"), _second_phase
    ),
)
