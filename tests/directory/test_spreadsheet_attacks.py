"""Hostile spreadsheets: entity declarations, decompression bombs, formula injection.

Each file is refused quickly with a clear message (never a 500), and an export never
hands a spreadsheet a cell it would run as a formula.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.utils import translation

from sangsaeng.directory.importing import ImportRejected, export_directory, import_directory
from sangsaeng.directory.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _sheet_xml(rows_xml: str, dimension: str = "A1:B2", doctype: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        + doctype
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
    )


def _workbook(sheet_xml: str) -> bytes:
    """A minimal, valid XLSX whose first sheet is ``sheet_xml`` (inline strings)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _row(number: int, *cells: str) -> str:
    inline = "".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for cell in cells)
    return f'<row r="{number}">{inline}</row>'


HEADER = _row(1, "name_ko", "kind")


def _problems(operator, content: bytes) -> list[str]:
    with pytest.raises(ImportRejected) as raised:
        import_directory(actor=operator, content=content, filename="hostile.xlsx")
    return [problem.message for problem in raised.value.problems]


def test_a_plain_workbook_of_this_shape_imports(operator):
    content = _workbook(_sheet_xml(HEADER + _row(2, "감마", "company")))
    report = import_directory(actor=operator, content=content, filename="fine.xlsx")
    assert [row.line for row in report.created] == [2]


def test_entity_declarations_are_refused_not_expanded(operator):
    laughs = (
        '<!DOCTYPE worksheet [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    )
    content = _workbook(_sheet_xml(HEADER + _row(2, "&d;", "company"), doctype=laughs))
    assert _problems(operator, content) == [
        "This XLSX workbook declares XML entities, which are refused. "
        "Save it again from Excel as .xlsx."
    ]
    assert not Organisation.objects.exists()


def test_an_external_entity_is_refused(operator):
    external = '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    content = _workbook(_sheet_xml(HEADER + _row(2, "&secret;", "company"), doctype=external))
    assert "declares XML entities" in _problems(operator, content)[0]


def test_a_malformed_sheet_is_a_clear_error(operator):
    content = _workbook(_sheet_xml(HEADER + "<row><c>"))
    assert _problems(operator, content) == [
        "This XLSX workbook is damaged and cannot be read (ParseError)."
    ]


def test_a_small_file_declaring_two_million_rows_is_refused_at_once(operator):
    rows = "".join(_row(n, f"회사{n}", "company") for n in range(2, 50))
    content = _workbook(_sheet_xml(HEADER + rows, dimension="A1:B2000000"))
    started = time.monotonic()
    assert _problems(operator, content) == [
        "The sheet has more than 20000 rows; import at most 20000 at a time."
    ]
    assert time.monotonic() - started < 5


def test_a_bomb_of_two_million_rows_in_one_megabyte_is_refused_at_once(operator):
    # About 1 MB compressed, 2 million rows unpacked, and a dimension that claims 2 rows;
    # every row says it is row 2, so openpyxl would parse them all and yield none.
    rows = _row(2, "회사", "company") * 2_000_000
    content = _workbook(_sheet_xml(HEADER + rows, dimension="A1:B2"))
    assert len(content) < 2_000_000
    started = time.monotonic()
    assert _problems(operator, content) == [
        "The workbook unpacks to more than 64 MB. Import at most 20000 rows at a time, "
        "or save the sheet as CSV UTF-8."
    ]
    assert time.monotonic() - started < 5
    assert not Organisation.objects.exists()


def test_rows_past_the_limit_are_counted_when_the_dimension_lies(operator):
    rows = "".join(_row(n, "회사", "company") for n in range(2, 30_002))
    content = _workbook(_sheet_xml(HEADER + rows, dimension="A1:B2"))
    assert _problems(operator, content) == [
        "The sheet has more than 20000 rows; import at most 20000 at a time."
    ]
    assert not Organisation.objects.exists()


def test_rows_past_a_dimension_that_says_too_little_are_not_dropped(operator):
    rows = _row(2, "감마", "company") + _row(3, "델타", "company")
    content = _workbook(_sheet_xml(HEADER + rows, dimension="A1:B2"))
    report = import_directory(actor=operator, content=content, filename="short.xlsx")
    assert [row.line for row in report.created] == [2, 3]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_export_quotes_every_formula_start(operator, start):
    OrganisationFactory(slug="formula", name_ko="수식", description_en=f"{start}HYPERLINK(1)")
    exported = export_directory(actor=operator, kind="organisations", file_format="csv")
    text = exported.decode("utf-8-sig")
    assert f"'{start}HYPERLINK(1)" in text
    # And it comes back as it was.
    import_directory(actor=operator, content=exported, filename="again.csv")
    assert Organisation.objects.get(slug="formula").description_en == f"{start}HYPERLINK(1)"
