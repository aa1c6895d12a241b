"""The policy's principal: computed once per request, never stale."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangsaeng.accounts.models import Membership
from sangsaeng.core.policy import Action, can, principal_of, principal_scope
from sangsaeng.directory.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _membership_queries(queries: CaptureQueriesContext) -> int:
    return sum('"accounts_membership"' in query["sql"] for query in queries.captured_queries)


def test_within_a_request_memberships_are_read_once(org_admin, organisation):
    with principal_scope(), CaptureQueriesContext(connection) as queries:
        for action in (Action.VIEW, Action.CHANGE, Action.MANAGE_MEMBERS):
            assert can(org_admin, action, organisation)
        assert principal_of(org_admin).admin_of == frozenset({organisation.pk})
    assert _membership_queries(queries) == 1


def test_a_membership_made_mid_request_counts_at_once(organisation):
    user = UserFactory()
    with principal_scope():
        assert not can(user, Action.CHANGE, organisation)
        MembershipFactory(user=user, organisation=organisation, role=Membership.Role.ADMIN)
        assert can(user, Action.CHANGE, organisation)


def test_an_approval_mid_request_makes_members_of_the_cluster(org_member):
    pending = OrganisationFactory(status=Organisation.Status.PENDING)
    user = MembershipFactory(organisation=pending).user
    with principal_scope():
        assert not principal_of(user).is_cluster_member
        pending.status = Organisation.Status.APPROVED
        pending.save()
        assert principal_of(user).is_cluster_member


def test_outside_a_request_nothing_is_kept(organisation):
    user = UserFactory()
    assert not can(user, Action.CHANGE, organisation)
    MembershipFactory(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    assert can(user, Action.CHANGE, organisation)


def test_an_operator_needs_no_membership_query(operator, organisation):
    with CaptureQueriesContext(connection) as queries:
        assert can(operator, Action.APPROVE, Organisation)
    assert _membership_queries(queries) == 0
