"""Registering and editing organisations and expert profiles through the pages.

Bad input must come back as a clear message beside the field, in the page's language,
with the user's input still in the form and nothing changed in the database.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from sangsaeng.accounts.models import Membership
from sangsaeng.directory.models import Organisation, Person, Publication
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    TaxonomyTermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(name: str, *args: object, language: str = "ko") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def organisation_data(**overrides: object) -> dict[str, object]:
    data = {
        "kind": "company",
        "name_ko": "새싹반도체",
        "name_en": "Saessak Semiconductor",
        "description_ko": "RISC-V 코어 설계",
        "description_en": "RISC-V core design",
        "website": "https://saessak.example",
        "city": "성남",
    }
    data.update(overrides)
    return data


# --- registering an organisation ------------------------------------------------------


def test_registering_an_organisation_needs_a_login(client):
    response = client.get(url("directory:organisation_create"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_registered_organisation_waits_for_approval_and_its_founder_is_admin(client):
    user = UserFactory()
    term = TaxonomyTermFactory(code="risc-v")
    client.force_login(user)
    response = client.post(
        url("directory:organisation_create", language="en"),
        organisation_data(tags=["risc-v"]),
        follow=True,
    )
    organisation = Organisation.objects.get(name_ko="새싹반도체")
    assert organisation.status == Organisation.Status.PENDING
    assert list(organisation.tags.all()) == [term]
    assert Membership.objects.get(user=user, organisation=organisation).role == "admin"
    assert "once the cluster office approves it" in response.text
    client.logout()
    assert "새싹반도체" not in client.get(url("directory:organisation_list")).text


def test_empty_korean_name_is_refused_in_korean_and_input_kept(client):
    client.force_login(UserFactory())
    response = client.post(url("directory:organisation_create"), organisation_data(name_ko=""))
    assert response.status_code == 200
    assert "기관 이름을 한국어로 입력하세요." in response.text
    assert 'value="Saessak Semiconductor"' in response.text
    assert not Organisation.objects.exists()


def test_empty_korean_name_is_refused_in_english(client):
    client.force_login(UserFactory())
    response = client.post(
        url("directory:organisation_create", language="en"), organisation_data(name_ko="  ")
    )
    assert "Enter the organisation&#x27;s name in Korean." in response.text
    assert not Organisation.objects.exists()


def test_bad_website_is_refused_beside_the_field(client):
    client.force_login(UserFactory())
    korean = client.post(
        url("directory:organisation_create"), organisation_data(website="not a url")
    )
    assert "https://example.com 처럼 전체 웹 주소를 입력하세요." in korean.text
    english = client.post(
        url("directory:organisation_create", language="en"), organisation_data(website="http://")
    )
    assert "Enter a full web address, e.g. https://example.com." in english.text
    assert 'value="새싹반도체"' in english.text
    assert not Organisation.objects.exists()


def test_future_year_established_is_refused(client):
    client.force_login(UserFactory())
    response = client.post(
        url("directory:organisation_create"), organisation_data(established_year=3000)
    )
    assert "미래의 연도는 입력할 수 없습니다." in response.text
    assert not Organisation.objects.exists()


# --- editing an organisation's profile --------------------------------------------------


def test_organisation_admin_edits_the_profile_and_tags(client, organisation, org_admin):
    term = TaxonomyTermFactory(code="npu", name_en="NPU")
    client.force_login(org_admin)
    edit = url("directory:organisation_edit", organisation.slug, language="en")
    form_page = client.get(edit)
    assert 'type="checkbox" name="tags" value="npu"' in form_page.text
    response = client.post(
        edit, organisation_data(name_en="Renamed Inc", tags=["npu"]), follow=True
    )
    assert "The profile is saved." in response.text
    organisation.refresh_from_db()
    assert organisation.name_en == "Renamed Inc"
    assert list(organisation.tags.all()) == [term]


def test_edit_with_empty_korean_name_keeps_saved_profile(client, organisation, org_admin):
    saved_name = organisation.name_ko
    client.force_login(org_admin)
    response = client.post(
        url("directory:organisation_edit", organisation.slug),
        organisation_data(name_ko="", name_en="Half Edited"),
    )
    assert "기관 이름을 한국어로 입력하세요." in response.text
    assert 'value="Half Edited"' in response.text
    organisation.refresh_from_db()
    assert organisation.name_ko == saved_name
    assert organisation.name_en != "Half Edited"


def test_member_who_is_not_admin_may_not_edit_the_organisation(client, organisation, org_member):
    client.force_login(org_member)
    assert client.get(url("directory:organisation_edit", organisation.slug)).status_code == 403
    response = client.post(
        url("directory:organisation_edit", organisation.slug), organisation_data()
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name_ko != "새싹반도체"


def test_editing_an_organisation_one_may_not_see_is_not_found(client):
    client.force_login(UserFactory())
    hidden = OrganisationFactory(status=Organisation.Status.PENDING)
    assert client.get(url("directory:organisation_edit", hidden.slug)).status_code == 404


# --- the expert's own profile with its publications -----------------------------------


def profile_data(rows: list[dict[str, object]], initial: int = 0, **fields: object):
    data: dict[str, object] = {
        "name_ko": "김연구",
        "name_en": "Yeongu Kim",
        "position_ko": "교수",
        "position_en": "Professor",
        "profile_text": "Analog front-ends for edge AI sensors.",
        "expertise_keywords": "ADC, analog, ADC , 센서",
        "is_public": "on",
        "publications-TOTAL_FORMS": str(len(rows)),
        "publications-INITIAL_FORMS": str(initial),
        "publications-MIN_NUM_FORMS": "0",
        "publications-MAX_NUM_FORMS": "200",
    }
    data.update(fields)
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"publications-{index}-{key}"] = value
    return data


BLANK_ROW = {"kind": "paper", "title": "", "year": "", "link": "", "abstract": ""}


def test_first_visit_creates_nothing_until_the_profile_is_saved(client):
    user = UserFactory(display_name="Minji Oh")
    client.force_login(user)

    def figures() -> str:
        home = client.get(url("home", language="en")).text
        return home[
            home.index('<section class="figures">') : home.index(
                "</section>", home.index('<section class="figures">')
            )
        ]

    before = figures()
    page = client.get(url("directory:expert_profile_edit", language="en"))
    assert page.status_code == 200
    assert "Create my expert profile" in page.text
    assert 'value="Minji Oh"' in page.text  # the name is suggested, not saved
    assert 'name="publications-TOTAL_FORMS" value="3"' in page.text
    assert not Person.objects.filter(user=user).exists()
    # Nothing public changed: the home page counts the same experts.
    assert figures() == before


def test_the_profile_exists_from_its_first_save_and_is_its_persons(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        url("directory:expert_profile_edit", language="en"),
        profile_data([BLANK_ROW], name_ko="오민지", name_en="Minji Oh"),
        follow=True,
    )
    assert "Your profile is saved." in response.text
    person = Person.objects.get(user=user)
    assert (person.name_ko, person.name_en, person.email) == ("오민지", "Minji Oh", "")
    assert person.slug == "minji-oh"


def test_expert_saves_profile_keywords_tags_and_publications(client, expert_user):
    TaxonomyTermFactory(code="analog")
    client.force_login(expert_user)
    rows = [
        {"kind": "paper", "title": "A SAR ADC", "year": "2024", "link": "https://doi.org/x"},
        {"kind": "patent", "title": "Amplifier patent", "year": "2022"},
        BLANK_ROW,
    ]
    response = client.post(
        url("directory:expert_profile_edit", language="en"),
        profile_data(rows, tags=["analog"]),
        follow=True,
    )
    assert "Your profile is saved." in response.text
    person = Person.objects.get(user=expert_user)
    assert person.expertise_keywords == ["ADC", "analog", "센서"]
    assert [tag.code for tag in person.tags.all()] == ["analog"]
    assert sorted(person.publications.values_list("title", flat=True)) == [
        "A SAR ADC",
        "Amplifier patent",
    ]
    # The saved rows come back with three empty rows to add more, no JavaScript needed.
    assert 'name="publications-TOTAL_FORMS" value="5"' in response.text


def test_publication_row_is_removed_with_its_checkbox(client, expert_user):
    person = Person.objects.get(user=expert_user)
    PublicationFactory(person=person, title="Keep me", year=2020)
    PublicationFactory(person=person, title="Drop me", year=2021)
    client.force_login(expert_user)
    rows = [
        {"kind": "paper", "title": "Drop me", "year": "2021"},
        {"kind": "paper", "title": "Keep me", "year": "2020", "DELETE": ""},
        BLANK_ROW,
    ]
    rows[0]["DELETE"] = "on"
    rows[1].pop("DELETE")
    client.post(url("directory:expert_profile_edit"), profile_data(rows, initial=2))
    assert list(person.publications.values_list("title", flat=True)) == ["Keep me"]


def test_publication_year_3000_is_refused_in_korean_and_nothing_saved(client, expert_user):
    person = Person.objects.get(user=expert_user)
    PublicationFactory(person=person, title="Existing paper", year=2020)
    saved_text = person.profile_text
    client.force_login(expert_user)
    rows = [
        {"kind": "paper", "title": "Existing paper", "year": "2020"},
        {"kind": "paper", "title": "Time travel", "year": "3000"},
    ]
    response = client.post(
        url("directory:expert_profile_edit"),
        profile_data(rows, initial=1, profile_text="Changed text"),
    )
    assert response.status_code == 200
    assert "1900년에서 2100년 사이의 연도를 입력하세요." in response.text
    assert 'value="Time travel"' in response.text
    assert "Changed text" in response.text
    person.refresh_from_db()
    assert person.profile_text == saved_text
    assert list(person.publications.values_list("title", flat=True)) == ["Existing paper"]


def test_publication_year_3000_is_refused_in_english(client, expert_user):
    client.force_login(expert_user)
    rows = [{"kind": "paper", "title": "Time travel", "year": "3000"}]
    response = client.post(url("directory:expert_profile_edit", language="en"), profile_data(rows))
    assert "Enter a year between 1900 and 2100." in response.text
    assert not Publication.objects.exists()


def test_publication_with_bad_link_or_no_title_is_refused(client, expert_user):
    client.force_login(expert_user)
    rows = [
        {"kind": "paper", "title": "Linked", "link": "not a link"},
        {"kind": "patent", "title": "", "year": "2020"},
    ]
    response = client.post(url("directory:expert_profile_edit", language="en"), profile_data(rows))
    assert "Enter a full web address, e.g. https://doi.org/…." in response.text
    assert "Enter a title, or tick “Remove” to drop this row." in response.text
    assert not Publication.objects.exists()


def test_empty_korean_name_on_profile_is_refused_in_korean(client, expert_user):
    client.force_login(expert_user)
    response = client.post(url("directory:expert_profile_edit"), profile_data([], name_ko=""))
    assert "이름을 한국어로 입력하세요." in response.text
    assert Person.objects.get(user=expert_user).name_ko != ""


def test_someone_elses_profile_is_not_editable_from_the_profile_page(client, expert_user):
    other = PersonFactory(name_en="Someone Else")
    client.force_login(expert_user)
    client.post(url("directory:expert_profile_edit"), profile_data([], name_en="Hijack"))
    other.refresh_from_db()
    assert other.name_en == "Someone Else"
    assert Person.objects.get(user=expert_user).name_en == "Hijack"


def test_too_many_publications_are_refused_above_the_list(client, expert_user):
    client.force_login(expert_user)
    rows = [{"kind": "paper", "title": f"Paper {n}", "year": "2020"} for n in range(201)]
    response = client.post(url("directory:expert_profile_edit", language="en"), profile_data(rows))
    assert "At most 200 publications." in response.text
    assert not Publication.objects.exists()


def test_an_organisation_named_new_does_not_take_the_registration_address(operator):
    from sangsaeng.directory.services import organisation_create

    organisation = organisation_create(actor=operator, kind="company", name_ko="뉴", name_en="New")
    assert organisation.slug == "new-2"
