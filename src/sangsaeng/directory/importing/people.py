"""The columns of a people file (experts and students), and how its rows become people.

A row whose short name matches a stored person updates them; a row without a short name
updates the person with the same e-mail address, if there is exactly one. Import never
changes whether a person is an expert or a student.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangsaeng.directory import services
from sangsaeng.directory.importing.columns import (
    BilingualTextColumn,
    BooleanColumn,
    Capabilities,
    ChoiceColumn,
    EmailColumn,
    KeywordListColumn,
    OrganisationReferenceColumn,
    ShortName,
    TextColumn,
    YearColumn,
)
from sangsaeng.directory.importing.importer import (
    CheckedRow,
    DirectoryImporter,
    Identity,
    UniqueWithinFile,
)
from sangsaeng.directory.importing.results import ImportKind
from sangsaeng.directory.models import Person

PERSON_KINDS = {
    "expert": Person.Kind.EXPERT,
    "전문가": Person.Kind.EXPERT,
    "student": Person.Kind.STUDENT,
    "학생": Person.Kind.STUDENT,
}


class PersonKind(ChoiceColumn):
    name = "kind"
    aliases = ("구분", "유형")
    choices = PERSON_KINDS
    blank = Person.Kind.EXPERT
    unknown_message = gettext_lazy("Unknown kind “%(value)s”. Use expert or student.")


class PersonNameKo(BilingualTextColumn):
    name = "name_ko"
    language = "ko"
    aliases = ("이름(국문)", "성명(국문)", "국문 이름")
    label = gettext_lazy("Korean name")
    missing_message = gettext_lazy("The Korean name (name_ko) is missing.")


class PersonNameEn(BilingualTextColumn):
    name = "name_en"
    language = "en"
    aliases = ("이름(영문)", "성명(영문)", "영문 이름")


class PositionKo(BilingualTextColumn):
    name = "position_ko"
    language = "ko"
    aliases = ("직위(국문)", "직책(국문)")


class PositionEn(BilingualTextColumn):
    name = "position_en"
    language = "en"
    aliases = ("직위(영문)", "직책(영문)")


class Email(EmailColumn):
    name = "email"
    aliases = ("e-mail", "이메일", "전자우편")


class Affiliation(OrganisationReferenceColumn):
    name = "organisation"
    aliases = ("organization", "소속", "소속 기관", "기관")


class ProfileText(TextColumn):
    name = "profile_text"
    aliases = ("profile", "프로필", "소개")


class ExpertiseKeywords(KeywordListColumn):
    name = "expertise_keywords"
    aliases = ("keywords", "키워드", "전문 분야 키워드")


class Listed(BooleanColumn):
    name = "is_public"
    aliases = ("공개", "공개 여부")


class StudyProgram(TextColumn):
    name = "study_program"
    aliases = ("전공·과정", "학위과정", "전공")


class GraduationYear(YearColumn):
    name = "graduation_year"
    aliases = ("졸업연도", "졸업 연도")
    earliest = 1950


# In this order the export writes them.
PEOPLE_COLUMNS = (
    ShortName(),
    PersonKind(),
    PersonNameKo(),
    PersonNameEn(),
    PositionKo(),
    PositionEn(),
    Email(),
    Affiliation(),
    ProfileText(),
    ExpertiseKeywords(),
    Capabilities(),
    Listed(),
    StudyProgram(),
    GraduationYear(),
)


class PersonImporter(DirectoryImporter[Person]):
    kind = ImportKind.PEOPLE
    model = Person
    columns = PEOPLE_COLUMNS
    unique_within_file = (UniqueWithinFile(("slug",)), UniqueWithinFile(("email",)))
    identities = (
        Identity("slug", matched_by="slug"),
        Identity(
            "email",
            matched_by="e-mail",
            ambiguous_message=gettext_lazy(
                "Several people have the e-mail “%(value)s”; add a slug column to say which one."
            ),
            casefold=True,
        ),
    )
    create_only = frozenset({"slug", "kind"})

    def stored_records(self) -> Iterable[Person]:
        records: QuerySet[Person] = Person.objects.only("pk", "slug", "email", "kind")
        return records

    def check_update(self, row: CheckedRow[Person]) -> str | None:
        kind = row.values.get("kind")
        if row.existing is None or kind is None or row.existing.kind == kind:
            return None
        return _("“%(slug)s” is recorded as %(recorded)s, but this row says %(given)s.") % {
            "slug": row.existing.slug,
            "recorded": row.existing.get_kind_display(),
            "given": Person.Kind(kind).label,
        }

    def create(self, arguments: dict[str, Any]) -> Person:
        return services.person_create(actor=self.actor, **arguments)

    def update(self, record: Person, arguments: dict[str, Any]) -> Person:
        return services.person_update(actor=self.actor, person=record, **arguments)
