"""Agreements and their commitments, progress reports, and the operator's approval queue."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from sangsaeng.accounts.models import Membership
from sangsaeng.directory.models import CommitmentUpdate, Organisation
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(name: str, *args: object, language: str = "ko") -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def commitment(organisation):
    agreement = AgreementFactory(
        slug="mou", title_en="Seongnam cluster MOU", parties=[organisation, OrganisationFactory()]
    )
    commitment = CommitmentFactory(agreement=agreement, owner=organisation, title_en="Talent")
    IndicatorFactory(commitment=commitment, name_en="Students trained", target=100, value=25)
    return commitment


def progress_data(commitment, **overrides: object) -> dict[str, object]:
    prefix = f"commitment-{commitment.pk}-"
    indicator = commitment.indicators.get()
    data = {
        "reported_on": "2026-03-31",
        "status": "in_progress",
        "note_en": "First cohort finished the course.",
        f"indicator_{indicator.pk}": "40",
    }
    data.update(overrides)
    return {prefix + key: value for key, value in data.items()}


def test_agreement_list_shows_public_agreements_only(client):
    AgreementFactory(title_en="Open MOU")
    AgreementFactory(title_en="Closed MOU", is_public=False)
    page = client.get(url("directory:agreement_list", language="en"))
    assert "Open MOU" in page.text and "Closed MOU" not in page.text


def test_private_agreement_page_is_not_found_for_the_public(client):
    AgreementFactory(slug="closed", is_public=False)
    assert client.get(url("directory:agreement_detail", "closed")).status_code == 404


def test_agreement_page_shows_parties_date_commitments_and_progress(client, commitment):
    CommitmentUpdate.objects.create(
        commitment=commitment,
        reported_on=datetime.date(2026, 2, 1),
        note_en="Curriculum agreed with Sejong University.",
        status="in_progress",
    )
    page = client.get(url("directory:agreement_detail", "mou", language="en"))
    text = page.text
    assert "Seongnam cluster MOU" in text
    assert "2026-01-09" in text
    for party in commitment.agreement.parties.all():
        assert party.name_en in text
    assert "Talent" in text and "Students trained" in text
    assert '<progress class="indicator-bar" max="100" value="25">' in text
    assert "Curriculum agreed with Sejong University." in text
    assert "2026-02-01" in text
    assert 'class="status status-planned"' in text
    assert "Report progress" not in text  # the public only reads


def test_owner_admin_reports_progress_from_the_agreement_page(client, commitment, org_admin):
    client.force_login(org_admin)
    page = client.get(url("directory:agreement_detail", "mou", language="en"))
    assert "Report progress" in page.text
    response = client.post(
        url("directory:commitment_report_progress", "mou", commitment.pk, language="en"),
        progress_data(commitment),
        follow=True,
    )
    assert "The progress update is saved." in response.text
    assert "First cohort finished the course." in response.text
    commitment.refresh_from_db()
    assert commitment.status == "in_progress"
    assert commitment.indicators.get().value == 40
    assert commitment.updates.get().reported_on == datetime.date(2026, 3, 31)


def test_empty_note_and_negative_value_are_refused_in_korean(client, commitment, org_admin):
    client.force_login(org_admin)
    response = client.post(
        url("directory:commitment_report_progress", "mou", commitment.pk),
        progress_data(
            commitment, note_en="", **{f"indicator_{commitment.indicators.get().pk}": "-5"}
        ),
    )
    assert response.status_code == 400
    assert "진행 상황을 한국어나 영어로 적어 주세요." in response.text
    assert "0 이상의 숫자를 입력하세요." in response.text
    assert not commitment.updates.exists()
    assert commitment.indicators.get().value == 25


def test_progress_error_keeps_input_in_english(client, commitment, org_admin):
    client.force_login(org_admin)
    response = client.post(
        url("directory:commitment_report_progress", "mou", commitment.pk, language="en"),
        progress_data(commitment, note_en="Half written", reported_on="31/31/2026"),
    )
    assert response.status_code == 400
    assert "Enter a date such as 2026-03-31." in response.text
    assert "Half written" in response.text
    assert not commitment.updates.exists()


def test_member_of_another_organisation_may_not_report_progress(client, commitment):
    stranger = MembershipFactory(role=Membership.Role.ADMIN).user
    client.force_login(stranger)
    response = client.post(
        url("directory:commitment_report_progress", "mou", commitment.pk),
        progress_data(commitment),
    )
    assert response.status_code == 403
    assert not commitment.updates.exists()


def test_anonymous_visitor_may_not_report_progress(client, commitment):
    response = client.post(
        url("directory:commitment_report_progress", "mou", commitment.pk),
        progress_data(commitment),
    )
    assert response.status_code == 403
    assert not commitment.updates.exists()


def test_operator_reports_progress_on_any_commitment(client, commitment, operator):
    client.force_login(operator)
    client.post(
        url("directory:commitment_report_progress", "mou", commitment.pk),
        progress_data(commitment, status="done"),
    )
    commitment.refresh_from_db()
    assert commitment.status == "done"


# --- the approval queue ----------------------------------------------------------------


def test_approval_queue_lists_pending_organisations_for_operators(client, operator):
    OrganisationFactory(name_en="Waiting Co", status=Organisation.Status.PENDING)
    OrganisationFactory(name_en="Approved Co")
    client.force_login(operator)
    page = client.get(url("directory:approval_queue", language="en"))
    assert "Waiting Co" in page.text and "Approved Co" not in page.text


def test_approval_queue_is_forbidden_to_members(client, org_admin):
    client.force_login(org_admin)
    assert client.get(url("directory:approval_queue")).status_code == 403


def test_approval_queue_asks_visitors_to_log_in(client):
    response = client.get(url("directory:approval_queue"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_operator_approves_and_the_organisation_appears_publicly(client, operator):
    OrganisationFactory(slug="waiting", name_ko="대기기관", status=Organisation.Status.PENDING)
    client.force_login(operator)
    response = client.post(
        url("directory:organisation_decide", "waiting"), {"decision": "approve"}, follow=True
    )
    assert "대기기관" in response.text
    assert Organisation.objects.get(slug="waiting").status == Organisation.Status.APPROVED
    client.logout()
    assert client.get(url("directory:organisation_detail", "waiting")).status_code == 200


def test_operator_rejects_and_the_organisation_stays_hidden(client, operator):
    OrganisationFactory(slug="waiting", status=Organisation.Status.PENDING)
    client.force_login(operator)
    client.post(
        url("directory:organisation_decide", "waiting"),
        {"decision": "reject", "reason": "No office in Seongnam"},
    )
    assert Organisation.objects.get(slug="waiting").status == Organisation.Status.REJECTED
    client.logout()
    assert client.get(url("directory:organisation_detail", "waiting")).status_code == 404


def test_organisation_admin_cannot_approve_their_own_organisation(client):
    organisation = OrganisationFactory(slug="mine", status=Organisation.Status.PENDING)
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    client.force_login(admin)
    response = client.post(url("directory:organisation_decide", "mine"), {"decision": "approve"})
    assert response.status_code == 403
    assert Organisation.objects.get(slug="mine").status == Organisation.Status.PENDING


# --- the Django admin ------------------------------------------------------------------


def test_admin_is_open_to_staff_operators_and_lists_organisations(client, operator):
    OrganisationFactory(name_ko="관리대상")
    client.force_login(operator)
    for model in ["organisation", "person", "agreement", "commitment", "taxonomyterm"]:
        assert client.get(f"/ko/admin/directory/{model}/").status_code == 200, model
    assert "관리대상" in client.get("/ko/admin/directory/organisation/").text
    assert client.get("/ko/admin/accounts/user/").status_code == 200
    commitment = CommitmentFactory()
    for page in [
        "/ko/admin/directory/organisation/add/",
        "/ko/admin/directory/person/add/",
        f"/ko/admin/directory/agreement/{commitment.agreement.pk}/change/",
        f"/ko/admin/directory/commitment/{commitment.pk}/change/",
        f"/ko/admin/accounts/user/{operator.pk}/change/",
        "/ko/admin/accounts/invitation/",
    ]:
        assert client.get(page).status_code == 200, page


def test_admin_is_closed_to_non_staff(client):
    client.force_login(UserFactory())
    response = client.get("/ko/admin/directory/organisation/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
