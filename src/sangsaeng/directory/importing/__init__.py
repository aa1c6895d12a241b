"""Import organisations and people from CSV or XLSX files, and export them in the same format.

An import is all or nothing: every row is checked first, and a file with any bad row
imports nothing and reports every bad row with its line number and the reason. Good
files go through the directory's services (validated, checked against the access policy,
audited with the operator as actor) inside one transaction. A row whose short name
(``slug``) — or, for people, whose e-mail, or for organisations whose Korean name —
matches an existing record updates it instead of adding a duplicate; the report says
which rows were added and which updated.

The package, in the order a file travels through it:

- ``access``: who may import and export (the one check);
- ``files``: reading CSV and XLSX into rows of text;
- ``columns``: the kinds of value a column holds (text, year, e-mail, taxonomy codes, …);
- ``organisations``, ``people``: the declared columns of each kind of file, and its services;
- ``importer``: the loop that reads every row through the columns and writes through services;
- ``service``: ``import_directory``, which picks the importer;
- ``exporting``: the same columns written back out.

The columns are documented in ``docs/operators.md``; each has an English name (what the
export writes) and Korean aliases (``name_ko`` or ``이름(국문)``).
"""

from __future__ import annotations

from sangsaeng.directory.importing.access import may_import_export, require_import_export
from sangsaeng.directory.importing.exporting import export_directory, export_filename, export_rows
from sangsaeng.directory.importing.files import FileFormat, Table, read_table
from sangsaeng.directory.importing.organisations import ORGANISATION_COLUMNS
from sangsaeng.directory.importing.people import PEOPLE_COLUMNS
from sangsaeng.directory.importing.results import (
    ImportedRow,
    ImportKind,
    ImportRejected,
    ImportReport,
    RowProblem,
)
from sangsaeng.directory.importing.service import guess_kind, import_directory

__all__ = [
    "ORGANISATION_COLUMNS",
    "PEOPLE_COLUMNS",
    "FileFormat",
    "ImportKind",
    "ImportRejected",
    "ImportReport",
    "ImportedRow",
    "RowProblem",
    "Table",
    "export_directory",
    "export_filename",
    "export_rows",
    "guess_kind",
    "import_directory",
    "may_import_export",
    "read_table",
    "require_import_export",
]
