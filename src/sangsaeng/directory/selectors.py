"""Read-only questions about the directory, always filtered through the access policy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model, Prefetch, QuerySet

from sangsaeng.core.policy import Action, AnyUser, restrict
from sangsaeng.directory.models import (
    Agreement,
    Commitment,
    Organisation,
    Person,
    Publication,
    TaxonomyTerm,
)

RecordT = TypeVar("RecordT", bound=Model)


def _tag_codes_with_descendants(codes: Iterable[str]) -> list[str]:
    """A filter on a broad capability (e.g. ``ai``) also finds its narrower ones."""
    selected = {code for code in codes if code}
    if not selected:
        return []
    parents = dict(TaxonomyTerm.objects.values_list("code", "parent__code"))
    result = set()
    for code in parents:
        walker: str | None = code
        while walker is not None:
            if walker in selected:
                result.add(code)
                break
            walker = parents.get(walker)
    return sorted(result)


def _ordered(records: QuerySet[RecordT], query: str) -> QuerySet[RecordT]:
    """With a query, the ``records`` relevant to it, best first; without, all by Korean name.

    Search goes through the engine's hybrid keyword-and-meaning index (Korean or English),
    which the matching app keeps in step with the database; the policy has already
    narrowed ``records``.
    """
    if not query.strip():
        return records.order_by("name_ko")
    from sangsaeng.matching.search import ordered_by_rank  # the index lives with matching

    return ordered_by_rank(records, query)


def organisations_visible_to(user: AnyUser) -> QuerySet[Organisation]:
    return restrict(Organisation.objects.all(), user, Action.VIEW)


def organisation_search(
    user: AnyUser,
    *,
    query: str = "",
    kind: str = "",
    tags: Iterable[str] = (),
    include_unapproved: bool = False,
) -> QuerySet[Organisation]:
    """Organisations ``user`` may see that match every word of ``query`` (Korean or English)."""
    organisations = organisations_visible_to(user)
    if not include_unapproved:
        organisations = organisations.filter(status=Organisation.Status.APPROVED)
    if kind:
        organisations = organisations.filter(kind=kind)
    tag_codes = _tag_codes_with_descendants(tags)
    if tag_codes:
        organisations = organisations.filter(tags__code__in=tag_codes)
    organisations = _ordered(organisations.distinct(), query)
    return organisations.prefetch_related("tags")


def people_visible_to(user: AnyUser) -> QuerySet[Person]:
    return restrict(Person.objects.all(), user, Action.VIEW)


def expert_search(
    user: AnyUser, *, query: str = "", tags: Iterable[str] = (), organisation: str = ""
) -> QuerySet[Person]:
    """Experts ``user`` may see, matching ``query`` in names, profile, keywords or publications."""
    experts = people_visible_to(user).filter(kind=Person.Kind.EXPERT)
    tag_codes = _tag_codes_with_descendants(tags)
    if tag_codes:
        experts = experts.filter(tags__code__in=tag_codes)
    if organisation:
        experts = experts.filter(organisation__slug=organisation)
    experts = _ordered(experts.distinct(), query)
    return experts.select_related("organisation").prefetch_related("tags")


def people_search(
    user: AnyUser,
    *,
    query: str = "",
    kind: str = "",
    tags: Iterable[str] = (),
    organisation: str = "",
) -> QuerySet[Person]:
    """People of either kind ``user`` may see (students only where the policy lets them)."""
    if kind == Person.Kind.EXPERT:
        return expert_search(user, query=query, tags=tags, organisation=organisation)
    people = people_visible_to(user)
    if kind:
        people = people.filter(kind=kind)
    tag_codes = _tag_codes_with_descendants(tags)
    if tag_codes:
        people = people.filter(tags__code__in=tag_codes)
    if organisation:
        people = people.filter(organisation__slug=organisation)
    people = _ordered(people.distinct(), query)
    return people.select_related("organisation").prefetch_related("tags")


def person_detail(user: AnyUser, slug: str) -> Person:
    """One person ``user`` may see, with publications; raises ``Person.DoesNotExist`` otherwise."""
    return (
        people_visible_to(user)
        .select_related("organisation")
        .prefetch_related(
            "tags", Prefetch("publications", Publication.objects.order_by("-year", "order"))
        )
        .get(slug=slug)
    )


def agreements_visible_to(user: AnyUser) -> QuerySet[Agreement]:
    return restrict(Agreement.objects.all(), user, Action.VIEW).prefetch_related("parties")


def agreement_detail(user: AnyUser, slug: str) -> Agreement:
    commitments = Commitment.objects.select_related("owner").prefetch_related(
        "indicators", "updates"
    )
    return (
        agreements_visible_to(user)
        .prefetch_related(Prefetch("commitments", commitments))
        .get(slug=slug)
    )


def terms_by_parent(terms: Iterable[TaxonomyTerm]) -> dict[int | None, list[TaxonomyTerm]]:
    """Taxonomy terms under their parent's id (``None``: the top level), in the given order.

    Pages and the API walk the tree from this, however deep, after one query.
    """
    children: dict[int | None, list[TaxonomyTerm]] = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    return children
