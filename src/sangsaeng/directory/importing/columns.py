"""The columns of an import file, and the kinds of value they hold.

Each column of a file is a small class (``organisations.py``, ``people.py``) built on one
of the kinds below: its ``name`` (the field, and the header the export writes), its
Korean ``aliases``, and from its kind how its text becomes a value (``clean``), where
that value goes among the service's arguments (``assign``) and how the export writes it
back (``export``). A cell that cannot be read raises ``ValidationError`` with the
translated reason; the importer adds the line number.

An empty cell is the kind's ``blank`` (an empty text, no year, no tags), so a file can
clear a field; a column the file does not have is ``KEEP``: the stored value stays (or,
for a new record, the service's default applies).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from typing import Any, ClassVar, Final

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email, validate_slug
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangsaeng.core.policy import AnyUser
from sangsaeng.directory import selectors
from sangsaeng.directory.keywords import normalise_keywords
from sangsaeng.directory.models import Organisation, TaxonomyTerm

LIST_SEPARATOR = ";"
YES = frozenset({"yes", "y", "true", "1", "예", "네", "공개", "o"})
NO = frozenset({"no", "n", "false", "0", "아니오", "아니요", "비공개", "x"})


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()
"""A column's value that says nothing: the record keeps what it has."""


class ImportContext:
    """What the columns of one import look up, each fetched once, as the importing user."""

    def __init__(self, actor: AnyUser) -> None:
        self.actor = actor

    @cached_property
    def taxonomy_codes(self) -> frozenset[str]:
        return frozenset(TaxonomyTerm.objects.values_list("code", flat=True))

    @cached_property
    def organisations_by_slug(self) -> dict[str, Organisation]:
        return {o.slug: o for o in selectors.organisations_visible_to(self.actor)}

    @cached_property
    def organisations_by_name(self) -> dict[str, list[Organisation]]:
        by_name: dict[str, list[Organisation]] = {}
        for organisation in self.organisations_by_slug.values():
            by_name.setdefault(organisation.name_ko, []).append(organisation)
        return by_name


class ImportColumn:
    """A column of an import file; subclasses give ``name`` and ``aliases``, and a kind."""

    name: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()
    # What a person calls the value in a message ("the same short name"); the name if unset.
    label: ClassVar[str | Promise] = ""
    # Set for a column that every row must fill: the reason given when a cell is empty.
    missing_message: ClassVar[str | Promise | None] = None
    # The value of an empty cell.
    blank: ClassVar[Any] = ""

    def headers(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def label_text(self) -> str:
        return str(self.label or self.name)

    def read(self, text: str, context: ImportContext) -> Any:
        """The value of a cell (already trimmed): ``blank`` when empty, else ``clean``."""
        if not text:
            if self.missing_message is not None:
                raise ValidationError(self.explained(str(self.missing_message)))
            return self.blank
        return self.clean(text, context)

    def clean(self, text: str, context: ImportContext) -> Any:
        """The value of a non-empty cell; ``ValidationError`` with the reason if it is bad."""
        return text

    def clean_absent(self, context: ImportContext) -> Any:
        """The value when the file has no such column: a column every row must fill fails."""
        return KEEP if self.missing_message is None else self.read("", context)

    def explained(self, message: str) -> str:
        """A reason, with what to write instead where the kind says it."""
        return message

    def assign(self, value: Any, arguments: dict[str, Any]) -> None:
        """Put a (non-``KEEP``) value among the keyword arguments of the service."""
        arguments[self.name] = value

    def export(self, record: Model) -> Any:
        """The cell the export writes for ``record``; importing it gives the same value."""
        value = getattr(record, self.name)
        return "" if value is None else value


# --- kinds of value -------------------------------------------------------------------


class TextColumn(ImportColumn):
    """Free text, kept as written (trimmed)."""


class BilingualTextColumn(TextColumn):
    """One language of a text kept in Korean and English side by side (``name_ko``/``name_en``)."""

    language: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__ and not cls.name.endswith(f"_{cls.language}"):
            raise TypeError(f"{cls.__name__}: a {cls.language} column is named *_{cls.language}")


class SlugColumn(ImportColumn):
    """A record's short name, as in its address: letters, digits, hyphens and underscores."""

    label = gettext_lazy("short name")

    def clean(self, text: str, context: ImportContext) -> str:
        try:
            validate_slug(text)
        except ValidationError:
            raise ValidationError(
                _("Bad short name “%(value)s”: use only letters, digits, hyphens and underscores.")
                % {"value": text}
            ) from None
        return text


class ChoiceColumn(ImportColumn):
    """One of a few values, written in English or Korean (``company``, ``기업``, ``Company``)."""

    choices: ClassVar[Mapping[str, str]]  # what a cell says (see ``choice_key``) → the value
    unknown_message: ClassVar[str | Promise]  # with %(value)s
    hint: ClassVar[str | Promise] = ""  # added to the reason: what to write instead

    def clean(self, text: str, context: ImportContext) -> str:
        value = self.choices.get(choice_key(text))
        if value is None:
            raise ValidationError(self.explained(str(self.unknown_message) % {"value": text}))
        return value

    def explained(self, message: str) -> str:
        return f"{message} {self.hint}" if self.hint else message


def choice_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


class IntegerColumn(ImportColumn):
    """A whole number of zero or more, such as a count of employees."""

    blank = None

    def clean(self, text: str, context: ImportContext) -> int:
        if not text.isdecimal():
            raise ValidationError(
                _("Bad number “%(value)s” in %(column)s: give a whole number of zero or more.")
                % {"value": text, "column": self.name}
            )
        return int(text)


class YearColumn(IntegerColumn):
    """A year between ``earliest`` and 2100."""

    earliest: ClassVar[int]
    latest: ClassVar[int] = 2100

    def clean(self, text: str, context: ImportContext) -> int:
        try:
            year = int(text)
        except ValueError:
            year = -1
        if not self.earliest <= year <= self.latest:
            raise ValidationError(
                _("Bad year “%(value)s” in %(column)s: give a year between %(first)d and 2100.")
                % {"value": text, "column": self.name, "first": self.earliest}
            )
        return year


class EmailColumn(ImportColumn):
    """An e-mail address."""

    label = gettext_lazy("e-mail")

    def clean(self, text: str, context: ImportContext) -> str:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(_("Bad e-mail address “%(value)s”.") % {"value": text}) from None
        return text


class UrlColumn(ImportColumn):
    """A full web address (https://…)."""

    def clean(self, text: str, context: ImportContext) -> str:
        try:
            URLValidator()(text)
        except ValidationError:
            raise ValidationError(
                _(
                    "Bad website address “%(value)s”: give a full address such as "
                    "https://example.kr."
                )
                % {"value": text}
            ) from None
        return text


class TaxonomyCodesColumn(ImportColumn):
    """Codes of the cluster's taxonomy separated by ";"; the list replaces the stored one."""

    blank = ()

    def clean(self, text: str, context: ImportContext) -> list[str]:
        codes = [code.strip() for code in text.split(LIST_SEPARATOR) if code.strip()]
        unknown = [code for code in codes if code not in context.taxonomy_codes]
        if unknown:
            raise ValidationError(
                _("Unknown capability codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return list(dict.fromkeys(codes))

    def export(self, record: Model) -> str:
        tags = getattr(record, self.name).all()
        return LIST_SEPARATOR.join(sorted(term.code for term in tags))


class OrganisationReferenceColumn(ImportColumn):
    """An organisation of the directory, by its short name or its exact Korean name."""

    blank = None

    def clean(self, text: str, context: ImportContext) -> Organisation:
        organisation = context.organisations_by_slug.get(text)
        if organisation is not None:
            return organisation
        candidates = context.organisations_by_name.get(text, [])
        if len(candidates) > 1:
            raise ValidationError(
                _("Several organisations are called “%(name)s”; give its short name instead.")
                % {"name": text}
            )
        if not candidates:
            raise ValidationError(
                _(
                    "Unknown organisation “%(value)s”: give its short name (slug) or its exact "
                    "Korean name."
                )
                % {"value": text}
            )
        return candidates[0]

    def export(self, record: Model) -> str:
        organisation = getattr(record, self.name)
        return organisation.slug if organisation else ""


class BooleanColumn(ImportColumn):
    """Yes or no, in English or Korean (예/아니오, 공개/비공개); an empty cell changes nothing."""

    blank = KEEP

    def clean(self, text: str, context: ImportContext) -> bool:
        flag = text.casefold()
        if flag in YES:
            return True
        if flag in NO:
            return False
        raise ValidationError(
            _("%(column)s must be yes or no, not “%(value)s”.")
            % {"column": self.name, "value": text}
        )

    def export(self, record: Model) -> str:
        return "yes" if getattr(record, self.name) else "no"


class KeywordListColumn(ImportColumn):
    """Keywords separated by ";" (or ","), trimmed and without repeats, in their order."""

    blank = ()

    def clean(self, text: str, context: ImportContext) -> list[str]:
        return normalise_keywords(text.replace(LIST_SEPARATOR, ","))

    def export(self, record: Model) -> str:
        return f"{LIST_SEPARATOR} ".join(getattr(record, self.name))


# --- columns both kinds of file have ---------------------------------------------------


class ShortName(SlugColumn):
    name = "slug"
    aliases = ("short_name", "약칭", "식별자")


class Capabilities(TaxonomyCodesColumn):
    name = "tags"
    aliases = ("역량", "역량 분류", "태그")
