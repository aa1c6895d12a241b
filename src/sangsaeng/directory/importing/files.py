"""Reading the rows of a CSV or XLSX file, and the cell conventions shared with the export.

Every unreadable file (wrong type, wrong encoding, damaged, empty, too long) is an
``ImportRejected`` whose message says what to do about it.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from sangsaeng.directory.importing.results import file_error

# Spreadsheet programs run cells that start with these as formulas; exports quote them.
from sangsaeng.directory.spreadsheets import (
    FORMULA_STARTS,
    SpreadsheetRefused,
    neutralise_formula,
    read_xlsx_rows,
)

MAX_ROWS = 20_000


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)


def read_table(content: bytes, filename: str) -> Table:
    """The header and rows of a CSV or XLSX file; any unreadable file is a clear error."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xls":
        raise file_error(
            _("Old Excel (.xls) files cannot be read. Save the file as .xlsx or as CSV UTF-8.")
        )
    if extension not in ("csv", "xlsx"):
        raise file_error(
            _("“%(name)s” is not a CSV or XLSX file. Upload a .csv or .xlsx file.")
            % {"name": filename}
        )
    if not content.strip(b"\xef\xbb\xbf \t\r\n"):
        raise file_error(_("The file is empty."))
    table = _read_xlsx(content) if extension == "xlsx" else _read_csv(content)
    while table.headers and not table.headers[-1]:
        table.headers.pop()
    if not any(table.headers):
        raise file_error(_("The file has no column headers in its first row."))
    if not table.rows:
        raise file_error(_("The file has column headers but no rows to import."))
    if len(table.rows) > MAX_ROWS:
        raise file_error(
            _("The file has %(n)d rows; import at most %(max)d at a time.")
            % {"n": len(table.rows), "max": MAX_ROWS}
        )
    return table


def cell_text(raw: str) -> str:
    """A cell as the importer reads it: trimmed, without the quote an export adds to formulas."""
    value = raw.strip()
    if value.startswith("'") and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def quote_formula(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, quoted so that it stays text."""
    return neutralise_formula(value)


def _read_csv(content: bytes) -> Table:
    if content.startswith(b"PK\x03\x04"):
        raise file_error(
            _(
                "This file is an Excel workbook, not CSV text. "
                "Name it .xlsx or save it as CSV UTF-8."
            )
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise file_error(
            _(
                "The file is not UTF-8 text (first bad byte on line %(line)d). "
                "In Excel, save it as “CSV UTF-8”."
            )
            % {"line": line}
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = []
        line = 1
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise file_error(
            _("The CSV file is malformed near line %(line)d: %(reason)s")
            % {"line": reader.line_num, "reason": error}
        ) from error
    if not records:
        raise file_error(_("The file is empty."))
    return _table(records)


def _read_xlsx(content: bytes) -> Table:
    if not content.startswith(b"PK\x03\x04"):
        raise file_error(
            _("This file is not a valid XLSX workbook. Save it again from Excel as .xlsx.")
        )
    try:
        records = [
            (number, [_spreadsheet_text(value) for value in values])
            # One more row than allowed for the header.
            for number, values in read_xlsx_rows(content, max_rows=MAX_ROWS + 1)
        ]
    except SpreadsheetRefused as error:
        raise file_error(str(error)) from error
    if not records or not any(records[0][1]):
        raise file_error(_("The file is empty."))
    return _table(records)


def _table(records: list[tuple[int, list[str]]]) -> Table:
    """The first record names the columns; rows with no text at all are skipped."""
    headers = [cell.strip() for cell in records[0][1]]
    rows = [(number, cells) for number, cells in records[1:] if any(c.strip() for c in cells)]
    return Table(headers, rows)


def _spreadsheet_text(value: Any) -> str:
    """A typed spreadsheet value as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
