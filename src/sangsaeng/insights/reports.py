"""The quarterly progress report of an agreement: PDF (fpdf2, Nanum Gothic for Korean, with
a progress chart per indicator) and XLSX (openpyxl), in the language asked for.

The report reads what the dashboards read: the indicators the user may see, their values as
of the quarter's last day. It names no person and no confidential record: commitments,
indicators, figures and statuses only.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from sangsaeng.core.i18n import localized
from sangsaeng.directory.models import Agreement
from sangsaeng.insights import selectors

FONT_FOLDER = Path("/usr/share/fonts/truetype/nanum")
REGULAR, BOLD = "NanumGothic.ttf", "NanumGothicBold.ttf"


class FontMissing(RuntimeError):
    """The Korean font for PDFs is not installed."""


def font_paths() -> tuple[Path, Path]:
    folder = Path(getattr(settings, "INSIGHTS_PDF_FONT_DIR", FONT_FOLDER))
    regular, bold = folder / REGULAR, folder / BOLD
    if not regular.is_file():
        raise FontMissing(
            f"The report PDF needs the Nanum Gothic font ({regular}): install Debian's "
            "fonts-nanum package (make system-deps does) or set INSIGHTS_PDF_FONT_DIR."
        )
    return regular, bold if bold.is_file() else regular


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    following = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, following - datetime.timedelta(days=1)


@dataclass
class ReportLine:
    commitment: str
    indicator: str
    unit: str
    value: Decimal | None
    at_start: Decimal | None
    target: Decimal | None
    status: str
    percent: int | None


@dataclass
class Report:
    agreement: Agreement
    title: str
    year: int
    quarter: int
    start: datetime.date
    end: datetime.date
    lines: list[ReportLine]


def _value_on(progress: selectors.IndicatorProgress, day: datetime.date) -> Decimal | None:
    found = [point.value for point in progress.points if point.on <= day]
    return found[-1] if found else None


def build(user: Any, agreement: Agreement, year: int, quarter: int) -> Report:
    """The report's figures (in the active language)."""
    start, end = quarter_bounds(year, quarter)
    lines = []
    for progress in selectors.commitment_progress(user, agreement=agreement, today=end):
        progress.points = [p for p in progress.points if p.on <= end]
        judged = selectors.assess(progress.indicator, progress.source, progress.points, end)
        indicator = progress.indicator
        lines.append(
            ReportLine(
                commitment=indicator.commitment.title,
                indicator=indicator.name,
                unit=indicator.unit,
                value=judged.value,
                at_start=_value_on(progress, start - datetime.timedelta(days=1)),
                target=indicator.target,
                status=str(judged.status_label),
                percent=judged.percent,
            )
        )
    return Report(
        agreement=agreement,
        title=localized(agreement.title_ko, agreement.title_en),
        year=year,
        quarter=quarter,
        start=start,
        end=end,
        lines=lines,
    )


def _shown(value: Decimal | None) -> str:
    if value is None:
        return _("no data")
    return f"{value.normalize():,f}"


def report_pdf(report: Report, language: str) -> bytes:
    regular, bold = font_paths()
    with translation.override(language):
        pdf = FPDF(format="A4")
        heading = _("Quarterly progress report: %(year)s Q%(quarter)s") % {
            "year": report.year,
            "quarter": report.quarter,
        }
        pdf.set_title(f"{report.title} — {heading}")
        pdf.set_creator("Sangsaeng")
        pdf.add_font("Nanum", "", str(regular))
        pdf.add_font("Nanum", "B", str(bold))
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        pdf.set_font("Nanum", "B", 16)
        pdf.multi_cell(0, 8, report.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Nanum", "", 11)
        pdf.multi_cell(
            0,
            6,
            f"{heading} ({report.start:%Y-%m-%d} – {report.end:%Y-%m-%d})",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(3)
        if not report.lines:
            pdf.multi_cell(0, 6, _("No indicator to show yet."), new_x="LMARGIN", new_y="NEXT")
            return bytes(pdf.output())
        pdf.set_font("Nanum", "", 9)
        with pdf.table(
            col_widths=(40, 44, 24, 24, 22, 26),
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 238, 248)),
            line_height=5,
            text_align="LEFT",
        ) as table:
            row = table.row()
            for title in (
                _("Commitment"),
                _("Indicator"),
                _("At the quarter's start"),
                _("At the quarter's end"),
                _("Target"),
                _("Status"),
            ):
                row.cell(title)
            for line in report.lines:
                row = table.row()
                for cell in (
                    line.commitment,
                    line.indicator,
                    _shown(line.at_start),
                    _shown(line.value),
                    _shown(line.target),
                    line.status,
                ):
                    row.cell(cell)
        # The chart: each indicator's way to its target, as a bar.
        pdf.ln(5)
        pdf.set_font("Nanum", "B", 12)
        pdf.multi_cell(0, 7, _("Progress toward the targets"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Nanum", "", 9)
        width = pdf.w - pdf.l_margin - pdf.r_margin - 70
        for line in report.lines:
            y = pdf.get_y()
            pdf.set_xy(pdf.l_margin, y)
            pdf.cell(68, 6, line.indicator[:40])
            x = pdf.l_margin + 70
            pdf.set_fill_color(230, 232, 236)
            pdf.rect(x, y + 1, width, 4, style="F")
            if line.percent is not None:
                pdf.set_fill_color(31, 95, 168)
                pdf.rect(x, y + 1, width * line.percent / 100, 4, style="F")
            pdf.set_xy(x + width + 1, y)
            pdf.ln(6)
            label = f"{line.percent}%" if line.percent is not None else _shown(line.value)
            pdf.set_xy(x, y + 5)
            pdf.set_font("Nanum", "", 7)
            pdf.cell(width, 4, label)
            pdf.set_font("Nanum", "", 9)
            pdf.set_xy(pdf.l_margin, y + 10)
        return bytes(pdf.output())


def report_xlsx(report: Report, language: str) -> bytes:
    with translation.override(language):
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = f"{report.year} Q{report.quarter}"
        sheet.append([report.title])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append(
            [
                _("Quarterly progress report: %(year)s Q%(quarter)s")
                % {"year": report.year, "quarter": report.quarter},
                f"{report.start:%Y-%m-%d}",
                f"{report.end:%Y-%m-%d}",
            ]
        )
        sheet.append([])
        headers = [
            _("Commitment"),
            _("Indicator"),
            _("Unit"),
            _("At the quarter's start"),
            _("At the quarter's end"),
            _("Target"),
            _("Progress (%)"),
            _("Status"),
        ]
        sheet.append(headers)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for line in report.lines:
            sheet.append(
                [
                    line.commitment,
                    line.indicator,
                    line.unit,
                    float(line.at_start) if line.at_start is not None else _("no data"),
                    float(line.value) if line.value is not None else _("no data"),
                    float(line.target) if line.target is not None else None,
                    line.percent,
                    line.status,
                ]
            )
        if report.lines:
            chart = BarChart()
            chart.type = "bar"
            chart.title = _("Progress toward the targets")
            chart.y_axis.title = _("Progress (%)")
            rows = len(report.lines)
            chart.add_data(
                Reference(sheet, min_col=7, min_row=4, max_row=4 + rows), titles_from_data=True
            )
            chart.set_categories(Reference(sheet, min_col=2, min_row=5, max_row=4 + rows))
            sheet.add_chart(chart, f"A{rows + 7}")
        for column, width in zip("ABCDEFGH", (30, 30, 8, 14, 14, 12, 12, 16), strict=True):
            sheet.column_dimensions[column].width = width
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
