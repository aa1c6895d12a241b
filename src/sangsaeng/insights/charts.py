"""Chart.js configurations (drawn by core's charts.js) with their figures as a table."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sangsaeng.insights.metrics import METRICS

COLOURS = ["#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d4860b", "#16808a"]


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def shown(value: Decimal | None) -> str:
    """A figure as a page shows it; ``None`` (no record counted) is "no data", not 0."""
    if value is None:
        return _("no data")
    number = _number(value)
    return f"{number:,}" if isinstance(number, int) else f"{number:,.2f}"


def time_series(
    chart_id: str,
    caption: str,
    months: list[datetime.date],
    series: dict[str, list[Decimal]],
) -> dict[str, Any]:
    labels = [f"{month:%Y-%m}" for month in months]
    return {
        "id": chart_id,
        "caption": caption,
        "config": {
            "type": "line",
            "data": {
                "labels": labels,
                "datasets": [
                    {
                        "label": str(METRICS[key].label),
                        "data": [_number(v) for v in values],
                        "borderColor": COLOURS[index % len(COLOURS)],
                        "backgroundColor": COLOURS[index % len(COLOURS)],
                        "tension": 0.2,
                    }
                    for index, (key, values) in enumerate(series.items())
                ],
            },
            "options": {"scales": {"y": {"beginAtZero": True}}},
        },
        "table": {
            "headers": [_("Month"), *[str(METRICS[key].label) for key in series]],
            "rows": [
                [label, *[shown(series[key][i]) for key in series]]
                for i, label in enumerate(labels)
            ],
        },
    }


def bars(
    chart_id: str,
    caption: str,
    pairs: list[tuple[str, Decimal | None]],
    *,
    value_label: str,
    horizontal: bool = False,
) -> dict[str, Any]:
    return {
        "id": chart_id,
        "caption": caption,
        "config": {
            "type": "bar",
            "data": {
                "labels": [label for label, _v in pairs],
                "datasets": [
                    {
                        "label": value_label,
                        "data": [_number(v) or 0 for _l, v in pairs],
                        "backgroundColor": COLOURS[0],
                    }
                ],
            },
            "options": {
                "indexAxis": "y" if horizontal else "x",
                "plugins": {"legend": {"display": False}},
            },
        },
        "table": {
            "headers": ["", value_label],
            "rows": [[label, shown(value)] for label, value in pairs],
        },
    }
