"""An account that respects its person (PIPA): sign-up asks a name and each consent
separately and records it with its version and time; the user sees, re-gives and withdraws
consents, changes their name and language, makes and revokes API tokens, and closes the
account with their profile. The privacy policy and the terms are pages in both languages,
linked from every page's footer and from sign-up."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from sangsaeng.accounts.models import ApiToken, Consent, Membership, User
from sangsaeng.accounts.policies import PRIVACY, TERMS
from sangsaeng.directory.models import Person, Publication
from sangsaeng.directory.services import person_update
from tests.api.conftest import ApiClient
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    PersonFactory,
    PublicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "minji@example.org",
    "display_name": "오민지",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "agree_privacy": "on",
    "agree_terms": "on",
}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_signup_explains_the_collection_and_links_the_policies(client, language):
    page = client.get(f"/{language}/accounts/signup/").content.decode()
    assert 'name="display_name"' in page
    assert 'name="agree_privacy"' in page and 'name="agree_terms"' in page
    assert f'href="/{language}/privacy/"' in page and f'href="/{language}/terms/"' in page
    notice = page[page.index('id="consent-notice"') :]
    expected = ("목적", "항목", "보유 기간") if language == "ko" else ("Why", "What", "How long")
    assert all(word in notice for word in expected)


def test_signup_without_the_consents_or_a_name_creates_nothing(client):
    response = client.post(
        "/ko/accounts/signup/",
        {**SIGNUP, "display_name": "", "agree_privacy": "", "agree_terms": ""},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("계정을 만들려면 동의가 필요합니다.") == 2
    assert "다른 사람에게 보일 이름을 입력하세요." in text
    assert not User.objects.filter(email="minji@example.org").exists()


def test_signup_records_the_name_language_and_each_consent_with_version_and_time(client):
    before = timezone.now()
    response = client.post("/en/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="minji@example.org")
    assert (user.display_name, user.language) == ("오민지", "en")
    consents = {c.kind: c for c in Consent.objects.filter(user=user)}
    assert set(consents) == {"privacy", "terms"}
    assert consents["privacy"].version == PRIVACY.version
    assert consents["terms"].version == TERMS.version
    assert all(c.given_at >= before and c.withdrawn_at is None for c in consents.values())
    page = client.get("/en/accounts/me/consents/").content.decode()
    assert PRIVACY.version in page and "Withdraw" in page
    dashboard = client.get("/en/accounts/dashboard/").content.decode()
    assert "Welcome, 오민지" in dashboard


def test_an_email_address_is_not_a_display_name(client):
    response = client.post("/ko/accounts/signup/", {**SIGNUP, "display_name": "minji@example.org"})
    assert "이메일 주소가 아닌 이름을 적어 주세요." in response.content.decode()
    assert not User.objects.filter(email="minji@example.org").exists()


def test_the_user_changes_name_and_language_and_the_site_remembers_the_language(client):
    user = UserFactory(display_name="오민지", language="ko")
    client.force_login(user)
    client.get("/en/directory/organisations/")
    user.refresh_from_db()
    assert user.language == "en"
    client.get("/api/organisations", headers={"Accept-Language": "ko"})
    user.refresh_from_db()
    assert user.language == "en"  # the API does not change it
    response = client.post(
        "/ko/accounts/me/", {"display_name": "Minji Oh", "language": "ko"}, follow=True
    )
    assert "계정 정보를 저장했습니다." in response.content.decode()
    user.refresh_from_db()
    assert (user.display_name, user.language) == ("Minji Oh", "ko")


def test_withdrawing_a_required_consent_closes_the_account_with_the_profile(client):
    user = UserFactory()
    for kind in ("privacy", "terms"):
        Consent.objects.create(user=user, kind=kind, version="2026-11-27")
    person = PersonFactory(user=user, email="own@example.org")
    PublicationFactory(person=person)
    person_update(actor=user, person=person, position_en="Researcher")
    MembershipFactory(user=user)
    ApiClient(user)  # makes an API token
    assert LogEntry.objects.get_for_object(person).exists()
    client.force_login(user)
    consents = client.get("/ko/accounts/me/consents/").content.decode()
    assert 'href="/ko/accounts/me/close/?withdraw=privacy"' in consents
    page = client.get("/ko/accounts/me/close/?withdraw=privacy").content.decode()
    assert "철회하면 계정이 삭제됩니다" in page

    wrong = client.post("/ko/accounts/me/close/", {"password": "not-my-password"})
    assert "비밀번호가 맞지 않습니다." in wrong.content.decode()
    assert User.objects.filter(pk=user.pk).exists()

    response = client.post("/ko/accounts/me/close/", {"password": PASSWORD}, follow=True)
    assert "계정과 프로필을 삭제했습니다." in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Publication.objects.filter(person_id=person.pk).exists()
    assert not Consent.objects.filter(user_id=user.pk).exists()
    assert not Membership.objects.filter(user_id=user.pk).exists()
    assert not ApiToken.objects.filter(user_id=user.pk).exists()
    # The audit log keeps nothing of the deleted profile either.
    assert not LogEntry.objects.filter(
        content_type__model="person", object_pk=str(person.pk)
    ).exists()
    assert client.get("/ko/accounts/dashboard/").status_code == 302


def test_a_user_deletes_their_profile_and_keeps_the_account(client):
    user = UserFactory()
    person = PersonFactory(user=user)
    client.force_login(user)
    page = client.get("/ko/directory/experts/me/edit/").content.decode()
    assert "내 프로필 삭제" in page
    client.post("/ko/directory/experts/me/delete/")
    assert not Person.objects.filter(pk=person.pk).exists()
    assert User.objects.filter(pk=user.pk).exists()


def test_the_user_makes_a_token_once_and_revokes_it(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/en/accounts/me/tokens/", {"name": "lab script"})
    page = response.content.decode()
    token = page[
        page.index('<code class="token">') + 20 : page.index(
            "</code>", page.index('<code class="token">')
        )
    ]
    assert token.startswith("ssg_")
    assert (
        ApiClient()
        .get(
            "/api/me",
        )
        .status_code
        == 401
    )
    headers = {"Authorization": f"Bearer {token}"}
    assert Client().get("/api/me", headers=headers).status_code == 200
    listing = client.get("/en/accounts/me/tokens/").content.decode()
    assert "lab script" in listing and token not in listing  # shown only once
    record = ApiToken.objects.get(user=user)
    client.post(f"/en/accounts/me/tokens/{record.pk}/revoke/")
    assert Client().get("/api/me", headers=headers).status_code == 401
    assert "Revoked" in client.get("/en/accounts/me/tokens/").content.decode()
    empty = client.post("/en/accounts/me/tokens/", {"name": ""})
    assert empty.status_code == 400


def test_the_api_docs_point_to_the_token_page(client):
    description = client.get("/api/openapi.json").json()["info"]["description"]
    assert "/accounts/me/tokens/" in description
    user = UserFactory()
    client.force_login(user)
    assert client.get("/ko/accounts/me/tokens/").status_code == 200


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_policies_are_pages_in_both_languages_linked_from_every_footer(client, language):
    home = client.get(f"/{language}/").content.decode()
    assert 'id="footer-privacy"><strong>' in home and f'href="/{language}/terms/"' in home
    privacy = client.get(f"/{language}/privacy/").content.decode()
    terms = client.get(f"/{language}/terms/").content.decode()
    if language == "ko":
        assert "개인정보 처리방침" in home
        assert "개인정보 보호책임자" in privacy and "보유 기간" in privacy
        assert "이용약관" in terms
    else:
        assert "Privacy policy" in home
        assert "Privacy officer" in privacy and "How long we keep it" in privacy
        assert "Terms of use" in terms
    assert PRIVACY.version in privacy
