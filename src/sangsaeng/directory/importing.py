"""Import organisations and people from CSV or XLSX files, and export them in the same format.

An import is all or nothing: every row is checked first, and a file with any bad row
imports nothing and reports every bad row with its line number and the reason. Good
files go through the directory's services (validated, audited with the operator as
actor) inside one transaction. A row whose short name (``slug``) — or, for people, whose
e-mail, or for organisations whose Korean name — matches an existing record updates it
instead of adding a duplicate; the report says which rows were added and which updated.

The columns are documented in ``docs/operators.md``; each has an English name (what the
export writes) and Korean aliases (``name_ko`` or ``이름(국문)``).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import URLValidator, validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sangsaeng.accounts.models import User
from sangsaeng.core.audit import acting_as
from sangsaeng.core.policy import Action, AnyUser, require, restrict
from sangsaeng.directory import services
from sangsaeng.directory.keywords import normalise_keywords
from sangsaeng.directory.models import Organisation, Person, TaxonomyTerm

LIST_SEPARATOR = ";"
MAX_ROWS = 20_000
# Spreadsheet programs run cells that start with these as formulas; exports quote them.
FORMULA_STARTS = ("=", "+", "-", "@")


class ImportKind(StrEnum):
    ORGANISATIONS = "organisations"
    PEOPLE = "people"


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True)
class Column:
    """A column of an import file: its field, the header the export writes, and aliases."""

    name: str
    aliases: tuple[str, ...] = ()

    def headers(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


ORGANISATION_COLUMNS = (
    Column("slug", ("short_name", "약칭", "식별자")),
    Column("kind", ("유형", "기관 유형", "종류")),
    Column("name_ko", ("이름(국문)", "기관명(국문)", "국문 이름", "국문명")),
    Column("name_en", ("이름(영문)", "기관명(영문)", "영문 이름", "영문명")),
    Column("description_ko", ("소개(국문)", "설명(국문)")),
    Column("description_en", ("소개(영문)", "설명(영문)")),
    Column("website", ("웹사이트", "홈페이지")),
    Column("address", ("주소",)),
    Column("city", ("도시", "시군구")),
    Column("established_year", ("설립연도", "설립 연도")),
    Column("employee_count", ("직원 수", "임직원 수")),
    Column("tags", ("역량", "역량 분류", "태그")),
)
PEOPLE_COLUMNS = (
    Column("slug", ("short_name", "약칭", "식별자")),
    Column("kind", ("구분", "유형")),
    Column("name_ko", ("이름(국문)", "성명(국문)", "국문 이름")),
    Column("name_en", ("이름(영문)", "성명(영문)", "영문 이름")),
    Column("position_ko", ("직위(국문)", "직책(국문)")),
    Column("position_en", ("직위(영문)", "직책(영문)")),
    Column("email", ("e-mail", "이메일", "전자우편")),
    Column("organisation", ("organization", "소속", "소속 기관", "기관")),
    Column("profile_text", ("profile", "프로필", "소개")),
    Column("expertise_keywords", ("keywords", "키워드", "전문 분야 키워드")),
    Column("tags", ("역량", "역량 분류", "태그")),
    Column("is_public", ("공개", "공개 여부")),
    Column("study_program", ("전공·과정", "학위과정", "전공")),
    Column("graduation_year", ("졸업연도", "졸업 연도")),
)
COLUMNS = {ImportKind.ORGANISATIONS: ORGANISATION_COLUMNS, ImportKind.PEOPLE: PEOPLE_COLUMNS}
# Columns only one kind of file has: they tell the kinds apart when none is given.
PEOPLE_ONLY = {"position_ko", "position_en", "email", "organisation", "profile_text"} | {
    "expertise_keywords",
    "is_public",
    "study_program",
    "graduation_year",
}
ORGANISATIONS_ONLY = {"description_ko", "description_en", "website", "address", "city"} | {
    "established_year",
    "employee_count",
}

ORGANISATION_KINDS = {
    "company": Organisation.Kind.COMPANY,
    "기업": Organisation.Kind.COMPANY,
    "회사": Organisation.Kind.COMPANY,
    "university": Organisation.Kind.UNIVERSITY,
    "대학": Organisation.Kind.UNIVERSITY,
    "대학교": Organisation.Kind.UNIVERSITY,
    "research_institute": Organisation.Kind.RESEARCH_INSTITUTE,
    "연구기관": Organisation.Kind.RESEARCH_INSTITUTE,
    "연구소": Organisation.Kind.RESEARCH_INSTITUTE,
    "government": Organisation.Kind.GOVERNMENT,
    "정부": Organisation.Kind.GOVERNMENT,
    "지자체": Organisation.Kind.GOVERNMENT,
    "공공기관": Organisation.Kind.GOVERNMENT,
    "support_agency": Organisation.Kind.SUPPORT_AGENCY,
    "지원기관": Organisation.Kind.SUPPORT_AGENCY,
}
PERSON_KINDS = {
    "expert": Person.Kind.EXPERT,
    "전문가": Person.Kind.EXPERT,
    "student": Person.Kind.STUDENT,
    "학생": Person.Kind.STUDENT,
}
YES = {"yes", "y", "true", "1", "예", "네", "공개", "o"}
NO = {"no", "n", "false", "0", "아니오", "아니요", "비공개", "x"}


# --- results and errors ---------------------------------------------------------------


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
        if self.kind == ImportKind.ORGANISATIONS:
            return pgettext("import kind", "organisations")
        return pgettext("import kind", "people")


# --- reading files ----------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)


def _file_error(message: str) -> ImportRejected:
    return ImportRejected([RowProblem(None, message)])


def read_table(content: bytes, filename: str) -> Table:
    """The header and rows of a CSV or XLSX file; any unreadable file is a clear error."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xls":
        raise _file_error(
            _("Old Excel (.xls) files cannot be read. Save the file as .xlsx or as CSV UTF-8.")
        )
    if extension not in ("csv", "xlsx"):
        raise _file_error(
            _("“%(name)s” is not a CSV or XLSX file. Upload a .csv or .xlsx file.")
            % {"name": filename}
        )
    if not content.strip(b"\xef\xbb\xbf \t\r\n"):
        raise _file_error(_("The file is empty."))
    table = _read_xlsx(content) if extension == "xlsx" else _read_csv(content)
    while table.headers and not table.headers[-1]:
        table.headers.pop()
    if not any(table.headers):
        raise _file_error(_("The file has no column headers in its first row."))
    if not table.rows:
        raise _file_error(_("The file has column headers but no rows to import."))
    if len(table.rows) > MAX_ROWS:
        raise _file_error(
            _("The file has %(n)d rows; import at most %(max)d at a time.")
            % {"n": len(table.rows), "max": MAX_ROWS}
        )
    return table


def _read_csv(content: bytes) -> Table:
    if content.startswith(b"PK\x03\x04"):
        raise _file_error(
            _(
                "This file is an Excel workbook, not CSV text. "
                "Name it .xlsx or save it as CSV UTF-8."
            )
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise _file_error(
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
        raise _file_error(
            _("The CSV file is malformed near line %(line)d: %(reason)s")
            % {"line": reader.line_num, "reason": error}
        ) from error
    if not records:
        raise _file_error(_("The file is empty."))
    headers = [cell.strip() for cell in records[0][1]]
    rows = [(number, cells) for number, cells in records[1:] if any(c.strip() for c in cells)]
    return Table(headers, rows)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    if not content.startswith(b"PK\x03\x04"):
        raise _file_error(
            _("This file is not a valid XLSX workbook. Save it again from Excel as .xlsx.")
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        records = [
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        workbook.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError) as error:
        raise _file_error(
            _("This XLSX workbook is damaged and cannot be read (%(reason)s).")
            % {"reason": error.__class__.__name__}
        ) from error
    if not records or not any(records[0][1]):
        raise _file_error(_("The file is empty."))
    headers = [cell.strip() for cell in records[0][1]]
    rows = [(number, cells) for number, cells in records[1:] if any(c.strip() for c in cells)]
    return Table(headers, rows)


def _cell_text(value: Any) -> str:
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


def _header_key(header: str) -> str:
    return re.sub(r"[\s_\-]+", "", header.casefold())


def _header_index(columns: Iterable[Column]) -> dict[str, str]:
    return {_header_key(header): column.name for column in columns for header in column.headers()}


def guess_kind(table: Table) -> ImportKind | None:
    """Which kind of file this is, from its columns or else its kind values; None if unclear."""
    known = _header_index(ORGANISATION_COLUMNS) | _header_index(PEOPLE_COLUMNS)
    fields = [known.get(_header_key(header)) for header in table.headers]
    people, organisations = bool(set(fields) & PEOPLE_ONLY), bool(set(fields) & ORGANISATIONS_ONLY)
    if people != organisations:
        return ImportKind.PEOPLE if people else ImportKind.ORGANISATIONS
    if "kind" in fields:
        position = fields.index("kind")
        kinds = {_kind_key(cells[position]) for _, cells in table.rows if position < len(cells)} - {
            ""
        }
        if kinds and kinds <= ORGANISATION_KINDS.keys():
            return ImportKind.ORGANISATIONS
        if kinds and kinds <= PERSON_KINDS.keys():
            return ImportKind.PEOPLE
    return None


def _kind_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


def _map_headers(headers: Sequence[str], kind: ImportKind) -> dict[int, str]:
    """Column position → field name; unknown or repeated columns are a file error."""
    index = _header_index(COLUMNS[kind])
    mapping: dict[int, str] = {}
    problems = []
    for position, header in enumerate(headers):
        if not header:
            continue
        name = index.get(_header_key(header))
        if name is None:
            problems.append(
                _("Unknown column “%(header)s”. The columns for %(kind)s are: %(columns)s.")
                % {
                    "header": header,
                    "kind": pgettext("import kind", "organisations")
                    if kind == ImportKind.ORGANISATIONS
                    else pgettext("import kind", "people"),
                    "columns": ", ".join(column.name for column in COLUMNS[kind]),
                }
            )
        elif name in mapping.values():
            problems.append(_("The column %(name)s appears twice.") % {"name": name})
        else:
            mapping[position] = name
    if "name_ko" not in mapping.values():
        problems.append(_("The file has no name_ko (이름(국문)) column; it is required."))
    if problems:
        raise ImportRejected([RowProblem(1, problem) for problem in problems])
    return mapping


# --- checking rows ----------------------------------------------------------------------


@dataclass
class _Plan:
    """What to do with one good row."""

    line: int
    values: dict[str, Any]
    tags: list[str] | None
    slug: str
    existing: Organisation | Person | None = None
    matched_by: str = ""
    organisation: Organisation | None = None


class _RowChecker:
    """Turns the text of one row into typed values, collecting every problem of the row."""

    def __init__(self, line: int, cells: Mapping[str, str], tag_codes: set[str]) -> None:
        self.line = line
        self.cells = cells
        self.tag_codes = tag_codes
        self.problems: list[RowProblem] = []

    def fail(self, message: str) -> None:
        self.problems.append(RowProblem(self.line, message))

    def text(self, name: str) -> str:
        value = self.cells.get(name, "").strip()
        # Undo the quote an export puts before formula-like text.
        if value.startswith("'") and value[1:2] in FORMULA_STARTS:
            value = value[1:]
        return value

    def has(self, name: str) -> bool:
        return name in self.cells

    def year(self, name: str, label: str, earliest: int) -> int | None:
        raw = self.text(name)
        if not raw:
            return None
        try:
            year = int(raw)
        except ValueError:
            year = -1
        if not earliest <= year <= 2100:
            self.fail(
                _("Bad year “%(value)s” in %(column)s: give a year between %(first)d and 2100.")
                % {"value": raw, "column": label, "first": earliest}
            )
            return None
        return year

    def count(self, name: str) -> int | None:
        raw = self.text(name)
        if not raw:
            return None
        if not raw.isdigit():
            self.fail(
                _("Bad number “%(value)s” in %(column)s: give a whole number of zero or more.")
                % {"value": raw, "column": name}
            )
            return None
        return int(raw)

    def tags(self) -> list[str] | None:
        if not self.has("tags"):
            return None
        codes = [code.strip() for code in self.text("tags").split(LIST_SEPARATOR) if code.strip()]
        unknown = [code for code in codes if code not in self.tag_codes]
        if unknown:
            self.fail(_("Unknown capability codes: %(codes)s.") % {"codes": ", ".join(unknown)})
        return list(dict.fromkeys(codes))

    def slug(self) -> str:
        slug = self.text("slug")
        if slug:
            try:
                validate_slug(slug)
            except ValidationError:
                self.fail(
                    _(
                        "Bad short name “%(value)s”: use only letters, digits, hyphens and "
                        "underscores."
                    )
                    % {"value": slug}
                )
        return slug

    def korean_name(self, missing: str) -> str:
        name = self.text("name_ko")
        if not name:
            self.fail(missing)
        return name


def _cells(headers: Mapping[int, str], cells: Sequence[str]) -> dict[str, str]:
    return {name: (cells[i] if i < len(cells) else "") for i, name in headers.items()}


def _check_organisation_rows(table: Table, headers: dict[int, str]) -> list[_Plan]:
    tag_codes = set(TaxonomyTerm.objects.values_list("code", flat=True))
    existing_by_slug = {o.slug: o for o in Organisation.objects.all()}
    existing_by_name: dict[str, list[Organisation]] = {}
    for organisation in existing_by_slug.values():
        existing_by_name.setdefault(organisation.name_ko, []).append(organisation)
    plans, problems = [], []
    seen: dict[str, int] = {}
    for line, raw_cells in table.rows:
        row = _RowChecker(line, _cells(headers, raw_cells), tag_codes)
        values: dict[str, Any] = {}
        slug = row.slug()
        values["name_ko"] = row.korean_name(_("The Korean name (name_ko) is missing."))
        kind_text = row.text("kind")
        kind = ORGANISATION_KINDS.get(_kind_key(kind_text))
        if kind is None:
            row.fail(
                (
                    _("Unknown kind “%(value)s”.") % {"value": kind_text}
                    if kind_text
                    else _("The kind is missing.")
                )
                + " "
                + _("Use company, university, research_institute, government or support_agency.")
            )
        values["kind"] = kind
        for name in ("name_en", "description_ko", "description_en", "address", "city"):
            if row.has(name):
                values[name] = row.text(name)
        if row.has("website"):
            website = row.text("website")
            if website:
                try:
                    URLValidator()(website)
                except ValidationError:
                    row.fail(
                        _(
                            "Bad website address “%(value)s”: give a full address such as "
                            "https://example.kr."
                        )
                        % {"value": website}
                    )
            values["website"] = website
        if row.has("established_year"):
            values["established_year"] = row.year(
                "established_year", "established_year", earliest=1800
            )
        if row.has("employee_count"):
            values["employee_count"] = row.count("employee_count")
        tags = row.tags()
        key = slug or values["name_ko"]
        if key and key.casefold() in seen:
            row.fail(
                _("Duplicate within the file: line %(other)d has the same %(what)s “%(value)s”.")
                % {
                    "other": seen[key.casefold()],
                    "what": _("short name") if slug else _("Korean name"),
                    "value": key,
                }
            )
        elif key:
            seen[key.casefold()] = line
        plan = _Plan(line=line, values=values, tags=tags, slug=slug)
        if slug and slug in existing_by_slug:
            plan.existing, plan.matched_by = existing_by_slug[slug], "slug"
        elif not slug and values["name_ko"]:
            same_name = existing_by_name.get(values["name_ko"], [])
            if len(same_name) > 1:
                row.fail(
                    _(
                        "Several organisations are called “%(name)s”; add a slug column to say "
                        "which one."
                    )
                    % {"name": values["name_ko"]}
                )
            elif same_name:
                plan.existing, plan.matched_by = same_name[0], "Korean name"
        problems += row.problems
        plans.append(plan)
    if problems:
        raise ImportRejected(problems)
    return plans


def _check_people_rows(table: Table, headers: dict[int, str]) -> list[_Plan]:
    tag_codes = set(TaxonomyTerm.objects.values_list("code", flat=True))
    organisations = list(Organisation.objects.all())
    by_slug = {o.slug: o for o in organisations}
    by_name: dict[str, list[Organisation]] = {}
    for known in organisations:
        by_name.setdefault(known.name_ko, []).append(known)
    people_by_slug = {p.slug: p for p in Person.objects.all()}
    people_by_email: dict[str, list[Person]] = {}
    for person in people_by_slug.values():
        if person.email:
            people_by_email.setdefault(person.email.casefold(), []).append(person)
    plans, problems = [], []
    seen_slugs: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for line, raw_cells in table.rows:
        row = _RowChecker(line, _cells(headers, raw_cells), tag_codes)
        values: dict[str, Any] = {}
        slug = row.slug()
        values["name_ko"] = row.korean_name(_("The Korean name (name_ko) is missing."))
        kind_text = row.text("kind")
        kind = PERSON_KINDS.get(_kind_key(kind_text)) if kind_text else Person.Kind.EXPERT
        if kind is None:
            row.fail(_("Unknown kind “%(value)s”. Use expert or student.") % {"value": kind_text})
        values["kind"] = kind
        for name in ("name_en", "position_ko", "position_en", "profile_text", "study_program"):
            if row.has(name):
                values[name] = row.text(name)
        email = row.text("email")
        if row.has("email"):
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    row.fail(_("Bad e-mail address “%(value)s”.") % {"value": email})
            values["email"] = email
        if row.has("expertise_keywords"):
            values["expertise_keywords"] = normalise_keywords(
                row.text("expertise_keywords").replace(LIST_SEPARATOR, ",")
            )
        if row.has("is_public"):
            flag = row.text("is_public").casefold()
            if flag in YES:
                values["is_public"] = True
            elif flag in NO:
                values["is_public"] = False
            elif flag:
                row.fail(
                    _("is_public must be yes or no, not “%(value)s”.")
                    % {"value": row.text("is_public")}
                )
        if row.has("graduation_year"):
            values["graduation_year"] = row.year("graduation_year", "graduation_year", 1950)
        organisation: Organisation | None = None
        organisation_text = row.text("organisation")
        if organisation_text:
            organisation = by_slug.get(organisation_text)
            candidates = [] if organisation else by_name.get(organisation_text, [])
            if len(candidates) == 1:
                organisation = candidates[0]
            elif len(candidates) > 1:
                row.fail(
                    _("Several organisations are called “%(name)s”; give its short name instead.")
                    % {"name": organisation_text}
                )
            elif organisation is None:
                row.fail(
                    _(
                        "Unknown organisation “%(value)s”: give its short name (slug) or its exact "
                        "Korean name."
                    )
                    % {"value": organisation_text}
                )
        tags = row.tags()
        if slug and slug in seen_slugs:
            row.fail(
                _("Duplicate within the file: line %(other)d has the same %(what)s “%(value)s”.")
                % {"other": seen_slugs[slug], "what": _("short name"), "value": slug}
            )
        elif slug:
            seen_slugs[slug] = line
        if email and email.casefold() in seen_emails:
            row.fail(
                _("Duplicate within the file: line %(other)d has the same %(what)s “%(value)s”.")
                % {"other": seen_emails[email.casefold()], "what": _("e-mail"), "value": email}
            )
        elif email:
            seen_emails[email.casefold()] = line
        plan = _Plan(line=line, values=values, tags=tags, slug=slug, organisation=organisation)
        if slug and slug in people_by_slug:
            plan.existing, plan.matched_by = people_by_slug[slug], "slug"
        elif not slug and email:
            same_email = people_by_email.get(email.casefold(), [])
            if len(same_email) > 1:
                row.fail(
                    _(
                        "Several people have the e-mail “%(value)s”; add a slug column to say "
                        "which one."
                    )
                    % {"value": email}
                )
            elif same_email:
                plan.existing, plan.matched_by = same_email[0], "e-mail"
        if plan.existing is not None and kind and plan.existing.kind != kind:
            row.fail(
                _("“%(slug)s” is recorded as %(recorded)s, but this row says %(given)s.")
                % {
                    "slug": plan.existing.slug,
                    "recorded": plan.existing.get_kind_display(),
                    "given": Person.Kind(kind).label,
                }
            )
        problems += row.problems
        plans.append(plan)
    if problems:
        raise ImportRejected(problems)
    return plans


# --- writing ----------------------------------------------------------------------------


def _field_label(model: type[Organisation | Person], name: str) -> str:
    if name in ("__all__", "tags", "publications"):
        return {"tags": _("tags")}.get(name, "")
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def _service_problems(
    line: int, error: ValidationError, model: type[Organisation | Person]
) -> list[RowProblem]:
    messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    problems = []
    for name, texts in messages.items():
        label = _field_label(model, name)
        for text in texts:
            problems.append(RowProblem(line, f"{label}: {text}" if label else text))
    return problems


def _set_slug(actor: User, record: Organisation | Person, slug: str) -> None:
    if slug and record.slug != slug:
        record.slug = slug
        with acting_as(actor):
            record.save(update_fields=["slug", "updated_at"])


def _apply_organisation(actor: User, plan: _Plan, report: ImportReport) -> None:
    values = dict(plan.values)
    if isinstance(plan.existing, Organisation):
        organisation = services.organisation_update(
            actor=actor, organisation=plan.existing, tags=plan.tags, **values
        )
        report.updated.append(
            ImportedRow(plan.line, organisation.slug, organisation.name_ko, plan.matched_by)
        )
        return
    organisation = services.organisation_create(actor=actor, tags=plan.tags or (), **values)
    _set_slug(actor, organisation, plan.slug)
    report.created.append(ImportedRow(plan.line, organisation.slug, organisation.name_ko))


def _apply_person(actor: User, plan: _Plan, report: ImportReport) -> None:
    values = dict(plan.values)
    kind = values.pop("kind")
    if isinstance(plan.existing, Person):
        person = services.person_update(actor=actor, person=plan.existing, tags=plan.tags, **values)
        if person.organisation_id != (plan.organisation.pk if plan.organisation else None):
            person.organisation = plan.organisation
            with acting_as(actor):
                person.save(update_fields=["organisation", "updated_at"])
        report.updated.append(ImportedRow(plan.line, person.slug, person.name_ko, plan.matched_by))
        return
    person = services.person_create(
        actor=actor, organisation=plan.organisation, kind=kind, tags=plan.tags or (), **values
    )
    _set_slug(actor, person, plan.slug)
    report.created.append(ImportedRow(plan.line, person.slug, person.name_ko))


class _RollBack(Exception):
    pass


def import_directory(
    *, actor: AnyUser, content: bytes, filename: str, kind: str | None = None
) -> ImportReport:
    """Import every row of the file, or nothing (raising ``ImportRejected`` with every reason)."""
    require(actor, Action.IMPORT, Organisation)
    assert isinstance(actor, User)
    table = read_table(content, filename)
    if kind:
        import_kind = ImportKind(kind)
    else:
        guessed = guess_kind(table)
        if guessed is None:
            raise _file_error(
                _(
                    "Cannot tell from the columns whether the file holds organisations or people; "
                    "choose which."
                )
            )
        import_kind = guessed
    headers = _map_headers(table.headers, import_kind)
    organisations = import_kind == ImportKind.ORGANISATIONS
    plans = (
        _check_organisation_rows(table, headers)
        if organisations
        else _check_people_rows(table, headers)
    )
    apply: Callable[[User, _Plan, ImportReport], None] = (
        _apply_organisation if organisations else _apply_person
    )
    model: type[Organisation | Person] = Organisation if organisations else Person
    report = ImportReport(kind=import_kind)
    problems: list[RowProblem] = []
    try:
        with transaction.atomic():
            for plan in plans:
                try:
                    with transaction.atomic():
                        apply(actor, plan, report)
                except ValidationError as error:
                    problems += _service_problems(plan.line, error, model)
                except IntegrityError:
                    problems.append(
                        RowProblem(
                            plan.line,
                            _("The short name “%(slug)s” is already used by another record.")
                            % {"slug": plan.slug},
                        )
                    )
            if problems:
                raise _RollBack
    except _RollBack:
        raise ImportRejected(problems) from None
    return report


# --- export -----------------------------------------------------------------------------


def _joined(values: Iterable[str]) -> str:
    return f"{LIST_SEPARATOR} ".join(values) if values else ""


def export_rows(*, actor: AnyUser, kind: str) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of an export; re-importing them updates the same records."""
    require(actor, Action.IMPORT, Organisation)
    export_kind = ImportKind(kind)
    headers = [column.name for column in COLUMNS[export_kind]]
    rows: list[list[Any]] = []
    if export_kind == ImportKind.ORGANISATIONS:
        organisations = restrict(Organisation.objects.all(), actor, Action.VIEW)
        for organisation in organisations.prefetch_related("tags").order_by("slug"):
            values = {name: getattr(organisation, name) for name in headers if name != "tags"}
            values["tags"] = ";".join(sorted(term.code for term in organisation.tags.all()))
            rows.append([values[name] for name in headers])
    else:
        people = restrict(Person.objects.all(), actor, Action.VIEW)
        for person in (
            people.select_related("organisation").prefetch_related("tags").order_by("slug")
        ):
            values = {
                name: getattr(person, name)
                for name in headers
                if name not in ("tags", "organisation", "expertise_keywords", "is_public")
            }
            values["organisation"] = person.organisation.slug if person.organisation else ""
            values["expertise_keywords"] = _joined(person.expertise_keywords)
            values["tags"] = ";".join(sorted(term.code for term in person.tags.all()))
            values["is_public"] = "yes" if person.is_public else "no"
            rows.append([values[name] for name in headers])
    return headers, [[("" if value is None else value) for value in row] for row in rows]


def export_directory(*, actor: AnyUser, kind: str, file_format: str) -> bytes:
    """Organisations or people as CSV (UTF-8 with a BOM, so Excel reads Korean) or XLSX."""
    headers, rows = export_rows(actor=actor, kind=kind)
    if FileFormat(file_format) == FileFormat.CSV:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_quote_formula(value) for value in row])
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


def _quote_formula(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_filename(kind: str, file_format: str) -> str:
    return f"sangsaeng-{ImportKind(kind)}-{datetime.date.today():%Y%m%d}.{FileFormat(file_format)}"
