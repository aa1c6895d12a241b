"""A small cluster for the resources tests: a provider, two companies, their people."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from sangsaeng.accounts.models import Membership, User
from sangsaeng.directory.models import Organisation
from sangsaeng.resources.slots import SEOUL
from tests.factories import MembershipFactory, OperatorFactory, OrganisationFactory


@dataclass
class Cluster:
    provider: Organisation
    provider_admin: User
    company: Organisation
    member: User
    company_admin: User
    other: Organisation
    other_member: User
    operator: User


@pytest.fixture
def cluster(db) -> Cluster:
    provider = OrganisationFactory(
        kind=Organisation.Kind.SUPPORT_AGENCY, name_ko="클러스터 사무국", name_en="Cluster office"
    )
    company = OrganisationFactory(name_ko="판교칩스", name_en="Pangyo Chips")
    other = OrganisationFactory(name_ko="분당실리콘", name_en="Bundang Silicon")
    return Cluster(
        provider=provider,
        provider_admin=MembershipFactory(organisation=provider, role=Membership.Role.ADMIN).user,
        company=company,
        member=MembershipFactory(organisation=company).user,
        company_admin=MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user,
        other=other,
        other_member=MembershipFactory(organisation=other).user,
        operator=OperatorFactory(),
    )


def seoul(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """``hour``:``minute`` Seoul time, ``days`` days from today (Seoul)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), SEOUL)


def next_weekday(weekday: int, hour: int, *, weeks: int = 1) -> datetime.datetime:
    """A ``weekday`` (0 Monday) at least ``weeks`` weeks from now, at ``hour`` Seoul time."""
    today = timezone.localdate()
    ahead = (weekday - today.weekday()) % 7 + 7 * weeks
    return seoul(ahead, hour)
