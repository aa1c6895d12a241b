"""Personal data never leaves without its person's consent (PIPA), and no profile exists that
its person did not save.

A seeded demo cluster is crawled as an anonymous visitor: every page reachable from the home
page in Korean and English, and the public API (lists, each person, search, the query of the
issue that leaked addresses). No response may hold a person's e-mail address or a phone
number. Then a new user walks every page a signed-in user reaches without saving anything,
and no profile appears.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from sangsaeng.accounts.models import User
from sangsaeng.demo.loader import load_demo
from sangsaeng.directory.models import Person
from tests.api.conftest import ApiClient
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(
    r"(?<![\d-])(?:\+82[- ]?|0)(?:1[016789]|2|[3-6][1-5])[- .)]?\d{3,4}[- .]?\d{4}(?!\d)"
)
LINK = re.compile(r'href="([^"#]+)')
# Pages that change nothing but would multiply the crawl (every page of every list, every
# filter); the first of each is crawled.
SKIP_QUERY = ("page=", "tag=", "kind=", "organisation=", "show=", "mine=")
MAX_PAGES = 400


def _internal(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver") or not parts.path.startswith(("/ko/", "/en/")):
        return None
    if "/accounts/logout" in parts.path or "/i18n/" in parts.path:
        return None
    if parts.query and any(marker in parts.query for marker in SKIP_QUERY):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client, starts: list[str]) -> dict[str, str]:
    """Every page reachable from ``starts`` (GET only): path → HTML."""
    seen: dict[str, str] = {}
    queue = deque(starts)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path, follow=True)
        # Exports may be in another encoding (CP949 CSV for Excel): read them in theirs.
        text = response.content.decode(response.charset or "utf-8", errors="replace")
        seen[path] = text if response.status_code == 200 else ""
        if response.get("Content-Type", "").startswith("text/html"):
            for href in LINK.findall(seen[path]):
                found = _internal(path, href)
                if found and found not in seen:
                    queue.append(found)
    return seen


@pytest.fixture
def seeded(db):
    """A small demo cluster, with its needs and matches, and one expert with a phone number
    in their profile's contact data (the e-mail field) to make sure both are looked for."""
    load_demo(seed=11, scale=0.1)
    return list(Person.objects.exclude(email="").values_list("email", flat=True)) + list(
        User.objects.values_list("email", flat=True)
    )


def _leaks(text: str, addresses: set[str]) -> list[str]:
    found = [match for match in EMAIL.findall(text) if not match.endswith(".png")]
    found += [address for address in addresses if address and address in text]
    found += PHONE.findall(text)
    return sorted(set(found))


def test_no_public_page_or_api_response_holds_an_email_address_or_phone_number(seeded):
    addresses = set(seeded)
    assert len(addresses) > 50  # the demo's experts have contact addresses to protect
    client = Client()
    pages = crawl(client, ["/ko/", "/en/", "/ko/directory/experts/", "/en/search/?q=RISC-V"])
    assert len(pages) > 60, "the crawl should reach the directory, experts and agreements"
    assert any("/directory/experts/" in path and path.count("/") > 4 for path in pages)
    leaks = {path: _leaks(text, addresses) for path, text in pages.items()}
    assert {path: found for path, found in leaks.items() if found} == {}

    api = [
        "/api/people?q=RISC-V",  # the request of the issue: it returned every e-mail address
        "/api/people?page_size=100",
        "/api/organisations?page_size=100",
        "/api/agreements",
        "/api/needs/",
        "/api/search?q=RISC-V",
        "/api/search?q=아날로그",
        "/api/taxonomy",
    ]
    slugs = [item["slug"] for item in client.get("/api/people?page_size=100").json()["results"]]
    api += [f"/api/people/{slug}" for slug in slugs]
    for path in api:
        response = client.get(path)
        assert response.status_code == 200, path
        assert _leaks(response.content.decode(), addresses) == [], path
    person = client.get(f"/api/people/{slugs[0]}").json()
    assert person["email"] is None


def test_a_persons_own_address_reaches_only_who_may_change_the_profile():
    expert = UserFactory()
    person = PersonFactory(user=expert, email="grace.lee@sejong.example")
    path = f"/api/people/{person.slug}"
    assert ApiClient(None).get(path).json()["email"] is None
    assert ApiClient(UserFactory()).get(path).json()["email"] is None
    assert ApiClient(expert).get(path).json()["email"] == "grace.lee@sejong.example"
    assert "email" not in ApiClient(expert).get("/api/people").json()["results"][0]


def test_walking_every_page_of_a_new_user_creates_no_profile(seeded):
    """Opening "create my expert profile" (and everything else) saves nothing."""
    user = UserFactory(display_name="Minji Oh")
    client = Client()
    client.force_login(user)
    people = Person.objects.count()
    pages = crawl(client, ["/ko/accounts/dashboard/", "/en/accounts/dashboard/"])
    assert "/ko/directory/experts/me/edit/" in pages
    assert "/en/accounts/me/" in pages
    assert Person.objects.count() == people
    assert not Person.objects.filter(user=user).exists()
