"""The capability taxonomy as a data file: read, check and load it (idempotently, by code).

A cluster describes its capabilities in a JSON file::

    {"name": "...", "terms": [
        {"code": "ai", "name_ko": "인공지능", "name_en": "Artificial intelligence",
         "description_ko": "...", "description_en": "...",
         "children": [{"code": "npu", "name_ko": "...", "name_en": "..."}]}
    ]}

Loading updates existing terms matched by ``code``, adds new ones and leaves terms that
are not in the file alone (organisations and people may be tagged with them). A file
with any problem changes nothing; the error lists every problem and names its entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from sangsaeng.core.policy import Action, AnyUser, require
from sangsaeng.directory.models import TaxonomyTerm

DEFAULT_TAXONOMY_FILE = Path(__file__).resolve().parent / "data" / "taxonomy_ai_fabless.json"

TEXT_FIELDS = ("name_ko", "name_en", "description_ko", "description_en")
REQUIRED_FIELDS = ("code", "name_ko", "name_en")
ALLOWED_KEYS = frozenset({"code", *TEXT_FIELDS, "children"})
MAX_LENGTHS = {"code": 80, "name_ko": 200, "name_en": 200}


class TaxonomyFileError(ValueError):
    """A taxonomy file that cannot be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class TaxonomyEntry:
    """One term as the file describes it, in file order (parents before their children)."""

    code: str
    parent_code: str | None
    name_ko: str
    name_en: str
    description_ko: str = ""
    description_en: str = ""


@dataclass
class TaxonomyChanges:
    """What a load did: codes created, codes updated (with the fields that changed), and so on."""

    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary_lines(self) -> list[str]:
        lines = [
            _("%(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "created": len(self.created),
                "updated": len(self.updated),
                "unchanged": len(self.unchanged),
            }
        ]
        lines += [_("created: %(code)s") % {"code": code} for code in self.created]
        lines += [
            _("updated: %(code)s (%(fields)s)") % {"code": code, "fields": ", ".join(fields)}
            for code, fields in self.updated.items()
        ]
        if self.not_in_file:
            lines.append(
                _("Kept, though not in the file: %(codes)s")
                % {"codes": ", ".join(self.not_in_file)}
            )
        return lines


def read_taxonomy_file(path: str | Path) -> list[TaxonomyEntry]:
    """The entries of a taxonomy JSON file, or ``TaxonomyFileError`` saying what is wrong."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TaxonomyFileError(
            [_("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}]
        ) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TaxonomyFileError([_("%(path)s is not UTF-8 text.") % {"path": path.name}]) from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TaxonomyFileError(
            [
                _("%(path)s is not valid JSON (line %(line)d, column %(column)d: %(reason)s).")
                % {
                    "path": path.name,
                    "line": error.lineno,
                    "column": error.colno,
                    "reason": error.msg,
                }
            ]
        ) from error
    return parse_taxonomy(data)


def parse_taxonomy(data: Any) -> list[TaxonomyEntry]:
    """Check the whole structure; every problem is reported at once, naming its entry."""
    terms = data.get("terms") if isinstance(data, dict) else data
    if not isinstance(terms, list) or not terms:
        raise TaxonomyFileError([_('The file must hold a non-empty list of terms under "terms".')])
    problems: list[str] = []
    entries: list[TaxonomyEntry] = []
    first_seen: dict[str, str] = {}
    for where, raw, parent_code in _walk(terms, "terms", None, problems):
        code = raw.get("code")
        label = _("entry %(where)s") % {"where": where}
        if isinstance(code, str) and code:
            label = _('entry %(where)s (code "%(code)s")') % {"where": where, "code": code}
        entry_problems = _entry_problems(raw)
        if isinstance(code, str) and code:
            if code in first_seen:
                entry_problems.append(
                    _("the code is already used by %(other)s") % {"other": first_seen[code]}
                )
            else:
                first_seen[code] = where
        if entry_problems:
            problems.extend(f"{label}: {problem}" for problem in entry_problems)
            continue
        entries.append(
            TaxonomyEntry(
                code=str(code),
                parent_code=parent_code,
                **{name: str(raw.get(name) or "").strip() for name in TEXT_FIELDS},
            )
        )
    if problems:
        raise TaxonomyFileError(problems)
    return entries


def _walk(
    items: list[Any], where: str, parent_code: str | None, problems: list[str]
) -> Iterator[tuple[str, dict[str, Any], str | None]]:
    """Depth-first over the nested entries, parents before their children."""
    for index, raw in enumerate(items):
        position = f"{where}[{index}]"
        if not isinstance(raw, dict):
            problems.append(
                _("entry %(where)s: must be an object with a code and names") % {"where": position}
            )
            continue
        yield position, raw, parent_code
        children = raw.get("children", [])
        if not isinstance(children, list):
            problems.append(_('entry %(where)s: "children" must be a list') % {"where": position})
            continue
        code = raw.get("code")
        yield from _walk(
            children, f"{position}.children", code if isinstance(code, str) else None, problems
        )


def _entry_problems(raw: dict[str, Any]) -> list[str]:
    problems = []
    unknown = sorted(set(raw) - ALLOWED_KEYS)
    if unknown:
        problems.append(
            _("unknown fields %(fields)s (allowed: %(allowed)s)")
            % {"fields": ", ".join(unknown), "allowed": ", ".join(sorted(ALLOWED_KEYS))}
        )
    for name in REQUIRED_FIELDS:
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(_("%(field)s is missing") % {"field": name})
        elif name in MAX_LENGTHS and len(value.strip()) > MAX_LENGTHS[name]:
            problems.append(
                _("%(field)s is longer than %(n)d characters")
                % {"field": name, "n": MAX_LENGTHS[name]}
            )
    for name in ("description_ko", "description_en"):
        if name in raw and not isinstance(raw[name], str):
            problems.append(_("%(field)s must be text") % {"field": name})
    code = raw.get("code")
    if isinstance(code, str) and code.strip():
        try:
            validate_slug(code)
        except ValidationError:
            problems.append(
                _('code "%(code)s" may hold only letters, digits, hyphens and underscores')
                % {"code": code}
            )
    return problems


@transaction.atomic
def load_taxonomy(
    entries: Sequence[TaxonomyEntry], *, actor: AnyUser | None = None
) -> TaxonomyChanges:
    """Create or update every entry by code; report what changed.

    ``actor`` is checked against the policy when given (a page); the command line runs
    as the operator of the installation and passes none.
    """
    if actor is not None:
        require(actor, Action.CREATE, TaxonomyTerm)
    existing = {term.code: term for term in TaxonomyTerm.objects.select_related("parent")}
    changes = TaxonomyChanges()
    saved: dict[str, TaxonomyTerm] = {}
    for order, entry in enumerate(entries, start=1):
        parent = saved[entry.parent_code] if entry.parent_code else None
        wanted = {name: getattr(entry, name) for name in TEXT_FIELDS}
        wanted["order"] = order
        term = existing.get(entry.code)
        if term is None:
            term = TaxonomyTerm.objects.create(code=entry.code, parent=parent, **wanted)
            changes.created.append(entry.code)
        else:
            changed_fields = [
                name for name, value in wanted.items() if getattr(term, name) != value
            ]
            if term.parent_id != (parent.pk if parent else None):
                changed_fields.append("parent")
            if changed_fields:
                for name, value in wanted.items():
                    setattr(term, name, value)
                term.parent = parent
                term.save()
                # Order alone moves when a term is inserted earlier; that is not news to report.
                reported = [name for name in changed_fields if name != "order"]
                if reported:
                    changes.updated[entry.code] = reported
                else:
                    changes.unchanged.append(entry.code)
            else:
                changes.unchanged.append(entry.code)
        saved[entry.code] = term
    changes.not_in_file = sorted(set(existing) - set(saved))
    return changes
