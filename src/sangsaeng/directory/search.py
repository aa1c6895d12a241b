"""What the search index reads of experts, students and organisations.

Declared here, read by the search app (see :mod:`sangsaeng.core.indexing`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.models import AnyUser
from sangsaeng.core.indexing import Searchable, SearchKind, profile_key
from sangsaeng.directory.models import Organisation, Person, Publication, TaxonomyTerm
from sangsaeng.directory.selectors import organisations_visible_to, people_visible_to
from sangsaeng.engine.index import Document, Profile

PERSON = "person"
ORGANISATION = "organisation"


def tag_names(tags: Iterable[TaxonomyTerm]) -> str:
    """Capabilities in both languages, so that either finds them."""
    return ", ".join(f"{tag.name_ko} {tag.name_en}" for tag in tags)


def person_profile(person: Person) -> Profile:
    """An expert or student: one document for the profile itself, one per publication.

    The profile's names, positions, keywords and capabilities are its document's title, so
    they are found but never quoted as the sentence that explains a match; the person's
    own words are.
    """
    about = "\n".join(
        part
        for part in (
            person.name_ko,
            person.name_en,
            person.position_ko,
            person.position_en,
            ", ".join(str(keyword) for keyword in person.expertise_keywords or []),
            tag_names(person.tags.all()),
        )
        if part
    )
    documents = [Document(id=f"person:{person.pk}", text=person.profile_text, title=about)]
    documents += [
        Document(
            id=f"publication:{publication.pk}", text=publication.abstract, title=publication.title
        )
        for publication in person.publications.all()
    ]
    return Profile(profile_key(PERSON, person.pk), tuple(documents))


def organisation_profile(organisation: Organisation) -> Profile:
    """An organisation: a document per language of description, titled by its names and
    capabilities (found, but never quoted as the sentence that explains a match)."""
    tags = tag_names(organisation.tags.all())
    names = f"{organisation.name_ko} {organisation.name_en}".strip()
    title = f"{names}\n{tags}" if tags else names
    documents = [
        Document(id=f"organisation:{organisation.pk}:{language}", text=text, title=title)
        for language, text in (
            ("ko", organisation.description_ko),
            ("en", organisation.description_en),
        )
        if text
    ] or [Document(id=f"organisation:{organisation.pk}", text="", title=title)]
    return Profile(profile_key(ORGANISATION, organisation.pk), tuple(documents))


def _people() -> QuerySet[Person]:
    return Person.objects.prefetch_related(
        "tags", Prefetch("publications", Publication.objects.order_by("order", "id"))
    )


def _visible_experts(user: AnyUser) -> QuerySet[Person]:
    return people_visible_to(user).filter(kind=Person.Kind.EXPERT)


def _visible_organisations(user: AnyUser) -> QuerySet[Organisation]:
    return organisations_visible_to(user).filter(status=Organisation.Status.APPROVED)


SEARCHABLE = [
    Searchable(
        subject=PERSON,
        model=Person,
        index="directory",
        profile=person_profile,
        queryset=_people,
        follows=((Publication, lambda publication: publication.person_id),),
        kinds=(SearchKind("expert", _("Experts"), _("Expert"), _visible_experts),),
        kind_of=lambda person: "expert",
        name_fields=("name_ko", "name_en"),
        affiliation="organisation",
    ),
    Searchable(
        subject=ORGANISATION,
        model=Organisation,
        index="directory",
        profile=organisation_profile,
        queryset=lambda: Organisation.objects.prefetch_related("tags"),
        kinds=(
            SearchKind(
                "organisation", _("Organisations"), _("Organisation"), _visible_organisations
            ),
        ),
        kind_of=lambda organisation: "organisation",
        name_fields=("name_ko", "name_en"),
    ),
]
