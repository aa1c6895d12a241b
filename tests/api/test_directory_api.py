"""The directory through the API: what each caller lists, reads, creates and changes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db.models.signals import pre_save

from sangsaeng.accounts.models import Membership
from sangsaeng.directory.models import Agreement, Organisation, Person
from tests.factories import (
    AgreementFactory,
    CommitmentFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    StudentFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


class TestOrganisations:
    def test_lists_approved_organisations_filtered_by_kind_tag_and_words(self, api_as):
        ai = TaxonomyTermFactory(code="ai")
        npu = TaxonomyTermFactory(code="npu", parent=ai)
        OrganisationFactory(slug="npu-maker", tags=[npu])
        OrganisationFactory(slug="ai-lab", kind=Organisation.Kind.UNIVERSITY, tags=[ai])
        OrganisationFactory(slug="bakery", name_en="Pangyo Bakery", description_en="Bread")
        OrganisationFactory(slug="waiting", status=Organisation.Status.PENDING, tags=[npu])
        client = api_as(None)
        assert sorted(_slugs(client.get("/api/organisations", {"tag": "ai"}))) == [
            "ai-lab",
            "npu-maker",
        ]
        assert _slugs(client.get("/api/organisations", {"tag": "ai", "kind": "company"})) == [
            "npu-maker"
        ]
        assert _slugs(client.get("/api/organisations", {"q": "bread"})) == ["bakery"]

    def test_pages_count_every_match_and_return_one_page(self, api_as):
        for number in range(5):
            OrganisationFactory(name_ko=f"기관 {number}")
        body = api_as(None).get("/api/organisations", {"page": 2, "page_size": 2}).json()
        assert body["count"] == 5
        assert body["page"] == 2
        assert [item["name_ko"] for item in body["results"]] == ["기관 2", "기관 3"]
        past_the_end = api_as(None).get("/api/organisations", {"page": 9, "page_size": 2})
        assert past_the_end.json()["results"] == []

    def test_unknown_tag_filter_is_named(self, api_as):
        response = api_as(None).get("/api/organisations", {"tag": "quantum"})
        assert response.status_code == 400
        assert response.json()["errors"] == {"tag": ["Unknown capability codes: quantum"]}

    def test_pending_organisations_are_listed_for_operators_only(
        self, api_as, operator, org_member
    ):
        OrganisationFactory(slug="waiting", status=Organisation.Status.PENDING)
        assert _slugs(api_as(operator).get("/api/organisations", {"status": "pending"})) == [
            "waiting"
        ]
        assert _slugs(api_as(org_member).get("/api/organisations", {"status": "pending"})) == []
        assert _slugs(api_as(None).get("/api/organisations", {"status": "pending"})) == []

    def test_registering_makes_a_pending_organisation_with_the_caller_as_admin(
        self, api_as, expert_user
    ):
        TaxonomyTermFactory(code="eda")
        response = api_as(expert_user).post(
            "/api/organisations",
            {"kind": "company", "name_ko": "판교 EDA", "name_en": "Pangyo EDA", "tags": ["eda"]},
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["status"] == "pending"
        assert body["tags"] == ["eda"]
        organisation = Organisation.objects.get(slug=body["slug"])
        assert Membership.objects.get(organisation=organisation).user == expert_user
        # Its admin still sees it; the public does not.
        assert api_as(expert_user).get(f"/api/organisations/{body['slug']}").status_code == 200
        assert api_as(None).get(f"/api/organisations/{body['slug']}").status_code == 404

    def test_operator_approves_through_the_api_and_the_log_names_the_operator(
        self, api_as, operator
    ):
        waiting = OrganisationFactory(slug="waiting", status=Organisation.Status.PENDING)
        response = api_as(operator).post("/api/organisations/waiting/approve")
        assert response.status_code == 200
        assert response.json()["status"] == "approved"
        assert api_as(None).get("/api/organisations/waiting").status_code == 200
        entry = LogEntry.objects.get_for_object(waiting).latest("timestamp")
        assert entry.actor == operator
        assert entry.changes_dict["status"] == ["pending", "approved"]

    def test_org_admin_update_is_audited_with_the_token_owner_as_actor(
        self, api_as, org_admin, organisation
    ):
        response = api_as(org_admin).patch(
            f"/api/organisations/{organisation.slug}",
            {"city": "Seongnam", "employee_count": 40},
        )
        assert response.status_code == 200
        assert response.json()["city"] == "Seongnam"
        entry = LogEntry.objects.get_for_object(organisation).latest("timestamp")
        assert entry.actor == org_admin
        assert entry.changes_dict["city"] == ["", "Seongnam"]

    def test_sending_a_field_that_cannot_change_is_refused(self, api_as, org_admin, organisation):
        response = api_as(org_admin).patch(
            f"/api/organisations/{organisation.slug}", {"status": "approved"}
        )
        assert response.status_code == 422
        assert response.json()["errors"] == {"status": ["This field is not expected here."]}

    def test_names_follow_the_language_asked_for(self, api_as, organisation):
        korean = api_as(None, language="ko").get(f"/api/organisations/{organisation.slug}")
        english = api_as(None, language="en").get(f"/api/organisations/{organisation.slug}")
        assert korean.json()["name"] == organisation.name_ko
        assert english.json()["name"] == organisation.name_en


class TestPeople:
    def test_public_listing_shows_experts_and_never_students(self, api_as):
        PersonFactory(slug="expert")
        StudentFactory(slug="unlisted-student")
        StudentFactory(slug="listed-student", is_public=True)
        assert _slugs(api_as(None).get("/api/people")) == ["expert"]
        assert _slugs(api_as(None).get("/api/people", {"kind": "student"})) == []

    def test_members_of_approved_organisations_see_no_student_even_a_listed_one(
        self, api_as, org_member
    ):
        # Companies see a student only through the talent app's recorded consent.
        StudentFactory(slug="unlisted-student")
        StudentFactory(slug="listed-student", is_public=True)
        assert _slugs(api_as(org_member).get("/api/people", {"kind": "student"})) == []

    def test_a_student_sees_their_own_profile_only(self, api_as, student_user):
        StudentFactory(slug="someone-else")
        own = Person.objects.get(user=student_user)
        assert _slugs(api_as(student_user).get("/api/people", {"kind": "student"})) == [own.slug]

    def test_person_detail_has_publications(self, api_as):
        person = PersonFactory(slug="kim")
        PublicationFactory(person=person, title="A 12-bit SAR ADC", year=2024)
        body = api_as(None).get("/api/people/kim").json()
        assert body["kind"] == "expert"
        assert [p["title"] for p in body["publications"]] == ["A 12-bit SAR ADC"]

    def test_expert_updates_own_profile_and_publications(self, api_as, expert_user):
        person = Person.objects.get(user=expert_user)
        response = api_as(expert_user).patch(
            f"/api/people/{person.slug}",
            {
                "expertise_keywords": ["NPU", " npu ", "RISC-V"],
                "publications": [{"title": "Edge NPU", "year": 2025, "kind": "paper"}],
            },
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["expertise_keywords"] == ["NPU", "RISC-V"]
        assert [p["title"] for p in body["publications"]] == ["Edge NPU"]

    def test_a_publication_with_an_impossible_year_is_named_and_the_old_list_kept(
        self, api_as, expert_user
    ):
        person = Person.objects.get(user=expert_user)
        PublicationFactory(person=person, title="Kept")
        response = api_as(expert_user).patch(
            f"/api/people/{person.slug}",
            {"publications": [{"title": "Fine"}, {"title": "Odd", "year": 1200}]},
        )
        assert response.status_code == 422
        assert response.json()["errors"] == {
            "publications.1.year": ["Enter a value of at least 1900."]
        }
        assert list(person.publications.values_list("title", flat=True)) == ["Kept"]

    def test_org_admin_adds_a_person_to_their_organisation(self, api_as, org_admin, organisation):
        response = api_as(org_admin).post(
            "/api/people",
            {"organisation": organisation.slug, "name_ko": "이설계", "name_en": "Seolgye Lee"},
        )
        assert response.status_code == 201, response.content
        assert response.json()["organisation"] == organisation.slug

    def test_a_member_cannot_add_people(self, api_as, org_member, organisation):
        response = api_as(org_member).post(
            "/api/people", {"organisation": organisation.slug, "name_ko": "이설계"}
        )
        assert response.status_code == 403
        assert not Person.objects.filter(name_ko="이설계").exists()


class TestAgreements:
    def test_non_public_agreements_show_to_their_parties_only(self, api_as, org_member):
        own_org = org_member.memberships.get().organisation
        AgreementFactory(slug="public")
        AgreementFactory(slug="private", is_public=False, parties=[own_org, OrganisationFactory()])
        AgreementFactory(slug="others-private", is_public=False)
        assert sorted(_slugs(api_as(org_member).get("/api/agreements"))) == ["private", "public"]
        assert _slugs(api_as(None).get("/api/agreements")) == ["public"]

    def test_agreement_detail_has_commitments_indicators_and_updates(self, api_as):
        commitment = CommitmentFactory(agreement=AgreementFactory(slug="mou"))
        IndicatorFactory(commitment=commitment, target=100, value=25)
        body = api_as(None).get("/api/agreements/mou").json()
        [commitment_body] = body["commitments"]
        assert commitment_body["title_en"] == "Talent cultivation"
        assert commitment_body["owner"] == commitment.owner.slug
        [indicator] = commitment_body["indicators"]
        assert indicator["progress_percent"] == 25
        assert commitment_body["updates"] == []

    def test_operator_records_an_agreement_with_commitments(self, api_as, operator):
        city = OrganisationFactory(slug="seongnam", kind=Organisation.Kind.GOVERNMENT)
        OrganisationFactory(slug="sejong", kind=Organisation.Kind.UNIVERSITY)
        response = api_as(operator).post(
            "/api/agreements",
            {
                "title_ko": "성남시-세종대 업무협약",
                "title_en": "Seongnam–Sejong MOU",
                "signed_on": "2026-01-09",
                "parties": ["seongnam", "sejong"],
                "commitments": [
                    {
                        "title_ko": "인재 양성",
                        "owner": "seongnam",
                        "indicators": [{"name_ko": "교육생", "unit_ko": "명", "target": "100"}],
                    }
                ],
            },
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert sorted(body["parties"]) == ["sejong", "seongnam"]
        assert body["commitments"][0]["owner"] == "seongnam"
        assert body["commitments"][0]["indicators"][0]["target"] == "100.00"
        agreement = Agreement.objects.get(slug=body["slug"])
        entries = LogEntry.objects.get_for_object(agreement)
        assert entries.exists()
        assert {entry.actor for entry in entries} == {operator}
        assert city.owned_commitments.count() == 1

    def test_unknown_parties_are_named_and_nothing_is_recorded(self, api_as, operator):
        OrganisationFactory(slug="seongnam")
        response = api_as(operator).post(
            "/api/agreements",
            {"title_ko": "협약", "parties": ["seongnam", "atlantis"]},
        )
        assert response.status_code == 400
        assert response.json()["errors"] == {"parties": ["Unknown organisations: atlantis"]}
        assert not Agreement.objects.exists()

    def test_an_agreement_needs_two_parties(self, api_as, operator):
        OrganisationFactory(slug="seongnam")
        response = api_as(operator, language="ko").post(
            "/api/agreements", {"title_ko": "협약", "parties": ["seongnam"]}
        )
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["parties"]

    def test_owner_admin_reports_progress_with_indicator_values(self, api_as, org_admin):
        own_org = org_admin.memberships.get().organisation
        commitment = CommitmentFactory(
            agreement=AgreementFactory(parties=[own_org, OrganisationFactory()]), owner=own_org
        )
        indicator = IndicatorFactory(commitment=commitment)
        response = api_as(org_admin).post(
            f"/api/commitments/{commitment.pk}/progress",
            {
                "note_en": "Two courses opened",
                "status": "in_progress",
                "reported_on": "2026-03-31",
                "indicators": {str(indicator.pk): "40"},
            },
        )
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "in_progress"
        indicator.refresh_from_db()
        assert indicator.value == Decimal(40)
        entry = LogEntry.objects.get_for_object(indicator).latest("timestamp")
        assert entry.actor == org_admin

    def test_bad_progress_names_each_field_and_changes_nothing(self, api_as, org_admin):
        own_org = org_admin.memberships.get().organisation
        commitment = CommitmentFactory(
            agreement=AgreementFactory(parties=[own_org, OrganisationFactory()]), owner=own_org
        )
        indicator = IndicatorFactory(commitment=commitment, value=5)
        response = api_as(org_admin).post(
            f"/api/commitments/{commitment.pk}/progress",
            {"note_ko": "  ", "status": "done", "indicators": {str(indicator.pk): "-3"}},
        )
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"note_ko", "indicators"}
        indicator.refresh_from_db()
        commitment.refresh_from_db()
        assert indicator.value == 5
        assert commitment.status == "planned"
        assert not commitment.updates.exists()


def test_taxonomy_is_a_tree_of_any_depth(api_as):
    ai = TaxonomyTermFactory(code="ai", name_en="AI")
    chips = TaxonomyTermFactory(code="ai-chips", parent=ai, name_en="AI chips")
    TaxonomyTermFactory(code="npu", parent=chips, name_en="NPU")
    TaxonomyTermFactory(code="fabless", name_en="Fabless")
    tree = api_as(None).get("/api/taxonomy").json()
    assert [node["code"] for node in tree] == ["ai", "fabless"]
    assert tree[0]["children"][0]["children"][0]["code"] == "npu"
    assert tree[0]["children"][0]["name"] == "AI chips"


def test_me_lists_memberships_and_own_profile(api_as, expert_user, organisation):
    MembershipFactory(user=expert_user, organisation=organisation)
    body = api_as(expert_user).get("/api/me").json()
    assert body["email"] == expert_user.email
    assert body["person"] == Person.objects.get(user=expert_user).slug
    assert body["memberships"] == [
        {
            "organisation": organisation.slug,
            "organisation_name": organisation.name_en,
            "role": "member",
        }
    ]


def test_api_writes_leave_no_audit_receivers_behind_and_keep_the_address(api_as, org_admin):
    organisation = org_admin.memberships.get().organisation
    client = api_as(org_admin)
    client.patch(f"/api/organisations/{organisation.slug}", {"city": "Seongnam"})
    receivers_after_one = len(pre_save.receivers)
    for city in ("Bundang", "Pangyo", "Suwon"):
        client.patch(f"/api/organisations/{organisation.slug}", {"city": city})
    assert len(pre_save.receivers) == receivers_after_one
    entry = LogEntry.objects.get_for_object(organisation).latest("timestamp")
    assert entry.actor == org_admin
    assert entry.remote_addr == "127.0.0.1"
