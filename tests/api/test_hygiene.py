"""Requests an attacker or a careless client sends: each gets a clear 4xx, never a 500,
and nothing is stored. (Issue: API hygiene.)"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from sangsaeng.directory.models import Organisation
from sangsaeng.matching.models import Need
from sangsaeng.matching.parties import Party
from sangsaeng.matching.services import contact_request, need_create
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NEED = {
    "kind": "technology_request",
    "title": "NPU verification partner",
    "description": "UVM verification of a RISC-V NPU subsystem.",
}


@pytest.fixture
def need(org_admin, organisation) -> Need:
    return need_create(actor=org_admin, organisation=organisation, start_matching=False, **NEED)


def test_patching_a_need_with_a_null_summary_is_a_clear_422(api_as, org_admin, need):
    response = api_as(org_admin).patch(f"/api/needs/{need.pk}", {"summary": None})
    assert response.status_code == 422
    assert response.json()["errors"] == {"summary": ["Enter text."]}
    need.refresh_from_db()
    assert need.summary == ""


def test_patching_an_organisation_with_a_null_name_is_a_clear_422(api_as, org_admin, organisation):
    response = api_as(org_admin).patch(f"/api/organisations/{organisation.slug}", {"name_ko": None})
    assert response.status_code == 422
    organisation.refresh_from_db()
    assert organisation.name_ko


@pytest.mark.parametrize("path", ["/api/organisations", "/api/people", "/api/agreements"])
def test_a_page_number_past_any_database_integer_is_a_clear_422(api_as, path):
    response = api_as(None).get(path, {"page": "10000000000000000000"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"page": ["Enter a value of at most 1000000."]}


def test_a_nul_character_in_a_posted_need_is_refused_and_nothing_stored(
    api_as, org_admin, organisation
):
    response = api_as(org_admin).post(
        "/api/needs/", {**NEED, "organisation": organisation.slug, "title": "NPU\u0000 partner"}
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert not Need.objects.exists()


def test_a_nul_character_in_a_query_is_refused(api_as):
    assert api_as(None).get("/api/organisations", {"q": "npu\x00"}).status_code == 400
    assert Client().get("/ko/directory/organisations/", {"q": "npu\x00"}).status_code == 400


def test_a_nul_character_in_a_form_is_refused(client, org_admin, organisation):
    client.force_login(org_admin)
    response = client.post(
        "/en/needs/new/",
        {**NEED, "organisation": organisation.pk, "visibility": "public", "title": "a\x00b"},
    )
    assert response.status_code == 400
    assert not Need.objects.exists()


def test_a_body_larger_than_allowed_is_refused_before_it_is_read(client, org_admin, settings):
    client.force_login(org_admin)
    # The declared length decides: the server answers without reading 50 MB.
    response = client.post("/en/needs/new/", {"title": "x"}, CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413
    assert "larger than 11 MB" in response.text


def test_inviting_to_an_organisation_whose_name_has_a_line_break(
    client, org_admin, organisation, django_capture_on_commit_callbacks
):
    Organisation.objects.filter(pk=organisation.pk).update(
        name_ko="판교칩스\r\nBcc: everyone@example.org", name_en="Pangyo\nChips"
    )
    client.force_login(org_admin)
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes out after commit
        response = client.post(
            f"/en/accounts/organisations/{organisation.slug}/members/",
            {"email": "new.member@example.org", "role": "member"},
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["new.member@example.org"]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "Bcc" not in message.extra_headers


def test_a_line_break_in_a_need_title_does_not_lose_its_notification_mail(
    cluster_parties, django_capture_on_commit_callbacks
):
    poster, organisation, expert = cluster_parties
    need = need_create(
        actor=poster,
        organisation=organisation,
        start_matching=False,
        kind="technology_request",
        title="NPU partner\r\nBcc: everyone@example.org",
        description="UVM verification.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        contact_request(actor=poster, need=need, message="Could we talk?", party=Party.of(expert))
    (message,) = mail.outbox
    assert message.to == [expert.user.email]
    assert "NPU partner Bcc: everyone@example.org" in message.subject
    assert "\n" not in message.subject


@pytest.fixture
def cluster_parties(org_admin, organisation):
    expert = PersonFactory(user=UserFactory(email="expert@example.org"), organisation=None)
    return org_admin, organisation, expert


# --- the OpenAPI schema describes the answers as they are -----------------------------------


@pytest.fixture
def schema(client) -> dict:
    return client.get("/api/openapi.json").json()


def test_each_enumeration_has_its_own_name_and_its_models_values(schema):
    from sangsaeng.directory.models import Commitment, Person, Publication

    components = schema["components"]["schemas"]
    assert "Kind" not in components and "Status" not in components
    for name, choices in {
        "OrganisationKind": Organisation.Kind,
        "OrganisationStatus": Organisation.Status,
        "PersonKind": Person.Kind,
        "PublicationKind": Publication.Kind,
        "CommitmentStatus": Commitment.Status,
    }.items():
        assert components[name]["enum"] == list(choices.values), name


def test_optional_authentication_is_not_marked_required(schema):
    public_read = schema["paths"]["/api/organisations"]["get"]
    assert {} in public_read["security"]  # anonymous callers are welcome
    write = schema["paths"]["/api/organisations"]["post"]
    assert {} not in write["security"]
    tokens = schema["paths"]["/api/tokens"]["get"]
    assert {} not in tokens["security"]


def test_every_operation_declares_its_400_answer(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "400" in operation["responses"], f"{method.upper()} {path}"


@pytest.mark.parametrize("body", [[None, None], [1], 5, "text"])
def test_a_body_that_is_not_an_object_is_refused(api_as, org_admin, body):
    response = api_as(org_admin).patch("/api/notifications/preferences", body)
    assert response.status_code in (400, 422)
    assert response.json()["detail"]
