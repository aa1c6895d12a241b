"""Reading uploaded XLSX files and writing cells that spreadsheets will not run.

An uploaded workbook is a ZIP of XML written by anyone:

- its XML is parsed by defusedxml (openpyxl uses it when installed): an entity
  declaration ("billion laughs", external entities) is refused, never expanded;
- a workbook that unpacks to more than ``MAX_UNPACKED_BYTES`` is refused from the sizes
  its ZIP directory declares, before any XML is parsed; a sheet that says it has more rows
  than the import allows is refused from that declaration; and rows are counted while
  streaming in case it lies. A small file that unpacks to millions of rows costs nothing.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a TAB or a CR is run as a formula
by Excel and LibreOffice ("CSV injection"); :func:`neutralise_formula` quotes it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from openpyxl.utils.cell import range_boundaries

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMNS = 200
# 20,000 rows of 30 columns take about 25 MB of sheet XML.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024


class SpreadsheetRefused(ValueError):
    """The workbook cannot be read; the message says why, in the user's language."""


def neutralise_formula(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, quoted so that it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def read_xlsx_rows(content: bytes, *, max_rows: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(line number, cell values) of the first sheet, refusing a sheet over ``max_rows``.

    Raises :class:`SpreadsheetRefused` for a damaged workbook, one with entity
    declarations, or one with more rows or columns than allowed.
    """
    from openpyxl import load_workbook

    try:
        _refuse_unpacked_size(content)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            _refuse_declared_size(sheet.calculate_dimension(), max_rows)
            # Read past a declaration that says too little (openpyxl would stop there and
            # drop the rest silently), but never past one row more than allowed.
            sheet.reset_dimensions()  # type: ignore[union-attr]
            rows = sheet.iter_rows(values_only=True, max_row=max_rows + 1, max_col=MAX_COLUMNS)
            for number, values in enumerate(rows, start=1):
                if number > max_rows:
                    raise SpreadsheetRefused(_too_many_rows(max_rows))
                yield number, values
        finally:
            workbook.close()
    except SpreadsheetRefused:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ParseError, IndexError, TypeError) as error:
        raise SpreadsheetRefused(_damaged(error)) from error
    except ValueError as error:
        # openpyxl wraps defusedxml's refusal in a ValueError of its own.
        if any(isinstance(cause, DefusedXmlException) for cause in _causes(error)):
            raise SpreadsheetRefused(
                _(
                    "This XLSX workbook declares XML entities, which are refused. "
                    "Save it again from Excel as .xlsx."
                )
            ) from error
        raise SpreadsheetRefused(_damaged(error)) from error


def _causes(error: BaseException | None) -> Iterator[BaseException]:
    while error is not None:
        yield error
        error = error.__cause__ or error.__context__


def _refuse_unpacked_size(content: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(entry.file_size for entry in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetRefused(
            _(
                "The workbook unpacks to more than %(size)d MB. Import at most 20000 rows at "
                "a time, or save the sheet as CSV UTF-8."
            )
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _refuse_declared_size(dimension: str, max_rows: int) -> None:
    try:
        _min_col, _min_row, _max_col, max_row = range_boundaries(dimension)
    except (ValueError, TypeError):
        return  # no usable declaration: the rows are counted while reading
    if max_row is not None and max_row > max_rows:
        raise SpreadsheetRefused(_too_many_rows(max_rows))


def _too_many_rows(max_rows: int) -> str:
    return _("The sheet has more than %(max)d rows; import at most %(max)d at a time.") % {
        "max": max_rows - 1
    }


def _damaged(error: Exception) -> str:
    return _("This XLSX workbook is damaged and cannot be read (%(reason)s).") % {
        "reason": error.__class__.__name__
    }
