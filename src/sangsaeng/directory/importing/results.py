"""What an import answers: the rows it added and updated, or every reason it imported nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


class ImportKind(StrEnum):
    ORGANISATIONS = "organisations"
    PEOPLE = "people"

    @property
    def label(self) -> str:
        if self is ImportKind.ORGANISATIONS:
            return pgettext("import kind", "organisations")
        return pgettext("import kind", "people")


@dataclass(frozen=True)
class RowProblem:
    """Why a row (or, with ``line`` None, the whole file) cannot be imported."""

    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


class ImportRejected(Exception):
    """Nothing was imported; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def file_error(message: str) -> ImportRejected:
    """A problem with the whole file rather than one of its rows."""
    return ImportRejected([RowProblem(None, message)])


@dataclass(frozen=True)
class ImportedRow:
    line: int
    slug: str
    name: str
    matched_by: str = ""  # for an update: "slug", "e-mail" or "Korean name"

    @property
    def matched_by_label(self) -> str:
        labels = {"slug": _("short name"), "e-mail": _("e-mail"), "Korean name": _("Korean name")}
        return labels.get(self.matched_by, self.matched_by)


@dataclass
class ImportReport:
    kind: ImportKind
    created: list[ImportedRow] = field(default_factory=list)
    updated: list[ImportedRow] = field(default_factory=list)

    def summary(self) -> str:
        return _("%(created)d added, %(updated)d updated (%(kind)s).") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "kind": self.kind_label,
        }

    @property
    def kind_label(self) -> str:
        return self.kind.label
