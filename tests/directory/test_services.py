"""The directory services called directly: what they save, what they refuse, who they name."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from sangsaeng.accounts.models import Membership
from sangsaeng.directory import services
from sangsaeng.directory.models import Commitment, Organisation, Person
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    IndicatorFactory,
    OrganisationFactory,
    TaxonomyTermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_registration_waits_and_its_registrant_becomes_admin():
    registrant = UserFactory()
    organisation = services.organisation_create(
        actor=registrant, kind=Organisation.Kind.COMPANY, name_ko="판교칩스"
    )
    assert organisation.status == Organisation.Status.PENDING
    assert Membership.objects.get(organisation=organisation).user == registrant
    assert LogEntry.objects.get_for_object(organisation).first().actor == registrant


def test_an_operators_organisation_is_approved_at_once(operator):
    organisation = services.organisation_create(
        actor=operator, kind=Organisation.Kind.UNIVERSITY, name_ko="세종대학교"
    )
    assert organisation.is_approved
    assert not Membership.objects.filter(organisation=organisation).exists()


def test_a_refused_change_changes_nothing(organisation, org_admin):
    TaxonomyTermFactory(code="ai")
    before = organisation.name_ko
    with pytest.raises(ValidationError) as refused:
        services.organisation_update(
            actor=org_admin, organisation=organisation, name_ko="새 이름", tags=["ai", "nope"]
        )
    assert "nope" in str(refused.value.message_dict["tags"])
    organisation.refresh_from_db()
    assert organisation.name_ko == before and not organisation.tags.exists()


def test_an_admin_adds_people_to_their_own_organisation_only(organisation, org_admin):
    person = services.person_create(actor=org_admin, organisation=organisation, name_ko="김연구")
    assert person.organisation == organisation
    elsewhere = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.person_create(actor=org_admin, organisation=elsewhere, name_ko="이외부")
    with pytest.raises(PermissionDenied):
        services.person_create(actor=org_admin, name_ko="무소속")
    assert list(Person.objects.values_list("name_ko", flat=True)) == ["김연구"]


def test_a_bad_publication_refuses_the_whole_profile(expert_user):
    person = Person.objects.get(user=expert_user)
    with pytest.raises(ValidationError) as refused:
        services.person_update(
            actor=expert_user,
            person=person,
            position_en="Chief Scientist",
            publications=[{"title": "Good"}, {"title": "Bad year", "year": 3000}],
        )
    assert "publications" in refused.value.message_dict
    person.refresh_from_db()
    assert person.position_en != "Chief Scientist" and not person.publications.exists()


def test_progress_is_reported_by_the_owners_admin_with_valid_values(organisation, org_admin):
    agreement = AgreementFactory(parties=[organisation, OrganisationFactory()])
    commitment = CommitmentFactory(agreement=agreement, owner=organisation)
    indicator = IndicatorFactory(commitment=commitment)
    with pytest.raises(ValidationError):
        services.commitment_report_progress(
            actor=org_admin,
            commitment=commitment,
            note_ko="",
            status="in_progress",
            indicator_values={indicator.pk: "-3"},
        )
    update = services.commitment_report_progress(
        actor=org_admin,
        commitment=commitment,
        note_ko="두 과정 개설",
        status=Commitment.Status.IN_PROGRESS,
        reported_on=datetime.date(2026, 3, 1),
        indicator_values={indicator.pk: "12"},
    )
    indicator.refresh_from_db()
    assert update.author == org_admin and indicator.value == 12
    assert Commitment.objects.get(pk=commitment.pk).status == Commitment.Status.IN_PROGRESS
