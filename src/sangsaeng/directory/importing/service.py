"""``import_directory``: the one entry for importing a file, from the page and the command line."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.core.policy import AnyUser
from sangsaeng.directory.importing.access import require_import_export
from sangsaeng.directory.importing.columns import choice_key
from sangsaeng.directory.importing.files import Table, read_table
from sangsaeng.directory.importing.importer import DirectoryImporter, header_index, header_key
from sangsaeng.directory.importing.organisations import ORGANISATION_KINDS, OrganisationImporter
from sangsaeng.directory.importing.people import PERSON_KINDS, PersonImporter
from sangsaeng.directory.importing.results import ImportKind, ImportReport, file_error

IMPORTERS: dict[ImportKind, type[DirectoryImporter[Any]]] = {
    ImportKind.ORGANISATIONS: OrganisationImporter,
    ImportKind.PEOPLE: PersonImporter,
}


def import_directory(
    *, actor: AnyUser, content: bytes, filename: str, kind: str | None = None
) -> ImportReport:
    """Import every row of the file, or nothing (raising ``ImportRejected`` with every reason).

    ``kind`` says what the file holds; without it, the columns (or the kinds written in
    the rows) tell.
    """
    require_import_export(actor)
    assert isinstance(actor, User)
    table = read_table(content, filename)
    import_kind = ImportKind(kind) if kind else guess_kind(table)
    if import_kind is None:
        raise file_error(
            _(
                "Cannot tell from the columns whether the file holds organisations or people; "
                "choose which."
            )
        )
    return IMPORTERS[import_kind](actor).run(table)


def guess_kind(table: Table) -> ImportKind | None:
    """Which kind of file this is, from its columns or else its kind values; None if unclear."""
    organisation_names = {column.name for column in OrganisationImporter.columns}
    people_names = {column.name for column in PersonImporter.columns}
    known = header_index(OrganisationImporter.columns) | header_index(PersonImporter.columns)
    names = [known.get(header_key(header)) for header in table.headers]
    people = bool(set(names) & (people_names - organisation_names))
    organisations = bool(set(names) & (organisation_names - people_names))
    if people != organisations:
        return ImportKind.PEOPLE if people else ImportKind.ORGANISATIONS
    if "kind" in names:
        position = names.index("kind")
        kinds = {choice_key(cells[position]) for _, cells in table.rows if position < len(cells)}
        kinds.discard("")
        if kinds and kinds <= ORGANISATION_KINDS.keys():
            return ImportKind.ORGANISATIONS
        if kinds and kinds <= PERSON_KINDS.keys():
            return ImportKind.PEOPLE
    return None
