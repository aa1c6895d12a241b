"""A small talent world: a university with a course, a company with openings, students."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from sangsaeng.accounts.models import Membership
from sangsaeng.directory.models import Organisation
from tests.factories import (
    CourseFactory,
    MembershipFactory,
    OpeningFactory,
    OperatorFactory,
    OrganisationFactory,
    PlacementRoundFactory,
    StudentProfileFactory,
    TaxonomyTermFactory,
)


@dataclass
class TalentWorld:
    university: Organisation
    company: Organisation
    other_company: Organisation
    provider: Any  # a member of the university (runs its courses)
    company_admin: Any
    company_member: Any
    other_admin: Any
    operator: Any
    consenting: Any  # StudentProfile, consents to companies
    private: Any  # StudentProfile, no consent to companies
    course: Any
    opening: Any
    other_opening: Any
    terms: dict[str, Any]


@pytest.fixture
def world(db) -> TalentWorld:
    verification = TaxonomyTermFactory(code="verification", name_ko="검증", name_en="Verification")
    npu = TaxonomyTermFactory(code="npu", name_ko="NPU 설계", name_en="NPU design")
    university = OrganisationFactory(
        kind="university", name_ko="세종대학교", name_en="Sejong University"
    )
    company = OrganisationFactory(name_ko="판교칩스", name_en="Pangyo Chips")
    other_company = OrganisationFactory(name_ko="분당실리콘", name_en="Bundang Silicon")
    provider = MembershipFactory(organisation=university, role=Membership.Role.MEMBER).user
    company_admin = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    company_member = MembershipFactory(organisation=company, role=Membership.Role.MEMBER).user
    other_admin = MembershipFactory(organisation=other_company, role=Membership.Role.ADMIN).user
    consenting = StudentProfileFactory(
        person__organisation=university,
        person__name_ko="강하은",
        person__name_en="Haeun Kang",
        skills=[verification],
        companies=True,
    )
    private = StudentProfileFactory(
        person__organisation=university,
        person__name_ko="비공개학생",
        person__name_en="Quietly Private",
        about="Zanzibarite photonic layout, never shown to companies.",
        skills=[verification],
    )
    course = CourseFactory(organisation=university, tags=[verification])
    opening = OpeningFactory(organisation=company, tags=[verification], positions=1)
    other_opening = OpeningFactory(organisation=other_company, tags=[npu], positions=1)
    return TalentWorld(
        university=university,
        company=company,
        other_company=other_company,
        provider=provider,
        company_admin=company_admin,
        company_member=company_member,
        other_admin=other_admin,
        operator=OperatorFactory(),
        consenting=consenting,
        private=private,
        course=course,
        opening=opening,
        other_opening=other_opening,
        terms={"verification": verification, "npu": npu},
    )


def open_round(world: TalentWorld, **fields: Any) -> Any:
    """An open round with both openings; deadlines ahead."""
    placement_round = PlacementRoundFactory(openings=[world.opening, world.other_opening], **fields)
    return placement_round


def past(days: int = 1) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def ahead(days: int = 1) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)
