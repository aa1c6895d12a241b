"""Taking over someone's invitation, tried as an attacker would.

An organisation's admin invites an address. Outside production e-mail verification is
optional, so an attacker can sign up first with the invitee's address. The invitation must
then be accepted only by a verified owner of the address, or through the link mailed to it.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import translation

from sangsaeng.accounts.models import Invitation, Membership, User
from tests.api.conftest import ApiClient
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

VICTIM = "cto@pangyo-chips.example"


def url(name: str, *args: object, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def invitation(client, organisation, org_admin, django_capture_on_commit_callbacks):
    """The organisation's admin invites the victim's address as an admin, through the page."""
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("accounts:organisation_members", organisation.slug),
            {"email": VICTIM, "role": Membership.Role.ADMIN},
        )
    client.logout()
    return Invitation.objects.get(email=VICTIM)


def mailed_link(invitation: Invitation) -> str:
    links = [
        found.group(0)
        for message in mail.outbox
        if message.to == [invitation.email]
        and (found := re.search(r"https?://\S+/invitations/\S+/", message.body))
    ]
    assert len(links) == 1, links
    link = links[0]
    return link.split("testserver", 1)[-1]


def sign_up(client, email: str) -> User:
    response = client.post(
        url("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302, response.content
    return User.objects.get(email=email)


def test_signing_up_with_the_invitees_address_offers_no_invitation(client, invitation):
    attacker = sign_up(client, VICTIM)
    assert not EmailAddress.objects.filter(user=attacker, verified=True).exists()
    dashboard = client.get(url("accounts:dashboard")).text
    assert invitation.organisation.name_en not in dashboard
    assert "Accept" not in dashboard
    assert invitation.token not in dashboard


def test_the_attacker_cannot_accept_without_the_mailed_link(client, invitation):
    attacker = sign_up(client, VICTIM)
    for guess in ("", "x", invitation.token[:-1], str(invitation.pk)):
        response = client.post(f"/en/accounts/invitations/{guess}/")
        assert response.status_code in (400, 404), guess
    assert not Membership.objects.filter(user=attacker).exists()
    me = ApiClient(attacker).get("/api/me").json()
    assert me["memberships"] == []
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_verified_owner_is_offered_the_invitation_and_accepts_it(client, invitation):
    owner = sign_up(client, VICTIM)
    EmailAddress.objects.filter(user=owner).update(verified=True)  # the confirmation link
    dashboard = client.get(url("accounts:dashboard")).text
    assert f"{invitation.organisation.name_en} invites you as organisation admin." in dashboard
    response = client.post(url("accounts:invitation_accept", invitation.token), follow=True)
    assert f"You are now a member of {invitation.organisation.name_en}." in response.text
    assert Membership.objects.get(user=owner).role == Membership.Role.ADMIN


def test_the_mailed_link_proves_the_address_without_verification(client, invitation):
    invitee = sign_up(client, VICTIM)
    link = mailed_link(invitation)
    assert invitation.organisation.name_en in client.get(link).text
    client.post(link)
    assert Membership.objects.filter(user=invitee, organisation=invitation.organisation).exists()


def test_the_mailed_link_does_not_open_for_another_account(client, invitation):
    """A forwarded or leaked link is no use to an account with another address."""
    stranger = sign_up(client, "stranger@example.org")
    EmailAddress.objects.filter(user=stranger).update(verified=True)
    link = mailed_link(invitation)
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 400
    assert not Membership.objects.filter(user=stranger).exists()


def test_a_second_verified_address_of_the_account_counts(client, invitation):
    user = UserFactory(email="private@example.org")
    EmailAddress.objects.create(user=user, email=VICTIM, verified=True, primary=False)
    client.force_login(user)
    assert "Accept" in client.get(url("accounts:dashboard")).text
    client.post(url("accounts:invitation_accept", invitation.token))
    assert Membership.objects.filter(user=user, organisation=invitation.organisation).exists()


def test_an_unverified_second_address_counts_for_nothing(client, invitation):
    user = UserFactory(email="private@example.org")
    EmailAddress.objects.create(user=user, email=VICTIM, verified=False, primary=False)
    client.force_login(user)
    assert "Accept" not in client.get(url("accounts:dashboard")).text
    assert client.post(url("accounts:invitation_accept", invitation.token)).status_code == 400
    assert not Membership.objects.filter(user=user).exists()


def test_an_address_with_wildcard_characters_is_matched_exactly(client, organisation):
    """``_`` and ``%`` are LIKE wildcards: a verified "aXb" must not own "a_b"."""
    Invitation.objects.create(organisation=organisation, email="a_b@example.org")
    user = UserFactory(email="axb@example.org")
    EmailAddress.objects.create(user=user, email="axb@example.org", verified=True, primary=True)
    client.force_login(user)
    assert organisation.name_en not in client.get(url("accounts:dashboard")).text
