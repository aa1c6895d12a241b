"""The accounts services called directly: invitations, memberships, API tokens."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from sangsaeng.accounts import services
from sangsaeng.accounts.models import ApiToken, Invitation, Membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_invitation_is_mailed_only_once_it_is_saved(
    organisation, org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invitation = services.invitation_create(
            actor=org_admin, organisation=organisation, email="new@example.org"
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[0].to == ["new@example.org"]
    assert invitation.token in mail.outbox[0].body


def test_the_invitation_mail_speaks_the_inviters_language(
    organisation, org_admin, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=org_admin, organisation=organisation, email="new@example.org"
        )
    assert mail.outbox[0].subject.startswith("Invitation to join")


def test_a_member_who_is_no_admin_cannot_invite(organisation, org_member):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=org_member, organisation=organisation, email="new@example.org"
        )
    assert not Invitation.objects.exists()


def test_accepting_someone_elses_invitation_is_refused_and_changes_nothing(organisation, org_admin):
    invitation = Invitation.objects.create(organisation=organisation, email="a@example.org")
    stranger = UserFactory(email="b@example.org")
    with pytest.raises(ValidationError):
        services.invitation_accept(actor=stranger, token=invitation.token)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Membership.objects.filter(user=stranger).exists()


def test_accepting_makes_a_membership_and_names_its_actor(organisation):
    invitee = UserFactory(email="a@example.org")
    invitation = Invitation.objects.create(
        organisation=organisation, email="a@example.org", role=Membership.Role.ADMIN
    )
    membership = services.invitation_accept(actor=invitee, token=invitation.token)
    assert membership.role == Membership.Role.ADMIN
    entry = LogEntry.objects.get_for_object(membership).first()
    assert entry is not None and entry.actor == invitee


def test_the_last_admin_stays(organisation, org_admin):
    only_admin = Membership.objects.get(user=org_admin)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=org_admin, membership=only_admin)
    second = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    services.membership_remove(actor=org_admin, membership=second)
    assert not Membership.objects.filter(pk=second.pk).exists()


def test_a_token_needs_a_name_and_is_revoked_once(org_member):
    with pytest.raises(ValidationError):
        services.api_token_create(actor=org_member, name="   ")
    record, _token = services.api_token_create(actor=org_member, name="export")
    first = services.api_token_revoke(actor=org_member, token=record).revoked_at
    again = services.api_token_revoke(actor=org_member, token=record).revoked_at
    assert first is not None and again == first
    assert ApiToken.objects.get(pk=record.pk).revoked_at == first


def test_nobody_revokes_another_users_token(org_member, org_admin):
    record, _token = services.api_token_create(actor=org_member, name="export")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=org_admin, token=record)
