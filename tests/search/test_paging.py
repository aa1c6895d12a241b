"""The search box pages through every result, with the count, on the page and in the API."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from sangsaeng.search.selectors import search_page
from tests.api.conftest import ApiClient
from tests.factories import OrganisationFactory


@pytest.fixture
def many(db):
    return [
        OrganisationFactory(
            name_ko=f"리스크브이 {number:02d}",
            name_en=f"Riscy {number:02d}",
            description_ko=f"RISC-V 코어 {number}번",
            description_en=f"RISC-V core number {number}",
        )
        for number in range(45)
    ]


def test_the_selector_counts_every_related_record_and_pages_them(many):
    first = search_page(AnonymousUser(), query="RISC-V", page_size=20)
    assert first.count == 45 and first.num_pages == 3 and len(first.hits) == 20
    third = search_page(AnonymousUser(), query="RISC-V", page=3, page_size=20)
    assert len(third.hits) == 5 and not third.has_next()
    seen = {
        hit.record.pk
        for page in (1, 2, 3)
        for hit in search_page(AnonymousUser(), query="RISC-V", page=page, page_size=20).hits
    }
    assert seen == {organisation.pk for organisation in many}


def test_the_page_shows_the_count_and_links_to_the_next_page(many):
    page = Client().get("/ko/search/", {"q": "RISC-V"}).content.decode()
    assert "결과 45개 중 1–20번째" in page
    assert page.count('class="card search-hit') == 20
    assert 'rel="next"' in page and "page=2" in page
    second = Client().get("/ko/search/", {"q": "RISC-V", "page": 2}).content.decode()
    assert "결과 45개 중 21–40번째" in second and 'rel="prev"' in second


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99"])
def test_a_page_number_that_is_no_page_shows_a_page_that_exists(many, page):
    response = Client().get("/ko/search/", {"q": "RISC-V", "page": page})
    assert response.status_code == 200
    assert response.content.decode().count('class="card search-hit') in (20, 5)


def test_the_api_answers_a_page_with_the_count(many):
    api = ApiClient()
    body = api.get("/api/search", {"q": "risc v", "page": 2, "page_size": 20}).json()
    assert body["count"] == 45 and body["page"] == 2 and body["page_size"] == 20
    assert len(body["results"]) == 20
    assert {hit["kind"] for hit in body["results"]} == {"organisation"}


def test_the_apis_first_address_still_answers_a_plain_list(many):
    hits = ApiClient().get("/api/needs/search", {"q": "RISC-V", "limit": 5}).json()
    assert isinstance(hits, list) and len(hits) == 5


@pytest.mark.parametrize("params", [{"q": "RISC-V", "page": 0}, {"q": "RISC-V", "page_size": 500}])
def test_the_api_refuses_a_page_out_of_range_with_a_clear_message(many, params):
    response = ApiClient(language="ko").get("/api/search", params)
    assert response.status_code == 422
    assert response.json()["errors"]
