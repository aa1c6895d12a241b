"""Fixtures of the matching tests: a fresh search index per test and a small cluster.

The cluster is built so that a Korean need about RISC-V NPU verification has one clear
answer, an expert whose profile and papers are in English.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import translation

from sangsaeng.accounts.models import Membership, User
from sangsaeng.directory.models import Organisation, Person
from sangsaeng.matching.models import Need
from sangsaeng.matching.services import need_create
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    UserFactory,
)

KOREAN_NEED = {
    "kind": Need.Kind.PARTNER_SEARCH,
    "title": "RISC-V NPU 서브시스템 검증 파트너를 찾습니다",
    "description": "자사 RISC-V 기반 NPU 서브시스템의 UVM 검증과 형식 검증을 함께 수행할 "
    "연구실이나 기업을 찾습니다. 커버리지 기반 검증 경험이 필요합니다.",
}


@pytest.fixture(autouse=True)
def korean_urls():
    """URLs reversed by the tests get the default /ko/ prefix, whatever ran before."""
    translation.activate("ko")
    yield
    translation.deactivate()


@dataclass
class Cluster:
    company: Organisation
    poster: User  # admin of the company
    colleague: User  # plain member of the company
    university: Organisation
    verification_expert: Person
    expert_user: User
    analog_expert: Person
    lab_admin: User  # admin of the university
    other_company: Organisation
    other_admin: User


@pytest.fixture
def cluster(db) -> Cluster:
    company = OrganisationFactory(
        name_ko="판교칩스",
        name_en="Pangyo Chips",
        description_ko="온디바이스 AI용 NPU를 설계하는 팹리스",
        description_en="Fabless company designing NPUs for on-device AI",
    )
    poster = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    colleague = MembershipFactory(organisation=company, role=Membership.Role.MEMBER).user
    university = OrganisationFactory(
        kind=Organisation.Kind.UNIVERSITY,
        name_ko="세종대학교",
        name_en="Sejong University",
        description_ko="인공지능과 반도체 설계 연구",
        description_en="Research in artificial intelligence and chip design",
    )
    lab_admin = MembershipFactory(organisation=university, role=Membership.Role.ADMIN).user
    expert_user = UserFactory(email="verifier@example.org")
    verification_expert = PersonFactory(
        user=expert_user,
        organisation=university,
        name_ko="이검증",
        name_en="Grace Lee",
        profile_text="Functional and formal verification of RISC-V processors and neural "
        "processing units (NPU). UVM testbenches, coverage closure.",
        expertise_keywords=["RISC-V", "NPU", "UVM", "formal verification"],
    )
    PublicationFactory(
        person=verification_expert,
        title="Coverage-driven UVM verification of a RISC-V NPU subsystem",
        abstract="We verify a RISC-V based NPU subsystem with a UVM testbench and formal "
        "property checking. Coverage closure took four weeks.",
    )
    analog_expert = PersonFactory(
        organisation=university,
        name_ko="박아날",
        name_en="Ana Park",
        profile_text="아날로그 레이아웃과 저전력 ADC 설계",
        expertise_keywords=["analog layout", "ADC"],
    )
    other_company = OrganisationFactory(
        name_ko="분당소프트",
        name_en="Bundang Soft",
        description_ko="모바일 게임 개발사",
        description_en="Mobile game studio",
    )
    other_admin = MembershipFactory(organisation=other_company, role=Membership.Role.ADMIN).user
    return Cluster(
        company=company,
        poster=poster,
        colleague=colleague,
        university=university,
        verification_expert=verification_expert,
        expert_user=expert_user,
        analog_expert=analog_expert,
        lab_admin=lab_admin,
        other_company=other_company,
        other_admin=other_admin,
    )


@pytest.fixture
def korean_need(cluster, django_capture_on_commit_callbacks) -> Need:
    """The Korean need, posted and matched (the background task runs at commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        return need_create(actor=cluster.poster, organisation=cluster.company, **KOREAN_NEED)
