"""The cluster office's work: a rejection says why and the registrant is told either way (in
the platform and by mail); the import page lists the capability codes it accepts and is
reached from the operator's dashboard and the directory."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from sangsaeng.directory.models import Organisation
from sangsaeng.directory.services import organisation_create
from sangsaeng.notifications.models import Notification
from tests.api.conftest import ApiClient
from tests.factories import OperatorFactory, TaxonomyTermFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    registrant = UserFactory(email="registrant@quillon.example")
    organisation = organisation_create(
        actor=registrant, kind="company", name_ko="퀼론포토닉스", name_en="Quillon Photonics"
    )
    return registrant, organisation


def _operator_client() -> Client:
    client = Client()
    client.force_login(OperatorFactory())
    return client


def test_rejecting_without_a_reason_is_refused_and_changes_nothing(registration):
    _registrant, organisation = registration
    client = _operator_client()
    response = client.post(
        f"/ko/directory/approvals/{organisation.slug}/decide/", {"decision": "reject"}, follow=True
    )
    assert "반려 사유를 적어 주세요" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING
    assert not Notification.objects.exists()


def test_the_registrant_is_told_of_a_rejection_and_its_reason(
    registration, django_capture_on_commit_callbacks
):
    registrant, organisation = registration
    client = _operator_client()
    queue = client.get("/ko/directory/approvals/").content.decode()
    assert f'id="reason-{organisation.slug}"' in queue
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/ko/directory/approvals/{organisation.slug}/decide/",
            {"decision": "reject", "reason": "성남 소재 사업장을 확인할 수 없습니다."},
        )
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.REJECTED
    assert organisation.decision_reason == "성남 소재 사업장을 확인할 수 없습니다."
    notification = Notification.objects.get(recipient=registrant)
    registrant_client = Client()
    registrant_client.force_login(registrant)
    page = registrant_client.get("/ko/notifications/").content.decode()
    assert "퀼론포토닉스 기관의 가입을 승인하지 않았습니다" in page
    assert notification.link == organisation.get_absolute_url()
    (sent,) = [m for m in mail.outbox if m.to == ["registrant@quillon.example"]]
    assert "성남 소재 사업장을 확인할 수 없습니다." in sent.body


def test_the_registrant_is_told_of_an_approval(registration, django_capture_on_commit_callbacks):
    registrant, organisation = registration
    with django_capture_on_commit_callbacks(execute=True):
        _operator_client().post(
            f"/en/directory/approvals/{organisation.slug}/decide/", {"decision": "approve"}
        )
    registrant_client = Client()
    registrant_client.force_login(registrant)
    page = registrant_client.get("/en/notifications/").content.decode()
    assert "approved the registration of Quillon Photonics" in page


def test_the_api_rejects_with_a_reason_only(registration):
    _registrant, organisation = registration
    api = ApiClient(OperatorFactory())
    refused = api.post(f"/api/organisations/{organisation.slug}/reject", {"reason": " "})
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    assert api.post(f"/api/organisations/{organisation.slug}/reject", {}).status_code == 422
    done = api.post(f"/api/organisations/{organisation.slug}/reject", {"reason": "Duplicate"})
    assert done.status_code == 200 and done.json()["status"] == "rejected"


def test_the_import_page_lists_the_codes_and_is_linked_from_dashboard_and_directory():
    TaxonomyTermFactory(code="ai", name_ko="인공지능", name_en="Artificial intelligence")
    TaxonomyTermFactory(code="npu", name_ko="NPU 설계", name_en="NPU design")
    client = _operator_client()
    dashboard = client.get("/ko/accounts/dashboard/").content.decode()
    assert 'href="/ko/directory/import/" id="dashboard-import"' in dashboard
    directory = client.get("/ko/directory/organisations/").content.decode()
    assert 'id="directory-import" href="/ko/directory/import/"' in directory
    page = client.get("/ko/directory/import/").content.decode()
    table = page[page.index('id="taxonomy-table"') :]
    assert "<code><strong>ai</strong></code>" in table and "NPU 설계" in table
    assert "<code>npu</code>" in table or "<code><strong>npu</strong></code>" in table
    # Others see no link to it.
    member = Client()
    member.force_login(UserFactory())
    assert "directory-import" not in member.get("/ko/directory/organisations/").content.decode()
