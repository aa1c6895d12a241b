"""A party to a match: an expert or an organisation, as one type.

Pages and the API name a party as ``person:12`` / ``organisation:3`` (forms) or by slug
(the API); services and selectors take a :class:`Party` and never work out by hand which
of the two it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sangsaeng.accounts.models import Membership, User
from sangsaeng.directory.models import Organisation, Person

Kind = Literal["person", "organisation"]
KINDS: tuple[Kind, ...] = ("person", "organisation")


@dataclass(frozen=True)
class Party:
    """An expert (a :class:`Person`) or an :class:`Organisation`, never both."""

    person: Person | None = None
    organisation: Organisation | None = None

    def __post_init__(self) -> None:
        if (self.person is None) == (self.organisation is None):
            raise ValueError("a party is exactly one of a person and an organisation")

    @classmethod
    def of(cls, record: Person | Organisation) -> Party:
        if isinstance(record, Person):
            return cls(person=record)
        return cls(organisation=record)

    @classmethod
    def from_match(cls, match: Any) -> Party:
        return cls(person=match.person, organisation=match.organisation)

    @staticmethod
    def parse(value: str) -> tuple[Kind, int]:
        """``"person:12"`` → ``("person", 12)``; anything else is a ``ValueError``."""
        kind, separator, pk = str(value).partition(":")
        if kind not in KINDS or not separator or not pk.isdigit():
            raise ValueError(f"not a party: {value!r}")
        return kind, int(pk)  # type: ignore[return-value]

    @property
    def record(self) -> Person | Organisation:
        record = self.person or self.organisation
        assert record is not None
        return record

    @property
    def kind(self) -> Kind:
        return "person" if self.person is not None else "organisation"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.record.pk}"

    @property
    def name(self) -> str:
        return str(self.record.name)

    @property
    def slug(self) -> str:
        return self.record.slug

    def get_absolute_url(self) -> str:
        return self.record.get_absolute_url()

    @property
    def lookup(self) -> dict[str, Any]:
        """The match fields that name this party: ``Match.objects.filter(need=n, **lookup)``."""
        return {self.kind: self.record}

    @property
    def home_organisation(self) -> Organisation | None:
        """The organisation itself, or the expert's organisation."""
        return self.organisation if self.person is None else self.person.organisation

    @property
    def account(self) -> User | None:
        """The expert's own account (organisations have none)."""
        return self.person.user if self.person is not None else None

    def answering_users(self) -> list[User]:
        """Who answers for this party: the expert, or the admins of the organisation.

        An expert without an account is answered for by their organisation's admins.
        """
        if self.person is not None and self.person.user_id is not None:
            return [self.person.user]  # type: ignore[list-item]
        organisation = self.home_organisation
        if organisation is None:
            return []
        return list(
            User.objects.filter(
                memberships__organisation=organisation, memberships__role=Membership.Role.ADMIN
            )
        )
