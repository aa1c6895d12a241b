"""The operators' admin: a staff operator runs the cluster's users but never takes over
a staff or superuser account (its password, e-mail, status), nor deletes one."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from sangsaeng.accounts.models import User
from tests.factories import PASSWORD, OperatorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True, email="root@example.org")


def _change_form(user: User, **changes: str) -> dict[str, str]:
    form = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "is_active": "on" if user.is_active else "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value != ""}


def test_operator_cannot_set_a_superusers_password_and_log_in_as_them(client, superuser):
    client.force_login(OperatorFactory())
    url = f"/ko/admin/accounts/user/{superuser.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "taken-over-2026!", "password2": "taken-over-2026!"})
    assert response.status_code == 403
    client.logout()
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)
    assert not client.login(username=superuser.username, password="taken-over-2026!")


def test_operator_cannot_set_another_operators_password(client):
    other_operator = OperatorFactory()
    client.force_login(OperatorFactory())
    url = f"/ko/admin/accounts/user/{other_operator.pk}/password/"
    client.post(url, {"password1": "taken-over-2026!", "password2": "taken-over-2026!"})
    other_operator.refresh_from_db()
    assert other_operator.check_password(PASSWORD)


def test_operator_cannot_change_a_superusers_email_or_deactivate_them(client, superuser):
    client.force_login(OperatorFactory())
    url = f"/ko/admin/accounts/user/{superuser.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200  # may look, read-only
    assert 'name="email"' not in page.text
    client.post(url, _change_form(superuser, email="attacker@example.org", is_active=""))
    superuser.refresh_from_db()
    assert superuser.email == "root@example.org"
    assert superuser.is_active


def test_operator_cannot_delete_a_superuser_one_by_one_or_in_bulk(client, superuser):
    client.force_login(OperatorFactory())
    response = client.post(f"/ko/admin/accounts/user/{superuser.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    client.post(
        "/ko/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [superuser.pk], "post": "yes"},
    )
    assert User.objects.filter(pk=superuser.pk).exists()


def test_operator_still_resets_an_ordinary_members_password(client):
    member = UserFactory()
    client.force_login(OperatorFactory())
    response = client.post(
        f"/ko/admin/accounts/user/{member.pk}/password/",
        {"password1": "fresh-start-2026!", "password2": "fresh-start-2026!"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("fresh-start-2026!")


def test_superuser_changes_an_operators_password(client, superuser):
    other_operator = OperatorFactory()
    client.force_login(superuser)
    response = client.post(
        f"/ko/admin/accounts/user/{other_operator.pk}/password/",
        {"password1": "fresh-start-2026!", "password2": "fresh-start-2026!"},
    )
    assert response.status_code == 302
    other_operator.refresh_from_db()
    assert other_operator.check_password("fresh-start-2026!")


# --- logging in to the admin ----------------------------------------------------------------


def test_admin_login_takes_no_password_and_sends_people_to_the_site_login(client):
    operator = OperatorFactory()
    response = client.post(
        "/ko/admin/login/?next=/ko/admin/", {"username": operator.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/ko/accounts/login/?next=")
    assert client.get("/ko/admin/").status_code == 302  # not logged in


def test_guessing_an_operators_password_is_throttled_after_five_tries(client):
    operator = OperatorFactory(email="ops@example.org")
    login = "/en/accounts/login/?next=/en/admin/"
    for _attempt in range(5):
        page = client.post(login, {"login": operator.email, "password": "guess"})
        assert "The email address and/or password you specified are not correct." in page.text
    page = client.post(login, {"login": operator.email, "password": "guess"})
    assert "Too many failed login attempts. Try again later." in page.text
    # Even the right password is refused until the window has passed.
    page = client.post(login, {"login": operator.email, "password": PASSWORD})
    assert "Too many failed login attempts. Try again later." in page.text
    assert client.get("/en/admin/").status_code == 302


def test_operator_logs_in_through_the_site_and_reaches_the_admin(client):
    operator = OperatorFactory(email="ops@example.org")
    response = client.post(
        "/en/accounts/login/?next=/en/admin/", {"login": operator.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200


# --- sign-up does not tell who is registered ----------------------------------------------


def test_signup_does_not_tell_whether_an_address_is_registered(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # as in production
    UserFactory(email="known@example.org")
    signup = "/en/accounts/signup/"
    form = {"password1": "a-fresh-password-2026", "password2": "a-fresh-password-2026"}
    known = client.post(signup, {**form, "email": "known@example.org"})
    client.logout()
    unknown = client.post(signup, {**form, "email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert client.get(known["Location"]).text.count("verification") >= 1
    # The owner of the registered address hears about the attempt; nobody else learns it.
    assert [message.to for message in mail.outbox] == [
        ["known@example.org"],
        ["unknown@example.org"],
    ]


def test_production_requires_a_verified_address(tmp_path):
    from tests.core.test_settings import run_settings

    probe = run_settings(
        tmp_path,
        SANGSAENG_ENV="production",
        SECRET_KEY="a-long-random-production-secret-for-this-test-only",
        ALLOWED_HOSTS="testserver",
    )
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout.strip().splitlines()[-1])["email_verification"] == "mandatory"
