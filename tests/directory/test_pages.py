"""The public directory through Django's client: lists, detail pages, filters, search."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from sangsaeng.directory.models import Organisation
from tests.factories import (
    AgreementFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    StudentFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db


def url(name: str, *args: object, language: str = "ko") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_organisation_list_is_public_in_korean_and_english(client):
    OrganisationFactory(name_ko="판교칩스", name_en="Pangyo Chips")
    korean = client.get(url("directory:organisation_list"))
    english = client.get(url("directory:organisation_list", language="en"))
    assert korean.status_code == english.status_code == 200
    assert "판교칩스" in korean.text and "기관" in korean.text
    assert "Pangyo Chips" in english.text and "Organisations" in english.text


def test_pending_organisation_hidden_from_public(client):
    OrganisationFactory(slug="waiting", name_ko="대기기관", status=Organisation.Status.PENDING)
    assert "대기기관" not in client.get(url("directory:organisation_list")).text
    assert client.get(url("directory:organisation_detail", "waiting")).status_code == 404


def test_rejected_organisation_hidden_from_public(client):
    OrganisationFactory(slug="no", status=Organisation.Status.REJECTED, decision_reason="Spam")
    assert client.get(url("directory:organisation_detail", "no")).status_code == 404


def test_pending_organisation_visible_to_operator_with_its_status(client, operator):
    OrganisationFactory(slug="waiting", name_en="Waiting Co", status=Organisation.Status.PENDING)
    client.force_login(operator)
    page = client.get(url("directory:organisation_detail", "waiting", language="en"))
    assert page.status_code == 200
    assert "awaiting approval" in page.text.lower()


def test_filter_by_kind_shows_only_that_kind(client):
    OrganisationFactory(name_en="Chip Maker", kind=Organisation.Kind.COMPANY)
    OrganisationFactory(name_en="Sejong University", kind=Organisation.Kind.UNIVERSITY)
    page = client.get(url("directory:organisation_list", language="en"), {"kind": "university"})
    assert "Sejong University" in page.text
    assert "Chip Maker" not in page.text


def test_filter_by_parent_tag_finds_organisations_tagged_with_a_child(client):
    semiconductors = TaxonomyTermFactory(code="semi", name_en="Semiconductors")
    analog = TaxonomyTermFactory(code="semi-analog", name_en="Analog design", parent=semiconductors)
    OrganisationFactory(name_en="Analog House", tags=[analog])
    OrganisationFactory(name_en="Unrelated Bakery")
    page = client.get(url("directory:organisation_list", language="en"), {"tag": "semi"})
    assert "Analog House" in page.text
    assert "Unrelated Bakery" not in page.text


def test_search_matches_korean_and_english_names_and_descriptions(client):
    OrganisationFactory(
        name_ko="엣지실리콘",
        name_en="Edge Silicon",
        description_ko="저전력 NPU 설계",
        description_en="Low-power NPU design",
    )
    OrganisationFactory(
        name_ko="클라우드씽스",
        name_en="Cloud Things",
        description_ko="클라우드 서비스",
        description_en="Cloud services",
    )
    listing = url("directory:organisation_list", language="en")
    for query in ["저전력", "low-power", "엣지실리콘", "edge silicon"]:
        page = client.get(listing, {"q": query})
        assert "Edge Silicon" in page.text, query
        assert "Cloud Things" not in page.text, query


def test_search_without_results_says_so(client):
    OrganisationFactory()
    page = client.get(url("directory:organisation_list", language="en"), {"q": "zzzz-nothing"})
    assert "No organisation matches these filters." in page.text


def test_unknown_filter_values_are_ignored_not_an_error(client):
    OrganisationFactory(name_en="Still Listed")
    page = client.get(
        url("directory:organisation_list", language="en"), {"kind": "spaceship", "tag": "nope"}
    )
    assert page.status_code == 200
    assert "Still Listed" in page.text


def test_organisation_list_paginates_and_keeps_filters(client):
    for number in range(25):
        OrganisationFactory(name_ko=f"회사{number:02d}", kind=Organisation.Kind.COMPANY)
    first = client.get(url("directory:organisation_list"), {"kind": "company"})
    assert "회사00" in first.text and "회사24" not in first.text
    assert "kind=company&amp;page=2" in first.text
    second = client.get(url("directory:organisation_list"), {"kind": "company", "page": 2})
    assert "회사24" in second.text and "회사00" not in second.text


def test_fictional_records_carry_a_demo_badge(client):
    OrganisationFactory(name_en="Made Up Inc", is_fictional=True)
    page = client.get(url("directory:organisation_list", language="en"))
    assert 'class="badge-demo"' in page.text


def test_real_records_carry_no_demo_badge(client):
    OrganisationFactory(name_en="Real Inc", is_fictional=False)
    page = client.get(url("directory:organisation_list", language="en"))
    assert 'class="badge-demo"' not in page.text


def test_organisation_page_lists_public_experts_capabilities_and_agreements(client):
    term = TaxonomyTermFactory(code="npu", name_en="NPU design")
    organisation = OrganisationFactory(slug="edge", name_en="Edge Silicon", tags=[term])
    PersonFactory(organisation=organisation, name_en="Public Expert")
    PersonFactory(organisation=organisation, name_en="Hidden Expert", is_public=False)
    StudentFactory(organisation=organisation, name_en="A Student")
    AgreementFactory(title_en="Cluster MOU", parties=[organisation, OrganisationFactory()])
    AgreementFactory(
        title_en="Private MOU", parties=[organisation, OrganisationFactory()], is_public=False
    )
    page = client.get(url("directory:organisation_detail", "edge", language="en"))
    assert "Public Expert" in page.text
    assert "Hidden Expert" not in page.text
    assert "A Student" not in page.text
    assert "NPU design" in page.text
    assert "Cluster MOU" in page.text
    assert "Private MOU" not in page.text


def test_organisation_page_shows_edit_link_only_to_its_admin(client, organisation, org_admin):
    edit = url("directory:organisation_edit", organisation.slug)
    assert edit not in client.get(organisation.get_absolute_url()).text
    client.force_login(org_admin)
    assert edit in client.get(url("directory:organisation_detail", organisation.slug)).text


def test_expert_list_and_page_show_publications_keywords_and_capabilities(client):
    term = TaxonomyTermFactory(code="analog", name_en="Analog circuits")
    person = PersonFactory(
        slug="kim", name_en="Yeongu Kim", expertise_keywords=["ADC", "sensor"], tags=[term]
    )
    PublicationFactory(person=person, kind="paper", title="A 12-bit SAR ADC", year=2024)
    PublicationFactory(person=person, kind="patent", title="Low-noise amplifier patent")
    PublicationFactory(person=person, kind="project", title="Edge AI sensor project")
    listing = client.get(url("directory:person_list", language="en"))
    assert "Yeongu Kim" in listing.text
    page = client.get(url("directory:person_detail", "kim", language="en"))
    for text in ["A 12-bit SAR ADC", "Low-noise amplifier patent", "Edge AI sensor project"]:
        assert text in page.text
    for text in ["Publications", "Patents", "Projects", "ADC", "sensor", "Analog circuits"]:
        assert text in page.text


def test_expert_search_finds_publication_titles(client):
    person = PersonFactory(name_en="Finder")
    PublicationFactory(person=person, title="Chiplet interconnect for NPUs")
    PersonFactory(name_en="Other")
    page = client.get(url("directory:person_list", language="en"), {"q": "chiplet"})
    assert "Finder" in page.text and ">Other<" not in page.text


def test_student_profile_not_public(client):
    StudentFactory(slug="student", name_en="Student Lee")
    assert client.get(url("directory:person_detail", "student")).status_code == 404
    assert "Student Lee" not in client.get(url("directory:person_list", language="en")).text


def test_expert_of_pending_organisation_hidden_from_public(client):
    pending = OrganisationFactory(status=Organisation.Status.PENDING)
    PersonFactory(slug="early", organisation=pending)
    assert client.get(url("directory:person_detail", "early")).status_code == 404


def test_language_switch_returns_to_the_same_page_in_the_other_language(client):
    OrganisationFactory(slug="edge")
    korean_page = url("directory:organisation_detail", "edge")
    page = client.get(korean_page + "?tab=1")
    assert f'name="next" type="hidden" value="{korean_page}?tab=1"' in page.text
    switched = client.post("/i18n/setlang/", {"language": "en", "next": korean_page + "?tab=1"})
    assert switched.status_code == 302
    assert switched["Location"] == url("directory:organisation_detail", "edge", language="en") + (
        "?tab=1"
    )


def test_pages_have_no_inline_styles_or_scripts_that_the_csp_would_block(client, operator):
    organisation = OrganisationFactory(slug="edge")
    PersonFactory(slug="kim", organisation=organisation)
    AgreementFactory(slug="mou", parties=[organisation, OrganisationFactory()])
    client.force_login(operator)
    for name, args in [
        ("home", ()),
        ("directory:organisation_list", ()),
        ("directory:organisation_detail", ("edge",)),
        ("directory:organisation_edit", ("edge",)),
        ("directory:person_detail", ("kim",)),
        ("directory:expert_profile_edit", ()),
        ("directory:agreement_detail", ("mou",)),
        ("directory:approval_queue", ()),
        ("accounts:dashboard", ()),
    ]:
        page = client.get(url(name, *args))
        assert page.status_code == 200, name
        assert " style=" not in page.text, name
        assert "<script>" not in page.text and "<style" not in page.text, name


def test_hidden_page_says_not_found_in_the_visitors_language(client):
    pending = OrganisationFactory(status=Organisation.Status.PENDING)
    korean = client.get(f"/ko/directory/organisations/{pending.slug}/")
    assert korean.status_code == 404
    assert "페이지를 찾을 수 없습니다" in korean.text
    english = client.get(f"/en/directory/organisations/{pending.slug}/")
    assert english.status_code == 404
    assert "Page not found" in english.text


def test_forbidden_action_says_so_in_korean(client, org_member, organisation):
    client.force_login(org_member)
    page = client.get(f"/ko/directory/organisations/{organisation.slug}/edit/")
    assert page.status_code == 403
    assert "허용되지 않은 작업입니다" in page.text
