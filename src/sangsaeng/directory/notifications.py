"""The notifications the directory sends: the cluster office's decision on a registration."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangsaeng.core.i18n import localized
from sangsaeng.notifications.kinds import NotificationKind

ORGANISATION_DECISION = "organisation_decision"


def _decision(facts: dict[str, Any]) -> str:
    name = localized(facts.get("organisation_ko", ""), facts.get("organisation_en", ""))
    if facts.get("approved"):
        return _(
            "The cluster office approved the registration of %(organisation)s: it now appears "
            "in the public directory."
        ) % {"organisation": name}
    return _("The cluster office did not approve the registration of %(organisation)s.") % {
        "organisation": name
    }


def _decision_details(facts: dict[str, Any]) -> str:
    if facts.get("approved") or not facts.get("reason"):
        return ""
    return _("Reason: %(reason)s") % {"reason": facts["reason"]}


KINDS = (
    NotificationKind(
        ORGANISATION_DECISION,
        gettext_lazy("decision on an organisation's registration"),
        _decision,
        details=_decision_details,
    ),
)
