"""The search test set (search_set.toml): what people type finds what it must.

Queries run against the demo cluster, loaded at a small scale (the real Seongnam records,
60 generated experts, the demo needs and offers), through the search box's selector as an
anonymous visitor would search. The analyser entries are fast unit tests of the text
analysis the search app uses.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.test import Client

from sangsaeng.demo.loader import load_demo
from sangsaeng.directory.models import Organisation, Person
from sangsaeng.matching.models import Need
from sangsaeng.search.index import search_analyzer, search_index
from sangsaeng.search.selectors import MAX_PAGE_SIZE, search_page

SET = tomllib.loads((Path(__file__).parent / "search_set.toml").read_text(encoding="utf-8"))
# At this seed and scale the demo has experts at Sejong University, Gachon University and
# KETI, and texts mentioning every term the set asks about (the test checks it does).
DEMO_SEED, DEMO_SCALE = 14, 0.3


def every_result(query: str) -> list[str]:
    """Every result of ``query`` for a visitor, best first, as ``kind:key`` names."""
    names: list[str] = []
    page = 1
    while True:
        results = search_page(AnonymousUser(), query=query, page=page, page_size=MAX_PAGE_SIZE)
        names += [_name(hit.record) for hit in results.hits]
        if not results.has_next():
            return names
        page += 1


def _name(record) -> str:
    if isinstance(record, Organisation):
        return f"organisation:{record.slug}"
    if isinstance(record, Person):
        return f"person:{record.slug}"
    if isinstance(record, Need):
        return f"need:{record.title}"
    return f"{record._meta.model_name}:{record.pk}"  # the domain apps' records


def _mentions(needle: str) -> re.Pattern[str]:
    """``RISC-V`` as written in any case, with a hyphen, a space or nothing between its
    parts (so "risc v" and "RISCV" mention it too); ``LPDDR5`` also in ``LPDDR5X``."""
    parts = [re.escape(part) for part in re.split(r"[\s\-]+", needle) if part]
    return re.compile(r"(?<![0-9a-z])" + r"[\s\-]?".join(parts), re.IGNORECASE)


def expand(name: str) -> set[str]:
    """The records a ``finds`` entry names (see search_set.toml)."""
    kind, _, value = name.partition(":")
    if kind == "organisation":
        assert Organisation.objects.filter(slug=value).exists(), f"no organisation {value}"
        return {name}
    if kind == "experts-of":
        slugs = set(
            Person.objects.filter(
                kind=Person.Kind.EXPERT, is_public=True, organisation__slug=value
            ).values_list("slug", flat=True)
        )
        assert slugs, f"the demo at this scale has no expert of {value}: choose another seed"
        return {f"person:{slug}" for slug in slugs}
    if kind == "need":
        assert Need.objects.filter(title=value).exists(), f"no need titled {value}"
        return {name}
    assert kind == "mentioning", f"unknown kind of record in the test set: {name}"
    pattern = _mentions(value)
    found = {
        f"organisation:{organisation.slug}"
        for organisation in Organisation.objects.filter(status=Organisation.Status.APPROVED)
        if pattern.search(
            " ".join(
                (
                    organisation.name_ko,
                    organisation.name_en,
                    organisation.description_ko,
                    organisation.description_en,
                )
            )
        )
    }
    for person in Person.objects.filter(kind=Person.Kind.EXPERT, is_public=True).prefetch_related(
        "publications"
    ):
        text = " ".join(
            [
                person.name_ko,
                person.name_en,
                person.profile_text,
                *map(str, person.expertise_keywords or []),
                *(f"{p.title} {p.abstract}" for p in person.publications.all()),
            ]
        )
        if pattern.search(text):
            found.add(f"person:{person.slug}")
    assert found, f"nothing in the demo mentions {value!r}: the entry would test nothing"
    return found


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo cluster, loaded once for this module's tests and rolled back after them
    (each test runs in a savepoint inside, as in Django's ``setUpTestData``)."""
    index = search_index()
    index.folder = None
    index.reset()
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(seed=DEMO_SEED, scale=DEMO_SCALE)
        yield
        transaction.set_rollback(True)
    index.reset()


@pytest.fixture(autouse=True)
def fresh_search_index():
    """This module's tests share the demo, so they share its index too."""
    return search_index()


def test_every_query_of_the_set_finds_what_it_must(demo, db):
    misses = []
    for entry in SET["query"]:
        results = every_result(entry["text"])
        top = results[: entry.get("top", 20)]
        for name in entry["finds"]:
            for record in sorted(expand(name)):
                if record not in results:
                    misses.append(f"{entry['text']!r} ({entry.get('why', '')}): no {record}")
                elif not name.startswith(("mentioning", "experts-of")) and record not in top:
                    position = results.index(record) + 1
                    misses.append(
                        f"{entry['text']!r}: {record} is result {position}, "
                        f"not in the first {entry.get('top', 20)}"
                    )
    assert not misses, "\n".join(misses)


def test_an_expert_is_found_by_parts_of_their_name_in_both_languages(demo, db):
    expert = (
        Person.objects.filter(kind=Person.Kind.EXPERT, is_public=True)
        .filter(~Q(name_en=""))
        .order_by("pk")
        .first()
    )
    assert expert is not None and len(expert.name_ko) == 3
    given_ko = expert.name_ko[1:]  # Korean names: a one-syllable surname, then the given name
    given_en, surname_en = expert.name_en.split()
    for query in (expert.name_ko, given_ko, expert.name_en, given_en, f"{surname_en} {given_en}"):
        assert f"person:{expert.slug}" in every_result(query), query


def test_the_search_page_pages_through_every_result_with_the_count(demo, db):
    client = Client()
    first = client.get("/ko/search/", {"q": "설계"})
    count = len(every_result("설계"))
    assert count > 20
    page = first.content.decode()
    assert f"결과 {count}개 중 1–20번째" in page
    assert 'rel="next"' in page
    last_page = (count + 19) // 20
    last = client.get("/ko/search/", {"q": "설계", "page": last_page}).content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last
    shown = last.count('class="card search-hit')
    assert shown == count - 20 * (last_page - 1)


@pytest.fixture(scope="module")
def analyzer():
    return search_analyzer()


@pytest.mark.parametrize(
    ("query", "document"),
    [(entry["query"], entry["document"]) for entry in SET["analyzer"]],
)
def test_the_analyser_gives_query_and_document_a_term_in_common(analyzer, query, document):
    shared = set(analyzer.query_terms(query)) & set(analyzer.terms(document))
    assert shared, f"{query!r} and {document!r} share no term"
