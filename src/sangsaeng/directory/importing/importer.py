"""The import loop: read each row through the declared columns, then write through the services.

A ``DirectoryImporter`` subclass (``organisations.py``, ``people.py``) declares its columns,
which keys no two rows of a file may share (``UniqueWithinFile``), by which columns a row
finds the stored record it updates (``Identity``), and which service creates and which
updates. The loop is the same for every kind:

1. the file's headers name known columns, once each, and the required ones are there;
2. every row is read, column by column; every problem of every row is collected;
3. only if there is none are the rows written, each through a service (validated, checked
   against the access policy, audited with the importing user as actor), in one
   transaction; a service that refuses a row adds its reasons, and then nothing is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, Generic, TypeVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import User
from sangsaeng.directory.importing.columns import KEEP, ImportColumn, ImportContext
from sangsaeng.directory.importing.files import Table, cell_text
from sangsaeng.directory.importing.results import (
    ImportedRow,
    ImportKind,
    ImportRejected,
    ImportReport,
    RowProblem,
)
from sangsaeng.directory.models import Organisation, Person

RecordT = TypeVar("RecordT", Organisation, Person)


@dataclass(frozen=True)
class UniqueWithinFile:
    """No two rows of one file may share this key: the first of ``columns`` a row fills.

    Keys are compared without regard to case.
    """

    columns: tuple[str, ...]

    def key_of(self, values: Mapping[str, Any]) -> tuple[str, str] | None:
        """The column and value that are this row's key, or None if it fills none of them."""
        for name in self.columns:
            value = values.get(name)
            if value:
                return name, str(value)
        return None


@dataclass(frozen=True)
class Identity:
    """A column by which a row finds the stored record that it updates.

    The first identity a row fills decides: if no record has that value, the row adds one.
    """

    column: str
    matched_by: str  # what the report says: "slug", "e-mail" or "Korean name"
    # The reason given when several stored records have the value (with %(value)s);
    # None where the database keeps the value unique.
    ambiguous_message: str | Promise | None = None
    casefold: bool = False

    def key(self, value: str) -> str:
        return value.casefold() if self.casefold else value


@dataclass
class CheckedRow(Generic[RecordT]):
    """One row read without a problem: what it says, and the record it updates, if any."""

    line: int
    values: dict[str, Any]  # the cleaned value of each column the row has, by name
    arguments: dict[str, Any] = field(default_factory=dict)  # for the service
    existing: RecordT | None = None
    matched_by: str = ""


class _RollBack(Exception):
    pass


class DirectoryImporter(Generic[RecordT]):
    """Imports one kind of record: the subclass declares its columns and its services."""

    kind: ClassVar[ImportKind]
    model: ClassVar[type[Organisation] | type[Person]]
    columns: ClassVar[tuple[ImportColumn, ...]]
    required_columns: ClassVar[tuple[str, ...]] = ("name_ko",)
    unique_within_file: ClassVar[tuple[UniqueWithinFile, ...]] = ()
    identities: ClassVar[tuple[Identity, ...]] = ()
    # Arguments a row gives when it adds a record but not when it updates one.
    create_only: ClassVar[frozenset[str]] = frozenset({"slug"})

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.context = ImportContext(actor)

    # --- what a subclass says -----------------------------------------------------------

    def stored_records(self) -> Iterable[RecordT]:
        """The records that rows may update."""
        raise NotImplementedError

    def create(self, arguments: dict[str, Any]) -> RecordT:
        raise NotImplementedError

    def update(self, record: RecordT, arguments: dict[str, Any]) -> RecordT:
        raise NotImplementedError

    def check_update(self, row: CheckedRow[RecordT]) -> str | None:
        """A reason this row may not update the record it matched, or None."""
        return None

    # --- the loop -----------------------------------------------------------------------

    def run(self, table: Table) -> ImportReport:
        positions = self.column_positions(table.headers)
        rows = self.check(table, positions)
        return self.write(rows)

    def column_positions(self, headers: Sequence[str]) -> dict[str, int]:
        """Column name → its position in the file; unknown or repeated columns are problems."""
        index = header_index(self.columns)
        positions: dict[str, int] = {}
        problems = []
        for position, header in enumerate(headers):
            if not header:
                continue
            name = index.get(header_key(header))
            if name is None:
                problems.append(
                    _("Unknown column “%(header)s”. The columns for %(kind)s are: %(columns)s.")
                    % {
                        "header": header,
                        "kind": self.kind.label,
                        "columns": ", ".join(column.name for column in self.columns),
                    }
                )
            elif name in positions:
                problems.append(_("The column %(name)s appears twice.") % {"name": name})
            else:
                positions[name] = position
        for column in self.columns:
            if column.name in self.required_columns and column.name not in positions:
                problems.append(
                    _("The file has no %(name)s (%(alias)s) column; it is required.")
                    % {"name": column.name, "alias": column.aliases[0]}
                )
        if problems:
            raise ImportRejected([RowProblem(1, problem) for problem in problems])
        return positions

    def check(self, table: Table, positions: Mapping[str, int]) -> list[CheckedRow[RecordT]]:
        """Every row read through the columns, or ``ImportRejected`` with every problem."""
        problems: list[RowProblem] = []
        rows: list[CheckedRow[RecordT]] = []
        seen: dict[UniqueWithinFile, dict[str, int]] = {u: {} for u in self.unique_within_file}
        labels = {column.name: column.label_text for column in self.columns}
        for line, cells in table.rows:
            row: CheckedRow[RecordT] = CheckedRow(line=line, values={})
            reasons: list[str] = []
            for column in self.columns:
                position = positions.get(column.name)
                try:
                    if position is None:
                        value = column.clean_absent(self.context)
                    else:
                        text = cell_text(cells[position]) if position < len(cells) else ""
                        value = column.read(text, self.context)
                except ValidationError as error:
                    reasons += error.messages
                    continue
                if value is not KEEP:
                    row.values[column.name] = value
                    column.assign(value, row.arguments)
            for unique in self.unique_within_file:
                key = unique.key_of(row.values)
                if key is None:
                    continue
                name, value = key
                first_line = seen[unique].setdefault(value.casefold(), line)
                if first_line != line:
                    reasons.append(
                        _(
                            "Duplicate within the file: line %(other)d has the same %(what)s "
                            "“%(value)s”."
                        )
                        % {"other": first_line, "what": labels[name], "value": value}
                    )
            reason = self.match(row)
            if reason is None and row.existing is not None:
                reason = self.check_update(row)
            if reason:
                reasons.append(reason)
            problems += [RowProblem(line, reason) for reason in reasons]
            rows.append(row)
        if problems:
            raise ImportRejected(problems)
        return rows

    def match(self, row: CheckedRow[RecordT]) -> str | None:
        """Find the stored record the row updates; a reason if the row names several."""
        for identity in self.identities:
            value = row.values.get(identity.column)
            if not value:
                continue
            found = self._stored_by(identity).get(identity.key(value), [])
            if len(found) > 1 and identity.ambiguous_message is not None:
                return str(identity.ambiguous_message) % {"value": value, "name": value}
            if found:
                row.existing, row.matched_by = found[0], identity.matched_by
            return None
        return None

    def _stored_by(self, identity: Identity) -> dict[str, list[RecordT]]:
        return self._stored_indexes[identity]

    @cached_property
    def _stored_indexes(self) -> dict[Identity, dict[str, list[RecordT]]]:
        """For each identity, the stored records by their value, read once per import."""
        records = list(self.stored_records())
        indexes: dict[Identity, dict[str, list[RecordT]]] = {}
        for identity in self.identities:
            index: dict[str, list[RecordT]] = {}
            for record in records:
                value = getattr(record, identity.column)
                if value:
                    index.setdefault(identity.key(value), []).append(record)
            indexes[identity] = index
        return indexes

    def write(self, rows: Sequence[CheckedRow[RecordT]]) -> ImportReport:
        """Every row through its service in one transaction, or nothing and every reason."""
        report = ImportReport(kind=self.kind)
        problems: list[RowProblem] = []
        try:
            with transaction.atomic():
                for row in rows:
                    # Each service runs in its own savepoint, so a row it refuses leaves
                    # the transaction usable for the next row's reasons.
                    try:
                        record = self.write_row(row)
                    except ValidationError as error:
                        problems += self.service_problems(row.line, error)
                    except IntegrityError:
                        problems.append(
                            RowProblem(
                                row.line,
                                _("The short name “%(slug)s” is already used by another record.")
                                % {"slug": row.values.get("slug", "")},
                            )
                        )
                    else:
                        imported = ImportedRow(
                            row.line, record.slug, record.name_ko, row.matched_by
                        )
                        (report.updated if row.existing else report.created).append(imported)
                if problems:
                    raise _RollBack
        except _RollBack:
            raise ImportRejected(problems) from None
        return report

    def write_row(self, row: CheckedRow[RecordT]) -> RecordT:
        if row.existing is None:
            return self.create(dict(row.arguments))
        arguments = {k: v for k, v in row.arguments.items() if k not in self.create_only}
        return self.update(row.existing, arguments)

    def service_problems(self, line: int, error: ValidationError) -> list[RowProblem]:
        """A service's reasons for refusing a row, each named by the field it is about."""
        messages = (
            error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        )
        problems = []
        for name, texts in messages.items():
            label = self.field_label(name)
            for text in texts:
                problems.append(RowProblem(line, f"{label}: {text}" if label else text))
        return problems

    def field_label(self, name: str) -> str:
        if name in ("__all__", "tags", "publications"):
            return {"tags": _("tags")}.get(name, "")
        try:
            return str(getattr(self.model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            return name


def header_key(header: str) -> str:
    """A header as compared: without case, spaces, hyphens or underscores."""
    return re.sub(r"[\s_\-]+", "", header.casefold())


def header_index(columns: Iterable[ImportColumn]) -> dict[str, str]:
    """Every accepted header (as ``header_key`` gives it) → its column's name."""
    return {header_key(header): column.name for column in columns for header in column.headers()}
