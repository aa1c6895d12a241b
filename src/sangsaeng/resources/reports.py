"""Usage reports: the figures of ``selectors.utilisation_by_month`` and
``usage_by_organisation`` as Chart.js configurations (drawn by core/_chart.html) and as an
XLSX workbook."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sangsaeng.resources.selectors import OrganisationUsage, UtilisationRow


def _resource_header() -> str:
    return pgettext("shared infrastructure", "Resource")


PALETTE = ["#0b6e4f", "#2563eb", "#d97706", "#7c3aed", "#dc2626", "#0891b2", "#65a30d", "#db2777"]


def month_label(row_month: Any) -> str:
    return f"{row_month:%Y-%m}"


def utilisation_chart(rows: list[UtilisationRow]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A line per resource: % of its open unit-hours booked, by month; and the table."""
    months = sorted({row.month for row in rows})
    by_resource: dict[Any, dict[Any, float]] = defaultdict(dict)
    for row in rows:
        by_resource[row.resource][row.month] = row.percent
    datasets = [
        {
            "label": resource.name,
            "data": [values.get(month, 0) for month in months],
            "borderColor": PALETTE[index % len(PALETTE)],
            "backgroundColor": PALETTE[index % len(PALETTE)],
            "tension": 0.2,
        }
        for index, (resource, values) in enumerate(by_resource.items())
    ]
    config = {
        "type": "line",
        "data": {"labels": [month_label(m) for m in months], "datasets": datasets},
        "options": {
            "scales": {"y": {"beginAtZero": True, "title": {"display": True, "text": "%"}}}
        },
    }
    table = {
        "headers": [_resource_header(), *[month_label(m) for m in months]],
        "rows": [
            [resource.name, *[f"{values.get(m, 0):.1f}%" for m in months]]
            for resource, values in by_resource.items()
        ],
    }
    return config, table


def organisation_chart(lines: list[OrganisationUsage]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Stacked bars: credits each organisation used, by month; and the table."""
    months = sorted({line.month for line in lines})
    by_organisation: dict[Any, dict[Any, float]] = defaultdict(dict)
    for line in lines:
        by_organisation[line.organisation][line.month] = float(line.credits)
    datasets = [
        {
            "label": organisation.name,
            "data": [values.get(month, 0) for month in months],
            "backgroundColor": PALETTE[index % len(PALETTE)],
        }
        for index, (organisation, values) in enumerate(by_organisation.items())
    ]
    config = {
        "type": "bar",
        "data": {"labels": [month_label(m) for m in months], "datasets": datasets},
        "options": {
            "scales": {"x": {"stacked": True}, "y": {"stacked": True, "beginAtZero": True}}
        },
    }
    table = {
        "headers": [_("Organisation"), *[month_label(m) for m in months]],
        "rows": [
            [organisation.name, *[f"{values.get(m, 0):,.0f}" for m in months]]
            for organisation, values in by_organisation.items()
        ],
    }
    return config, table


def workbook(rows: list[UtilisationRow], lines: list[OrganisationUsage]) -> bytes:
    """Both reports as an XLSX workbook, one sheet each."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Utilisation")[:31]
    sheet.append(
        [
            _resource_header(),
            _("Kind"),
            _("Month"),
            _("Unit-hours booked"),
            _("Unit-hours open"),
            "%",
        ]
    )
    for row in rows:
        sheet.append(
            [
                row.resource.name,
                row.resource.get_kind_display(),
                month_label(row.month),
                round(row.booked_unit_hours, 2),
                round(row.open_unit_hours, 2),
                row.percent,
            ]
        )
    organisations = book.create_sheet(_("By organisation")[:31])
    organisations.append(
        [_("Organisation"), _("Month"), _("Bookings"), _("Hours"), _("Unit-hours"), _("Credits")]
    )
    for line in lines:
        organisations.append(
            [
                line.organisation.name,
                month_label(line.month),
                line.bookings,
                round(line.hours, 2),
                round(line.unit_hours, 2),
                float(line.credits),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
