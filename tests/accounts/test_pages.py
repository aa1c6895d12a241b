"""The signed-in user's pages: dashboard, members and invitations, and allauth's pages."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from sangsaeng.accounts.models import Invitation, Membership
from sangsaeng.directory.models import Organisation
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name: str, *args: object, language: str = "ko") -> str:
    with translation.override(language):
        return reverse(name, args=args)


# --- the dashboard ------------------------------------------------------------------------


def test_dashboard_needs_a_login(client):
    response = client.get(url("accounts:dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_dashboard_lists_memberships_invitations_and_profile_link(client, organisation, org_admin):
    other = OrganisationFactory(name_en="Inviting Lab")
    Invitation.objects.create(organisation=other, email=org_admin.email)
    EmailAddress.objects.create(user=org_admin, email=org_admin.email, verified=True, primary=True)
    client.force_login(org_admin)
    page = client.get(url("accounts:dashboard", language="en"))
    assert organisation.name_en in page.text
    assert url("accounts:organisation_members", organisation.slug, language="en") in page.text
    assert "Inviting Lab invites you as member." in page.text
    assert url("directory:expert_profile_edit", language="en") in page.text


def test_dashboard_does_not_show_invitations_to_other_addresses(client, org_member):
    Invitation.objects.create(
        organisation=OrganisationFactory(name_en="Not For You"), email="x@y.z"
    )
    client.force_login(org_member)
    assert "Not For You" not in client.get(url("accounts:dashboard", language="en")).text


def test_operator_dashboard_links_the_approval_queue(client, operator):
    OrganisationFactory(status=Organisation.Status.PENDING)
    client.force_login(operator)
    page = client.get(url("accounts:dashboard", language="en"))
    assert "1 organisation waits for approval." in page.text
    assert url("directory:approval_queue", language="en") in page.text


# --- members and invitations ------------------------------------------------------------------


def test_admin_invites_a_member_by_email_with_a_link(
    client, organisation, org_admin, django_capture_on_commit_callbacks
):
    client.force_login(org_admin)
    # The mail goes out from a task once the invitation is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("accounts:organisation_members", organisation.slug, language="en"),
            {"email": "New.Person@Example.org", "role": "member"},
            follow=True,
        )
    assert "An invitation was sent to new.person@example.org." in response.text
    invitation = Invitation.objects.get(organisation=organisation)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert f"{settings.SITE_URL}/en/accounts/invitations/{invitation.token}/" in mail.outbox[0].body
    assert "new.person@example.org" in response.text  # listed as waiting


def test_invalid_email_is_refused_in_korean_and_kept(client, organisation, org_admin):
    client.force_login(org_admin)
    response = client.post(
        url("accounts:organisation_members", organisation.slug),
        {"email": "not-an-address", "role": "member"},
    )
    assert response.status_code == 200
    assert "name@example.com 처럼 올바른 이메일 주소를 입력하세요." in response.text
    assert 'value="not-an-address"' in response.text
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_duplicate_invitation_is_refused_in_korean(client, organisation, org_admin):
    Invitation.objects.create(organisation=organisation, email="twice@example.org")
    client.force_login(org_admin)
    response = client.post(
        url("accounts:organisation_members", organisation.slug),
        {"email": "twice@example.org", "role": "member"},
    )
    assert "이 주소로 보낸 초대가 이미 대기 중입니다." in response.text
    assert Invitation.objects.filter(email="twice@example.org").count() == 1


def test_inviting_an_existing_member_is_refused_in_english(client, organisation, org_admin):
    client.force_login(org_admin)
    member = MembershipFactory(organisation=organisation).user
    response = client.post(
        url("accounts:organisation_members", organisation.slug, language="en"),
        {"email": member.email, "role": "member"},
    )
    assert "This person is already a member." in response.text
    assert not Invitation.objects.exists()


def test_plain_member_may_not_manage_members(client, organisation, org_member):
    client.force_login(org_member)
    members_page = url("accounts:organisation_members", organisation.slug)
    assert client.get(members_page).status_code == 403
    response = client.post(members_page, {"email": "a@b.org", "role": "admin"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_admin_removes_a_member(client, organisation, org_admin, org_member):
    client.force_login(org_admin)
    membership = Membership.objects.get(user=org_member)
    response = client.post(url("accounts:membership_remove", membership.pk), follow=True)
    assert response.status_code == 200
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_last_admin_cannot_be_removed_and_is_told_why_in_korean(client, organisation, org_admin):
    client.force_login(org_admin)
    membership = Membership.objects.get(user=org_admin)
    response = client.post(url("accounts:membership_remove", membership.pk), follow=True)
    assert "기관에는 관리자가 한 명 이상 있어야 합니다." in response.text
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_member_of_another_organisation_cannot_remove_members(client, org_member):
    outsider_admin = MembershipFactory(role=Membership.Role.ADMIN).user
    client.force_login(outsider_admin)
    membership = Membership.objects.get(user=org_member)
    response = client.post(url("accounts:membership_remove", membership.pk))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- accepting an invitation ---------------------------------------------------------------------


def test_invited_person_accepts_and_becomes_a_member(client, organisation):
    user = UserFactory(email="invited@example.org")
    invitation = Invitation.objects.create(organisation=organisation, email="invited@example.org")
    client.force_login(user)
    accept = url("accounts:invitation_accept", invitation.token, language="en")
    assert organisation.name_en in client.get(accept).text
    response = client.post(accept, follow=True)
    assert f"You are now a member of {organisation.name_en}." in response.text
    assert Membership.objects.filter(user=user, organisation=organisation).exists()


def test_invitation_for_another_address_is_refused_in_korean(client, organisation):
    invitation = Invitation.objects.create(organisation=organisation, email="right@example.org")
    client.force_login(UserFactory(email="wrong@example.org"))
    accept = url("accounts:invitation_accept", invitation.token)
    assert client.get(accept).status_code == 404
    response = client.post(accept)
    assert response.status_code == 400
    assert "right@example.org" in response.text
    assert "다른 이메일 주소로 보낸 초대입니다." in response.text
    assert not Membership.objects.filter(organisation=organisation, user__email="wrong@example.org")


def test_invitation_link_shows_visitors_what_it_is_and_how_to_accept(client, organisation):
    invitation = Invitation.objects.create(organisation=organisation, email="later@example.org")
    link = url("accounts:invitation_accept", invitation.token)
    response = client.get(link)
    assert response.status_code == 200
    text = response.content.decode()
    assert organisation.name_ko in text
    assert f'href="{reverse("account_signup")}?next={link}"' in text
    assert f'href="{reverse("account_login")}?next={link}"' in text
    # Accepting still needs the account the invitation was sent to.
    assert client.post(link).status_code == 200
    assert not Membership.objects.filter(organisation=organisation).exists()
    assert client.get(url("accounts:invitation_accept", "no-such-token")).status_code == 404


# --- django-allauth's pages in the site's layout ------------------------------------------


def test_login_page_uses_the_site_layout_in_korean(client):
    page = client.get(url("account_login"))
    assert page.status_code == 200
    assert 'class="site-header"' in page.text and 'class="panel auth-panel"' in page.text
    assert "로그인" in page.text
    assert "sangsaeng/site.css" in page.text


def test_signup_page_in_english(client):
    page = client.get(url("account_signup", language="en"))
    assert 'class="site-header"' in page.text and "Sign up" in page.text


def test_user_signs_up_logs_out_and_logs_in_again(client):
    response = client.post(
        url("account_signup", language="en"),
        {
            "email": "newcomer@example.org",
            "display_name": "Minji Oh",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "agree_privacy": "on",
            "agree_terms": "on",
        },
    )
    assert response.status_code == 302
    assert client.get(url("accounts:dashboard", language="en")).status_code == 200
    client.post(url("account_logout", language="en"))
    assert client.get(url("accounts:dashboard", language="en")).status_code == 302
    response = client.post(
        url("account_login", language="en"),
        {"login": "newcomer@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(url("accounts:dashboard", language="en")).status_code == 200


def test_wrong_password_is_refused_in_korean(client):
    UserFactory(email="someone@example.org")
    page = client.post(url("account_login"), {"login": "someone@example.org", "password": "nope"})
    assert page.status_code == 200
    assert "이메일 또는 비밀번호가 올바르지 않습니다." in page.text


def test_password_reset_sends_a_mail(client):
    UserFactory(email="forgetful@example.org")
    response = client.post(
        url("account_reset_password", language="en"), {"email": "forgetful@example.org"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/en/accounts/password/reset/key/" in mail.outbox[0].body


def test_password_change_page_uses_the_account_layout(client, org_member):
    client.force_login(org_member)
    page = client.get(url("account_change_password"))
    assert page.status_code == 200
    assert 'class="panel side-nav"' in page.text and "비밀번호 변경" in page.text


def test_operator_cannot_make_anyone_superuser_in_the_admin(client, operator):
    from tests.factories import UserFactory

    other = UserFactory()
    client.force_login(operator)
    url = f"/ko/admin/accounts/user/{other.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    client.post(
        url,
        {
            "username": other.username,
            "email": other.email,
            "is_superuser": "on",
            "is_staff": "on",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    other.refresh_from_db()
    assert not other.is_superuser
    assert not other.is_staff
