"""What the directory's services give the importer: a chosen short name, and moving a person.

The importer writes only through these services, so their checks (validation, the access
policy) hold for an import exactly as for the pages and the API.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from sangsaeng.accounts.models import Membership
from sangsaeng.directory import services
from sangsaeng.directory.models import Organisation, Person
from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_new_organisation_keeps_the_short_name_it_is_given(operator):
    organisation = services.organisation_create(
        actor=operator, kind="company", name_ko="감마", name_en="Gamma", slug="gamma-npu"
    )
    assert organisation.slug == "gamma-npu"
    assert services.organisation_create(actor=operator, kind="company", name_ko="감마").slug


@pytest.mark.parametrize(
    ("slug", "reason"),
    [
        ("new", "“new” names a page of the site"),
        ("two words", "“slug”"),
        ("x" * 101, "at most 100 characters"),
    ],
)
def test_a_bad_short_name_is_refused_before_anything_is_saved(operator, slug, reason):
    with pytest.raises(ValidationError) as raised:
        services.person_create(actor=operator, name_ko="김", slug=slug)
    assert reason in " ".join(raised.value.message_dict["slug"])
    assert not Person.objects.exists()


def test_a_short_name_already_taken_is_refused(operator):
    PersonFactory(slug="kim")
    with pytest.raises(ValidationError) as raised:
        services.person_create(actor=operator, name_ko="김", slug="kim")
    assert "slug" in raised.value.message_dict
    assert Person.objects.filter(slug="kim").count() == 1


def test_an_operator_moves_a_person_to_another_organisation_or_to_none(operator):
    person = PersonFactory()
    other = OrganisationFactory()
    assert services.person_update(actor=operator, person=person, organisation=other).organisation
    person.refresh_from_db()
    assert person.organisation == other
    services.person_update(actor=operator, person=person, organisation=None)
    person.refresh_from_db()
    assert person.organisation is None


def test_leaving_the_organisation_out_keeps_it(operator):
    person = PersonFactory()
    before = person.organisation
    services.person_update(actor=operator, person=person, name_en="Changed")
    person.refresh_from_db()
    assert person.organisation == before and person.name_en == "Changed"


def test_an_admin_moves_an_unclaimed_person_only_into_an_organisation_it_administers(
    org_admin, organisation
):
    person = PersonFactory(organisation=organisation)
    second = OrganisationFactory()
    MembershipFactory(user=org_admin, organisation=second, role=Membership.Role.ADMIN)
    services.person_update(actor=org_admin, person=person, organisation=second)
    person.refresh_from_db()
    assert person.organisation == second

    foreign = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.person_update(actor=org_admin, person=person, organisation=foreign)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=org_admin, person=person, organisation=None)
    person.refresh_from_db()
    assert person.organisation == second


def test_an_expert_cannot_attach_their_own_profile_to_an_organisation(expert_user):
    person = Person.objects.get(user=expert_user)
    other = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.person_update(actor=expert_user, person=person, organisation=other)
    # Saving their profile without naming an organisation still works.
    services.person_update(actor=expert_user, person=person, name_en="Still Me")
    person.refresh_from_db()
    assert person.organisation != other and person.name_en == "Still Me"


def test_a_chosen_short_name_does_not_skip_the_operators_approval(org_member):
    organisation = services.organisation_create(
        actor=org_member, kind="company", name_ko="새회사", slug="new-co"
    )
    assert organisation.slug == "new-co"
    assert organisation.status == Organisation.Status.PENDING
