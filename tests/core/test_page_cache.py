"""Anonymous visitors' public pages are kept a minute in production, and only those."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.test import Client

from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def _visitor(language: str = "en") -> Client:
    return Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "the page has the language switch's form"
    return found.group(1)


def test_the_next_anonymous_visitor_gets_the_kept_page_with_a_token_of_their_own():
    OrganisationFactory(name_en="Pangyo Photonics")
    first = _visitor().get("/en/directory/organisations/")
    assert first.status_code == 200 and "X-Page-Cache" not in first
    second_visitor = _visitor()
    second = second_visitor.get("/en/directory/organisations/")
    assert second["X-Page-Cache"] == "hit"
    assert "Pangyo Photonics" in second.content.decode()
    assert second["X-Frame-Options"] == "DENY"  # the outer middleware still runs
    # The kept page's form works for the second visitor: their own token and cookie.
    token = _token(second.content.decode())
    assert token != _token(first.content.decode())
    switched = second_visitor.post(
        "/i18n/setlang/", {"language": "ko", "next": "/en/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302


def test_kept_pages_vary_by_language():
    OrganisationFactory(name_ko="판교포토닉스", name_en="Pangyo Photonics")
    _visitor("en").get("/en/directory/organisations/")
    korean = _visitor("ko").get("/ko/directory/organisations/")
    assert "X-Page-Cache" not in korean
    assert "판교포토닉스" in korean.content.decode()
    assert "Pangyo Photonics" not in korean.content.decode()


def test_a_logged_in_user_is_never_served_nor_stored(expert_user):
    OrganisationFactory(name_en="Pangyo Photonics")
    member = _visitor()
    member.force_login(expert_user)
    own = member.get("/en/directory/organisations/")
    assert "X-Page-Cache" not in own
    assert "Log out" in own.content.decode() or "logout" in own.content.decode()
    anonymous = _visitor().get("/en/directory/organisations/")
    assert "X-Page-Cache" not in anonymous  # the member's page was not kept
    assert "logout" not in anonymous.content.decode()
    again = member.get("/en/directory/organisations/")
    assert "X-Page-Cache" not in again


def test_a_changed_record_shows_on_the_next_anonymous_visit(django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(name_en="Pangyo Photonics")
    _visitor().get("/en/directory/organisations/")
    assert _visitor().get("/en/directory/organisations/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name_en = "Seongnam Photonics"
        organisation.save()
    fresh = _visitor().get("/en/directory/organisations/")
    assert "X-Page-Cache" not in fresh
    assert "Seongnam Photonics" in fresh.content.decode()


def test_accounts_pages_are_never_kept_nor_pages_served_to_a_session():
    PersonFactory()
    _visitor().get("/en/accounts/login/")
    assert "X-Page-Cache" not in _visitor().get("/en/accounts/login/")
    _visitor().get("/en/directory/experts/")
    assert _visitor().get("/en/directory/experts/")["X-Page-Cache"] == "hit"
    with_session = _visitor()
    with_session.cookies["sessionid"] = "anything"  # whatever it remembers may be shown
    assert "X-Page-Cache" not in with_session.get("/en/directory/experts/")
