"""A small support-programs world shared by the programs tests.

A Seongnam fabless company applies (its admin and a member), with a university partner; a
second company competes; experts opt in as reviewers, one of them at the applicant's partner
university, one who co-authored a paper with the applicant's engineer; an operator runs the
call. The call is open now (opened yesterday, closes in a week, reviews due in two).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook

from sangsaeng.accounts.models import Membership, User
from sangsaeng.directory.models import Organisation
from sangsaeng.programs import services
from sangsaeng.programs.models import Application, Call, FormField, ReviewerProfile
from sangsaeng.programs.services import CriterionSpec, FieldSpec
from tests.factories import (
    MembershipFactory,
    OperatorFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    TaxonomyTermFactory,
    UserFactory,
)

SECRET = "Quasarvolt"  # a word only the confidential application contains


@pytest.fixture(autouse=True)
def english():
    """Services' messages are asserted in English; tests of Korean say so themselves."""
    with translation.override("en"):
        yield


def pdf_upload(name: str = "plan.pdf", size: int = 2000) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n" + b"0" * max(0, size - 9)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def xlsx_upload(name: str = "budget.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(["item", "amount"])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/vnd.ms-excel")


def form_specs() -> list[FieldSpec]:
    return [
        FieldSpec(
            key="summary",
            kind="long_text",
            label_ko="연구 개요",
            label_en="Summary",
            required=True,
            max_length=4000,
        ),
        FieldSpec(
            key="team_size",
            kind="number",
            label_ko="참여 인원",
            label_en="Team size",
            min_value=1,
            max_value=50,
        ),
        FieldSpec(
            key="stage",
            kind="choice",
            label_ko="단계",
            label_en="Stage",
            choices=[{"ko": "기초", "en": "Basic"}, {"ko": "응용", "en": "Applied"}],
        ),
        FieldSpec(key="start", kind="date", label_ko="시작일", label_en="Start date"),
        FieldSpec(
            key="plan",
            kind="file",
            label_ko="사업계획서",
            label_en="Business plan",
            required=True,
            max_file_megabytes=1,
        ),
    ]


@dataclass
class World:
    call: Call
    operator: User
    company: Organisation
    admin: User
    member: User
    university: Organisation
    other_company: Organisation
    other_admin: User
    reviewers: dict[str, ReviewerProfile] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    area: Any = None


def make_call(operator: User, area: Any, **overrides: Any) -> Call:
    now = timezone.now()
    program = services.program_create(
        actor=operator, name_ko="AI·팹리스 공동연구 지원", name_en="AI-fabless joint research"
    )
    fields: dict[str, Any] = {
        "title_ko": "2026 AI·팹리스 공동연구 지원사업 공고",
        "title_en": "2026 call for AI-fabless joint research",
        "description_ko": "성남 소재 팹리스 기업과 대학의 공동연구를 지원합니다.",
        "description_en": "Joint research of Seongnam fabless companies and universities.",
        "total_budget": 300_000_000,
        "max_award": 100_000_000,
        "eligible_kinds": ["company"],
        "region": "성남시",
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=7),
        "review_deadline": now + datetime.timedelta(days=14),
        "reviewers_per_application": 2,
        "reviewer_max_load": 4,
    }
    fields.update(overrides)
    call = services.call_create(actor=operator, program=program, tags=[area], **fields)
    services.form_fields_save(actor=operator, call=call, fields=form_specs())
    services.criteria_save(
        actor=operator,
        call=call,
        criteria=[
            CriterionSpec(name_ko="기술성", name_en="Technical merit", weight=2),
            CriterionSpec(name_ko="사업성", name_en="Commercial potential", weight=1),
        ],
    )
    return services.call_publish(actor=operator, call=call)


def make_reviewer(
    name: str, organisation: Organisation, papers: list[tuple[str, str, int]]
) -> tuple[User, ReviewerProfile]:
    user = UserFactory(username=name, email=f"{name}@example.org")
    person = PersonFactory(
        user=user,
        organisation=organisation,
        name_en=name.title(),
        profile_text=" ".join(title for title, _a, _y in papers),
    )
    for title, abstract, year in papers:
        PublicationFactory(person=person, title=title, abstract=abstract, year=year)
    profile = services.reviewer_profile_save(
        actor=user, person=person, opted_in=True, max_load=4, evidence_since_year=None
    )
    return user, profile


@pytest.fixture
def world(db) -> World:
    operator = OperatorFactory(email="office@seongnam.example")
    area = TaxonomyTermFactory(code="npu", name_ko="NPU", name_en="NPU")
    company = OrganisationFactory(
        slug="pangyo-npu", name_en="Pangyo NPU", city="성남시", employee_count=40, tags=[area]
    )
    admin = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    member = MembershipFactory(organisation=company, role=Membership.Role.MEMBER).user
    other_company = OrganisationFactory(
        slug="bundang-chips", name_en="Bundang Chips", city="성남시", employee_count=12, tags=[area]
    )
    other_admin = MembershipFactory(organisation=other_company, role=Membership.Role.ADMIN).user
    university = OrganisationFactory(
        slug="sejong", kind=Organisation.Kind.UNIVERSITY, name_en="Sejong University", city="서울시"
    )
    institute = OrganisationFactory(
        slug="etri", kind=Organisation.Kind.RESEARCH_INSTITUTE, name_en="ETRI", city="대전시"
    )
    call = make_call(operator, area)
    world = World(call, operator, company, admin, member, university, other_company, other_admin)
    world.area = area
    # The applicant's own engineer (an expert profile at the company).
    engineer = PersonFactory(organisation=company, name_en="Engineer Han")
    PublicationFactory(person=engineer, title="A Sparse NPU for Edge Vision", year=2025)
    reviewers = {
        "npu": (
            "npu-reviewer",
            institute,
            [
                (
                    "Dataflow NPU accelerators",
                    "Systolic arrays and dataflow for NPU inference.",
                    2024,
                )
            ],
        ),
        "dram": (
            "dram-reviewer",
            institute,
            [("DRAM controllers", "Memory controllers for LPDDR5 interfaces.", 2023)],
        ),
        "rf": ("rf-reviewer", institute, [("RF front ends", "Low-noise amplifiers for 5G.", 2024)]),
        "partner": (
            "partner-reviewer",
            university,
            [("NPU compilers", "Compilers for NPU accelerators.", 2024)],
        ),
        "coauthor": (
            "coauthor-reviewer",
            institute,
            [("a sparse NPU for edge vision!", "Sparse NPU.", 2025)],
        ),
    }
    for key, (name, organisation, papers) in reviewers.items():
        user, profile = make_reviewer(name, organisation, papers)
        world.reviewers[key] = profile
        world.users[key] = user
    world.users.update(
        {"operator": operator, "admin": admin, "member": member, "other_admin": other_admin}
    )
    return world


def fill_application(world: World, *, submit: bool = True, title: str = "") -> Application:
    """The applicant's complete application, with a university partner; submitted."""
    application = services.application_start(
        actor=world.admin, call=world.call, organisation=world.company
    )
    services.application_save(
        actor=world.admin,
        application=application,
        title=title or f"{SECRET} NPU 공동연구",
        requested_amount=80_000_000,
        area=world.area,
        answers={
            "summary": f"엣지 비전용 희소 NPU 가속기를 세종대와 공동 개발합니다. {SECRET}",
            "team_size": "6",
            "stage": "c2",
            "start": "2026-03-01",
        },
    )
    services.application_file_upload(
        actor=world.admin, application=application, field_key="plan", upload=pdf_upload()
    )
    services.partner_add(
        actor=world.admin, application=application, organisation=world.university, role="공동연구"
    )
    if submit:
        application = services.application_submit(actor=world.admin, application=application)
    return Application.objects.get(pk=application.pk)


def file_fields(call: Call) -> list[FormField]:
    return list(call.form_fields.filter(kind="file"))
