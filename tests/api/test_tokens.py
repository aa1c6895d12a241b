"""API tokens: made once, stored hashed, listed, revoked; also from the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from sangsaeng.accounts.api_auth import api_token_user
from sangsaeng.accounts.models import ApiToken
from sangsaeng.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def test_only_a_hash_of_the_token_is_stored(org_member):
    record, token = api_token_create(actor=org_member, name="KPI export")
    assert token.startswith("ssg_") and len(token) > 40
    stored = ApiToken.objects.get(pk=record.pk)
    assert token not in {stored.token_hash, stored.token_start}
    assert stored.token_hash == ApiToken.hash(token)
    assert token.startswith(stored.token_start)


def test_using_a_token_notes_when_it_was_last_used(org_member):
    record, token = api_token_create(actor=org_member, name="script")
    assert record.last_used_at is None
    assert api_token_user(token) == org_member
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_a_deactivated_user_cannot_use_their_token(org_member):
    _record, token = api_token_create(actor=org_member, name="script")
    org_member.is_active = False
    org_member.save()
    assert api_token_user(token) is None


def test_make_list_and_revoke_tokens_through_the_api(api_as, org_member):
    client = api_as(org_member)
    made = client.post("/api/tokens", {"name": "nightly export"})
    assert made.status_code == 201
    new_token = made.json()["token"]
    listed = client.get("/api/tokens").json()
    assert {"nightly export", "tests"} == {item["name"] for item in listed}
    assert all("token" not in item for item in listed)

    headers = {"Authorization": f"Bearer {new_token}"}
    assert Client().get("/api/me", headers=headers).status_code == 200
    revoked = client.delete(f"/api/tokens/{made.json()['id']}")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert Client().get("/api/me", headers=headers).status_code == 401


def test_a_token_needs_a_name(api_as, org_member):
    response = api_as(org_member).post("/api/tokens", {"name": "   "})
    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["Give the token a name, e.g. where it is used."]}


def test_nobody_sees_or_revokes_another_persons_token(api_as, org_member, org_admin):
    record, token = api_token_create(actor=org_admin, name="admin's")
    assert api_as(org_member).delete(f"/api/tokens/{record.pk}").status_code == 404
    assert api_token_user(token) == org_admin


def test_an_operator_can_revoke_a_leaked_token(api_as, operator, org_member):
    record, token = api_token_create(actor=org_member, name="leaked")
    assert api_as(operator).delete(f"/api/tokens/{record.pk}").status_code == 200
    assert api_token_user(token) is None


def test_command_prints_a_working_token_once(org_admin):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token",
        "--user",
        org_admin.email.upper(),
        "--name",
        "CI",
        stdout=out,
        stderr=err,
    )
    token = out.getvalue().strip()
    assert api_token_user(token) == org_admin
    assert "shown only once" in err.getvalue()
    assert ApiToken.objects.get(user=org_admin).name == "CI"


def test_command_names_an_unknown_user(db):
    with pytest.raises(CommandError, match=r"nobody@example\.org"):
        call_command("create_api_token", "--user", "nobody@example.org", "--name", "CI")


def test_command_refuses_an_empty_name(org_admin):
    with translation.override("en"), pytest.raises(CommandError, match="Give the token a name"):
        call_command("create_api_token", "--user", org_admin.email, "--name", " ")
