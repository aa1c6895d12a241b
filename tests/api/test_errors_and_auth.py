"""What a client sees when it authenticates wrongly or sends bad input, in Korean and English."""

from __future__ import annotations

import pytest
from django.test import Client

from sangsaeng.accounts.services import api_token_create, api_token_revoke
from sangsaeng.directory.models import Organisation
from tests.factories import OrganisationFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


def test_missing_token_on_a_write_is_401_with_a_bearer_challenge(api_as):
    response = api_as(None).post("/api/organisations", {"kind": "company", "name_ko": "새 회사"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]
    assert not Organisation.objects.exists()


def test_unknown_token_is_refused_even_for_public_reads():
    response = Client().get(
        "/api/organisations",
        headers={"Authorization": "Bearer ssg_not-a-real-token", "Accept-Language": "en"},
    )
    assert response.status_code == 401
    assert response.json() == {
        "detail": "The API token is not valid: it is unknown or was revoked."
    }


def test_a_revoked_token_stops_working(org_admin):
    record, token = api_token_create(actor=org_admin, name="laptop")
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    assert Client().get("/api/me", headers=headers).status_code == 200
    api_token_revoke(actor=org_admin, token=record)
    response = Client().get("/api/me", headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_basic_auth_scheme_is_not_a_token():
    response = Client().get("/api/organisations", headers={"Authorization": "Basic dTpw"})
    assert response.status_code == 401


def test_schema_errors_name_each_field_in_english(api_as, org_admin):
    response = api_as(org_admin).post(
        "/api/organisations", {"kind": "bakery", "name_ko": 42, "colour": "red"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request has fields that are missing or not valid."
    assert body["errors"]["kind"] == [
        "Choose one of: 'company', 'university', 'research_institute', 'government', "
        "'support_agency'."
    ]
    assert body["errors"]["name_ko"] == ["Enter text."]
    assert body["errors"]["colour"] == ["This field is not expected here."]


def test_schema_errors_are_in_korean_when_asked(api_as, org_admin):
    response = api_as(org_admin, language="ko").post("/api/organisations", {"kind": "company"})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == {"name_ko": ["필수 항목입니다."]}
    assert body["detail"] == "요청에 빠졌거나 올바르지 않은 항목이 있습니다."


def test_query_errors_name_the_parameter(api_as):
    response = api_as(None).get("/api/organisations", {"page": "two", "page_size": 1000})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "page": ["Enter a whole number."],
        "page_size": ["Enter a value of at most 100."],
    }


def test_service_errors_are_400_with_the_same_shape_and_save_nothing(api_as, org_admin):
    response = api_as(org_admin).post(
        "/api/organisations",
        {"kind": "company", "name_ko": "새 회사", "website": "not a url", "tags": ["nope"]},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The request was not accepted: nothing was changed."
    assert body["errors"] == {"tags": ["Unknown capability codes: nope"]}
    assert not Organisation.objects.filter(name_ko="새 회사").exists()


def test_model_validation_errors_are_translated(api_as, org_admin, organisation):
    response = api_as(org_admin, language="ko").patch(
        f"/api/organisations/{organisation.slug}", {"website": "not a url"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"website": ["올바른 URL을 입력하세요."]}
    organisation.refresh_from_db()
    assert organisation.website == ""


def test_a_failed_update_keeps_what_was_saved(api_as, org_admin, organisation):
    term = TaxonomyTermFactory(code="npu")
    organisation.tags.set([term])
    response = api_as(org_admin).patch(
        f"/api/organisations/{organisation.slug}", {"city": "Seongnam", "tags": ["npu", "gone"]}
    )
    assert response.status_code == 400
    organisation.refresh_from_db()
    assert organisation.city == ""
    assert list(organisation.tags.values_list("code", flat=True)) == ["npu"]


def test_a_body_that_is_not_json_is_a_clear_400(org_admin):
    _record, token = api_token_create(actor=org_admin, name="t")
    response = Client().post(
        "/api/organisations",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The request body is not valid JSON."


def test_not_found_and_forbidden_messages_follow_the_language(api_as, org_member, organisation):
    hidden = OrganisationFactory(status=Organisation.Status.PENDING)
    missing = api_as(org_member, language="ko").get(f"/api/organisations/{hidden.slug}")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "찾을 수 없습니다."}
    forbidden = api_as(org_member, language="ko").patch(
        f"/api/organisations/{organisation.slug}", {"city": "성남"}
    )
    assert forbidden.status_code == 403
    assert forbidden.json() == {"detail": "이 작업을 할 권한이 없습니다."}


def test_hidden_and_missing_records_answer_alike(api_as):
    hidden = OrganisationFactory(status=Organisation.Status.PENDING)
    hidden_response = api_as(None).get(f"/api/organisations/{hidden.slug}")
    missing_response = api_as(None).get("/api/organisations/no-such-org")
    assert hidden_response.status_code == missing_response.status_code == 404
    assert hidden_response.json() == missing_response.json()


class TestBrowserSession:
    """The browser's session works too; its writes need the CSRF token, like a form."""

    def _logged_in_client(self, user) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    def test_session_reads_need_no_csrf_token(self, org_admin):
        response = self._logged_in_client(org_admin).get("/api/me")
        assert response.status_code == 200
        assert response.json()["email"] == org_admin.email

    def test_session_write_without_csrf_token_is_refused(self, org_admin, organisation):
        response = self._logged_in_client(org_admin).patch(
            f"/api/organisations/{organisation.slug}",
            {"city": "Seongnam"},
            content_type="application/json",
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]
        organisation.refresh_from_db()
        assert organisation.city == ""

    def test_session_write_with_csrf_token_is_accepted(self, org_admin, organisation):
        client = self._logged_in_client(org_admin)
        client.get("/api/docs")  # the docs page sets the CSRF cookie, as it does in a browser
        token = client.cookies["csrftoken"].value
        response = client.patch(
            f"/api/organisations/{organisation.slug}",
            {"city": "Seongnam"},
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == 200
        assert response.json()["city"] == "Seongnam"
