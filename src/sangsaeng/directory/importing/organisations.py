"""The columns of an organisations file, and how its rows become organisations.

A row whose short name matches a stored organisation updates it; a row without a short
name updates the organisation with the same Korean name, if there is exactly one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from sangsaeng.directory import services
from sangsaeng.directory.importing.columns import (
    BilingualTextColumn,
    Capabilities,
    ChoiceColumn,
    IntegerColumn,
    ShortName,
    TextColumn,
    UrlColumn,
    YearColumn,
)
from sangsaeng.directory.importing.importer import DirectoryImporter, Identity, UniqueWithinFile
from sangsaeng.directory.importing.results import ImportKind
from sangsaeng.directory.models import Organisation

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


class OrganisationKind(ChoiceColumn):
    name = "kind"
    aliases = ("유형", "기관 유형", "종류")
    choices = ORGANISATION_KINDS
    missing_message = gettext_lazy("The kind is missing.")
    unknown_message = gettext_lazy("Unknown kind “%(value)s”.")
    hint = gettext_lazy(
        "Use company, university, research_institute, government or support_agency."
    )


class OrganisationNameKo(BilingualTextColumn):
    name = "name_ko"
    language = "ko"
    aliases = ("이름(국문)", "기관명(국문)", "국문 이름", "국문명")
    label = gettext_lazy("Korean name")
    missing_message = gettext_lazy("The Korean name (name_ko) is missing.")


class OrganisationNameEn(BilingualTextColumn):
    name = "name_en"
    language = "en"
    aliases = ("이름(영문)", "기관명(영문)", "영문 이름", "영문명")


class DescriptionKo(BilingualTextColumn):
    name = "description_ko"
    language = "ko"
    aliases = ("소개(국문)", "설명(국문)")


class DescriptionEn(BilingualTextColumn):
    name = "description_en"
    language = "en"
    aliases = ("소개(영문)", "설명(영문)")


class Website(UrlColumn):
    name = "website"
    aliases = ("웹사이트", "홈페이지")


class Address(TextColumn):
    name = "address"
    aliases = ("주소",)


class City(TextColumn):
    name = "city"
    aliases = ("도시", "시군구")


class EstablishedYear(YearColumn):
    name = "established_year"
    aliases = ("설립연도", "설립 연도")
    earliest = 1800


class EmployeeCount(IntegerColumn):
    name = "employee_count"
    aliases = ("직원 수", "임직원 수")


# In this order the export writes them.
ORGANISATION_COLUMNS = (
    ShortName(),
    OrganisationKind(),
    OrganisationNameKo(),
    OrganisationNameEn(),
    DescriptionKo(),
    DescriptionEn(),
    Website(),
    Address(),
    City(),
    EstablishedYear(),
    EmployeeCount(),
    Capabilities(),
)


class OrganisationImporter(DirectoryImporter[Organisation]):
    kind = ImportKind.ORGANISATIONS
    model = Organisation
    columns = ORGANISATION_COLUMNS
    unique_within_file = (UniqueWithinFile(("slug", "name_ko")),)
    identities = (
        Identity("slug", matched_by="slug"),
        Identity(
            "name_ko",
            matched_by="Korean name",
            ambiguous_message=gettext_lazy(
                "Several organisations are called “%(name)s”; add a slug column to say which one."
            ),
        ),
    )

    def stored_records(self) -> Iterable[Organisation]:
        records: QuerySet[Organisation] = Organisation.objects.only("pk", "slug", "name_ko")
        return records

    def create(self, arguments: dict[str, Any]) -> Organisation:
        return services.organisation_create(actor=self.actor, **arguments)

    def update(self, record: Organisation, arguments: dict[str, Any]) -> Organisation:
        return services.organisation_update(actor=self.actor, organisation=record, **arguments)
