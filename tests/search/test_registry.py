"""What the search app collects from the apps, and how it follows their records."""

from __future__ import annotations

import pytest

from sangsaeng.core.indexing import ranked
from sangsaeng.directory.models import Person
from sangsaeng.search import registry
from sangsaeng.search.models import IndexChange
from tests.factories import PersonFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_each_app_declares_its_own_searchable_models():
    subjects = {
        searchable.subject: searchable.model.__module__ for searchable in registry.searchables()
    }
    assert subjects == {
        "person": "sangsaeng.directory.models",
        "organisation": "sangsaeng.directory.models",
        "need": "sangsaeng.matching.models",
        "call": "sangsaeng.programs.models",
        "opening": "sangsaeng.talent.models",
        "course": "sangsaeng.talent.models",
        "student": "sangsaeng.talent.models",
        "participant": "sangsaeng.events.models",
    }
    # Students' profiles are indexed for companies' rankings, never offered in the search box.
    assert [kind.name for kind, _ in registry.search_kinds()] == [
        "expert",
        "organisation",
        "need",
        "offer",
        "call",
        "opening",
        "course",
        "participant",
    ]


def test_a_publication_change_is_logged_as_a_change_of_its_person():
    person = PersonFactory()
    IndexChange.objects.all().delete()
    PublicationFactory(person=person, title="Photonic interconnects")
    assert list(IndexChange.objects.values_list("subject", "object_id")) == [("person", person.pk)]


def test_the_directory_ranks_through_the_search_app_without_importing_it():
    wanted = PersonFactory(profile_text="Photonic neuromorphic interconnects")
    PersonFactory(profile_text="Analogue layout of low-power ADCs")
    found = list(ranked(Person.objects.all(), "photonic interconnects"))
    assert found[0] == wanted
