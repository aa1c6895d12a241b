"""Exporting organisations or people in the import format, so that a file can go round trip.

The export writes exactly the import's columns, each cell as that column reads it back
(``ImportColumn.export``): re-importing an unchanged export updates the same records and
changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from sangsaeng.core.policy import AnyUser
from sangsaeng.directory import selectors
from sangsaeng.directory.importing.access import require_import_export
from sangsaeng.directory.importing.columns import ImportColumn
from sangsaeng.directory.importing.files import FileFormat, quote_formula
from sangsaeng.directory.importing.organisations import ORGANISATION_COLUMNS
from sangsaeng.directory.importing.people import PEOPLE_COLUMNS
from sangsaeng.directory.importing.results import ImportKind


def export_rows(*, actor: AnyUser, kind: str) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of an export; re-importing them updates the same records."""
    require_import_export(actor)
    columns: tuple[ImportColumn, ...]
    if ImportKind(kind) == ImportKind.ORGANISATIONS:
        columns = ORGANISATION_COLUMNS
        records: Any = selectors.organisations_visible_to(actor).prefetch_related("tags")
    else:
        columns = PEOPLE_COLUMNS
        records = (
            selectors.people_visible_to(actor)
            .select_related("organisation")
            .prefetch_related("tags")
        )
    headers = [column.name for column in columns]
    rows = [[column.export(record) for column in columns] for record in records.order_by("slug")]
    return headers, rows


def export_directory(*, actor: AnyUser, kind: str, file_format: str) -> bytes:
    """Organisations or people as CSV (UTF-8 with a BOM, so Excel reads Korean) or XLSX."""
    headers, rows = export_rows(actor=actor, kind=kind)
    if FileFormat(file_format) == FileFormat.CSV:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([quote_formula(value) for value in row])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            # A text cell that starts with "=" must stay text, not become a formula.
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    buffer_bytes = io.BytesIO()
    workbook.save(buffer_bytes)
    return buffer_bytes.getvalue()


def export_filename(kind: str, file_format: str) -> str:
    return f"sangsaeng-{ImportKind(kind)}-{datetime.date.today():%Y%m%d}.{FileFormat(file_format)}"
