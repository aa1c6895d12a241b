"""The insights access policy as a role × object × action matrix.

Roles: anonymous; a signed-in user of no organisation; a member of a party to the private
agreement; an operator. Objects: a monthly figure, a recomputation run, and the source and
values of an indicator of a public and of a private agreement.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from sangsaeng.core.policy import Action, can, restrict
from sangsaeng.insights.models import IndicatorPoint, IndicatorSource, MetricPoint, RecomputeRun
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    IndicatorFactory,
    MembershipFactory,
    OperatorFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "user", "party_member", "operator")
EVERYONE = frozenset(ROLES)
OPERATOR = frozenset({"operator"})
PARTY = frozenset({"party_member", "operator"})
ACTIONS = (Action.VIEW, Action.CREATE, Action.CHANGE, Action.DELETE)


@pytest.fixture
def world():
    party = OrganisationFactory(status="approved")
    private = AgreementFactory(is_public=False)
    private.parties.add(party)
    public = AgreementFactory(is_public=True)
    records = {}
    for name, agreement in (("public", public), ("private", private)):
        indicator = IndicatorFactory(commitment=CommitmentFactory(agreement=agreement))
        records[f"{name}_source"] = IndicatorSource.objects.create(
            indicator=indicator,
            metric="awards",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2028, 12, 31),
        )
        records[f"{name}_point"] = IndicatorPoint.objects.create(
            indicator=indicator, on=datetime.date(2026, 1, 31), value=Decimal(3), origin="computed"
        )
    records["metric_point"] = MetricPoint.objects.create(
        metric="awards", month=datetime.date(2026, 1, 1), value=Decimal(3)
    )
    records["run"] = RecomputeRun.objects.create()
    users = {
        "anonymous": AnonymousUser(),
        "user": UserFactory(),
        "party_member": MembershipFactory(organisation=party).user,
        "operator": OperatorFactory(),
    }
    return users, records


# (object, action) -> the roles allowed
MATRIX = {
    ("metric_point", Action.VIEW): EVERYONE,
    ("run", Action.VIEW): OPERATOR,
    ("public_source", Action.VIEW): EVERYONE,
    ("public_point", Action.VIEW): EVERYONE,
    ("private_source", Action.VIEW): PARTY,
    ("private_point", Action.VIEW): PARTY,
}
for _name in (
    "metric_point",
    "run",
    "public_source",
    "public_point",
    "private_source",
    "private_point",
):
    for _action in (Action.CREATE, Action.CHANGE, Action.DELETE):
        MATRIX[(_name, _action)] = OPERATOR


@pytest.mark.parametrize(("name", "action"), sorted(MATRIX, key=str))
def test_matrix(world, name, action):
    users, records = world
    record = records[name]
    for role in ROLES:
        allowed = role in MATRIX[(name, action)]
        visible = restrict(type(record).objects.filter(pk=record.pk), users[role], action).exists()
        assert visible == allowed, (role, name, action)
        assert can(users[role], action, record) == allowed, (role, name, action)


@pytest.mark.parametrize("model", [IndicatorSource, IndicatorPoint, RecomputeRun, MetricPoint])
def test_only_operators_create(world, model):
    users, _records = world
    for role in ROLES:
        assert can(users[role], Action.CREATE, model) == (role == "operator"), role
