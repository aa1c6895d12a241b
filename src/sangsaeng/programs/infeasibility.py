"""Why no reviewer assignment exists, in words, from the facts an infeasible run kept."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def explain_problems(problems: dict[str, Any]) -> list[str]:
    """Sentences for the operator: the totals first, then each application that cannot get
    its reviewers, and what would help."""
    if not problems:
        return []
    lines = []
    if problems.get("reviewers", 0) == 0:
        lines.append(
            _(
                "No expert has opted in as a reviewer yet: invite experts to open their reviewer "
                "profile."
            )
        )
    elif problems.get("totals_short") or problems.get("capacity", 0) < problems.get("needed", 0):
        lines.append(
            _(
                "The %(applications)s applications need %(needed)s reviews (%(per)s each), but the "
                "%(reviewers)s reviewers take at most %(capacity)s in all: raise the call's "
                "load per reviewer, ask fewer reviewers per application, or recruit reviewers."
            )
            % {
                "applications": problems.get("applications", 0),
                "needed": problems.get("needed", 0),
                "per": problems.get("per_application", 0),
                "reviewers": problems.get("reviewers", 0),
                "capacity": problems.get("capacity", 0),
            }
        )
    items = problems.get("items", [])
    for item in items[:50]:
        values = {
            "receipt": item.get("receipt") or item.get("application"),
            "title": item.get("title", ""),
            "needed": item.get("needed", 0),
            "attainable": item.get("attainable", 0),
            "conflicts": item.get("conflicts", 0),
        }
        if item.get("competing"):
            lines.append(
                _(
                    "%(receipt)s “%(title)s” needs %(needed)s reviewers, but competes with other "
                    "applications for the same few unconflicted reviewers, who can give it only "
                    "%(attainable)s."
                )
                % values
            )
        else:
            lines.append(
                _(
                    "%(receipt)s “%(title)s” needs %(needed)s reviewers, but only %(attainable)s "
                    "reviewers may review it (%(conflicts)s are excluded by conflicts of interest)."
                )
                % values
            )
    if len(items) > 50:
        more = len(items) - 50
        lines.append(
            ngettext(
                "… and %(count)s more application.", "… and %(count)s more applications.", more
            )
            % {"count": more}
        )
    return lines
