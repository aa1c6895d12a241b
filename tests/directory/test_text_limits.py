"""Text too long to keep in the directory: organisations, profiles, keywords, abstracts,
agreements and progress notes, through the pages, the API and the services.

Every such text is read by the search engine; one that is too long is refused with a
translated message naming the limit, and the saved record stays as it was.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from sangsaeng.core.limits import KEYWORD_LENGTH, LONG_TEXT, MAX_KEYWORDS, MEDIUM_TEXT
from sangsaeng.directory import services
from sangsaeng.directory.models import Organisation, Person
from tests.api.conftest import ApiClient
from tests.directory.test_pages_forms import organisation_data, profile_data
from tests.factories import AgreementFactory, CommitmentFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

TOO_LONG = "반도체 " * (LONG_TEXT // 4 + 1)


def url(name: str, *args: object, language: str = "ko") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_registering_an_organisation_with_a_pasted_book_is_refused_in_korean(client, expert_user):
    client.force_login(expert_user)
    response = client.post(
        url("directory:organisation_create"), organisation_data(description_ko=TOO_LONG)
    )
    assert response.status_code == 200
    assert f"최대 {LONG_TEXT:,}자까지 쓸 수 있습니다" in response.text
    assert "Saessak Semiconductor" in response.text  # what was typed stays
    assert not Organisation.objects.filter(name_en="Saessak Semiconductor").exists()


def test_an_organisations_description_is_capped_in_the_api(organisation, org_admin):
    before = organisation.description_en
    response = ApiClient(org_admin).patch(
        f"/api/organisations/{organisation.slug}", {"description_en": "x" * (LONG_TEXT + 1)}
    )
    assert response.status_code == 422
    assert f"Use at most {LONG_TEXT:,} characters" in response.json()["errors"]["description_en"][0]
    organisation.refresh_from_db()
    assert organisation.description_en == before


def test_a_long_profile_is_refused_on_the_page_in_english(client, expert_user):
    client.force_login(expert_user)
    response = client.post(
        url("directory:expert_profile_edit", language="en"),
        profile_data([], profile_text="x" * (LONG_TEXT + 1)),
    )
    assert f"Use at most {LONG_TEXT:,} characters; this text has {LONG_TEXT + 1:,}." in (
        response.text
    )
    person = Person.objects.get(user=expert_user)
    assert len(person.profile_text) < LONG_TEXT and person.name_en != "Yeongu Kim"


def test_a_long_profile_and_abstract_are_refused_in_the_api(expert_user):
    person = expert_user.person
    before = person.profile_text
    api = ApiClient(expert_user)
    assert (
        api.patch(f"/api/people/{person.slug}", {"profile_text": "x" * (LONG_TEXT + 1)}).status_code
        == 422
    )
    response = api.patch(
        f"/api/people/{person.slug}",
        {"publications": [{"title": "A paper", "abstract": "x" * (MEDIUM_TEXT + 1)}]},
    )
    assert response.status_code == 400
    assert f"{MEDIUM_TEXT:,}" in str(response.json()["errors"]["publications"])
    person.refresh_from_db()
    assert person.profile_text == before and not person.publications.exists()


def test_keywords_are_capped_in_number_and_length(expert_user):
    person = expert_user.person
    before = list(person.expertise_keywords)
    many = [f"keyword {n}" for n in range(MAX_KEYWORDS + 1)]
    with pytest.raises(ValidationError) as refused:
        services.person_update(actor=expert_user, person=person, expertise_keywords=many)
    assert "expertise_keywords" in refused.value.message_dict
    long_one = ["x" * (KEYWORD_LENGTH + 1)]
    response = ApiClient(expert_user).patch(
        f"/api/people/{person.slug}", {"expertise_keywords": long_one}
    )
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.expertise_keywords == before


def test_long_agreement_summaries_and_progress_notes_are_refused(operator, organisation, org_admin):
    agreement = AgreementFactory(parties=[organisation, OrganisationFactory()])
    with pytest.raises(ValidationError):
        services.agreement_update(actor=operator, agreement=agreement, summary_ko=TOO_LONG)
    commitment = CommitmentFactory(agreement=agreement, owner=organisation)
    with pytest.raises(ValidationError) as refused:
        services.commitment_report_progress(
            actor=org_admin, commitment=commitment, note="x" * (MEDIUM_TEXT + 1), status="done"
        )
    assert "note" in refused.value.message_dict
    assert not commitment.updates.exists()
