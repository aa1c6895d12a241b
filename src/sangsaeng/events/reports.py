"""The charts of an event's report, as Chart.js configurations with their figures as tables
(drawn by ``core/_chart.html``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sangsaeng.events.models import MeetingFeedback
from sangsaeng.events.selectors import OUTCOME_ORDER, EventOutcomes

BRAND = "#0b6e4f"
OUTCOME_COLOURS = ["#cbd5e1", "#93c5fd", "#fbbf24", "#0b6e4f"]


def _labels() -> dict[str, str]:
    return {value: str(label) for value, label in MeetingFeedback.Outcome.choices}


def funnel(outcomes: EventOutcomes) -> dict[str, Any]:
    """Requested → accepted → scheduled → held: where meetings were lost."""
    steps = [
        (_("Requested"), outcomes.requests),
        (_("Accepted"), outcomes.accepted),
        (_("Scheduled"), outcomes.scheduled),
        (_("Held"), outcomes.held),
        (_("Agreements initiated"), outcomes.agreements),
    ]
    return {
        "id": "meetings-funnel",
        "caption": _("From requests to agreements"),
        "config": {
            "type": "bar",
            "data": {
                "labels": [label for label, _count in steps],
                "datasets": [
                    {
                        "label": _("Meetings"),
                        "data": [count for _label, count in steps],
                        "backgroundColor": BRAND,
                    }
                ],
            },
            "options": {"indexAxis": "y", "plugins": {"legend": {"display": False}}},
        },
        "table": {
            "headers": [_("Step"), _("Meetings")],
            "rows": [[label, count] for label, count in steps],
        },
    }


def ratings(outcomes: EventOutcomes) -> dict[str, Any]:
    """Ratings per outcome, right after the event and six months on, side by side."""
    labels = _labels()
    rounds = [(1, _("Right after the event")), (2, _("Six months later"))]
    return {
        "id": "meeting-ratings",
        "caption": _("What came of the meetings, as the participants rated them"),
        "config": {
            "type": "bar",
            "data": {
                "labels": [str(name) for _number, name in rounds],
                "datasets": [
                    {
                        "label": labels[outcome],
                        "data": [outcomes.ratings[number][outcome] for number, _name in rounds],
                        "backgroundColor": colour,
                    }
                    for outcome, colour in zip(OUTCOME_ORDER, OUTCOME_COLOURS, strict=True)
                ],
            },
            "options": {"scales": {"x": {"stacked": True}, "y": {"stacked": True}}},
        },
        "table": {
            "headers": [_("Outcome"), *[str(name) for _number, name in rounds]],
            "rows": [
                [labels[outcome], *[outcomes.ratings[number][outcome] for number, _n in rounds]]
                for outcome in OUTCOME_ORDER
            ],
        },
    }


def charts(outcomes: EventOutcomes) -> list[dict[str, Any]]:
    return [funnel(outcomes), ratings(outcomes)]
