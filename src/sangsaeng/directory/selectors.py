"""Read-only questions about the directory, always filtered through the access policy.

Each record has one fetcher (``organisation_get``, ``person_get``, ``agreement_get``,
``commitment_get``) that raises :class:`~sangsaeng.core.selectors.NotFound` when it does not
exist or the user may not see it; pages and the API both answer that with 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser, Membership, User
from sangsaeng.core.indexing import ranked
from sangsaeng.core.policy import Action, restrict
from sangsaeng.core.selectors import NotFound
from sangsaeng.directory.models import (
    Agreement,
    Commitment,
    Organisation,
    Person,
    ProfileClaim,
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
    which the search app keeps in step with the database and offers through
    :func:`sangsaeng.core.indexing.ranked`; the policy has already narrowed ``records``.
    """
    if not query.strip():
        return records.order_by("name_ko")
    return ranked(records, query)


def organisations_visible_to(user: AnyUser) -> QuerySet[Organisation]:
    return restrict(Organisation.objects.all(), user, Action.VIEW)


def organisation_get(*, user: AnyUser, slug: str) -> Organisation:
    """One organisation ``user`` may see; else :class:`NotFound`."""
    organisation = organisations_visible_to(user).filter(slug=slug).first()
    if organisation is None:
        raise NotFound(_("No such organisation."))
    return organisation


def organisations_by_slug(user: AnyUser, slugs: list[str], field: str) -> dict[str, Organisation]:
    """The organisations named by ``slugs`` that ``user`` may see, or a ``ValidationError``
    on ``field`` naming the others."""
    found = {
        organisation.slug: organisation
        for organisation in organisations_visible_to(user).filter(slug__in=slugs)
    }
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise ValidationError(
            {field: _("Unknown organisations: %(slugs)s") % {"slugs": ", ".join(unknown)}}
        )
    return found


def pending_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """Registrations waiting for ``user``'s approval, oldest first (operators only)."""
    return (
        restrict(
            Organisation.objects.filter(status=Organisation.Status.PENDING), user, Action.APPROVE
        )
        .select_related("created_by")
        .prefetch_related("tags")
        .order_by("created_at")
    )


def organisation_search(
    user: AnyUser,
    *,
    query: str = "",
    kind: str = "",
    tags: Iterable[str] = (),
    status: str = "",
) -> QuerySet[Organisation]:
    """Organisations ``user`` may see that match ``query`` (Korean or English): approved
    ones, or those of ``status`` (operators and members may list pending or rejected ones)."""
    organisations = organisations_visible_to(user).filter(
        status=status or Organisation.Status.APPROVED
    )
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


def person_get(*, user: AnyUser, slug: str) -> Person:
    """One person ``user`` may see, with publications; else :class:`NotFound`."""
    person = (
        people_visible_to(user)
        .select_related("organisation")
        .prefetch_related(
            "tags", Prefetch("publications", Publication.objects.order_by("-year", "order"))
        )
        .filter(slug=slug)
        .first()
    )
    if person is None:
        raise NotFound(_("No such person."))
    return person


def agreements_visible_to(user: AnyUser) -> QuerySet[Agreement]:
    return restrict(Agreement.objects.all(), user, Action.VIEW).prefetch_related("parties")


def agreement_list(
    user: AnyUser, *, query: str = "", organisation: str = "", with_commitments: bool = False
) -> QuerySet[Agreement]:
    """Agreements ``user`` may see, newest first; ``query`` matches words of the titles."""
    agreements = agreements_visible_to(user)
    if with_commitments:
        agreements = agreements.prefetch_related("commitments")
    if organisation:
        agreements = agreements.filter(parties__slug=organisation)
    for word in query.split():
        agreements = agreements.filter(Q(title_ko__icontains=word) | Q(title_en__icontains=word))
    return agreements.distinct().order_by("-signed_on", "slug")


def agreements_of(user: AnyUser, organisation: Organisation) -> QuerySet[Agreement]:
    """The agreements ``organisation`` is party to that ``user`` may see."""
    return agreements_visible_to(user).filter(parties=organisation)


def agreement_get(*, user: AnyUser, slug: str) -> Agreement:
    """An agreement with its commitments, indicators and updates; else :class:`NotFound`."""
    commitments = Commitment.objects.select_related("owner").prefetch_related(
        "indicators", "updates"
    )
    agreement = (
        agreements_visible_to(user)
        .prefetch_related(Prefetch("commitments", commitments))
        .filter(slug=slug)
        .first()
    )
    if agreement is None:
        raise NotFound(_("No such agreement."))
    return agreement


def commitment_get(*, user: AnyUser, pk: int, agreement_slug: str = "") -> Commitment:
    """A commitment ``user`` may see (of the agreement ``agreement_slug`` when given)."""
    commitments = restrict(Commitment.objects.select_related("agreement"), user, Action.VIEW)
    if agreement_slug:
        commitments = commitments.filter(agreement__slug=agreement_slug)
    commitment = commitments.filter(pk=pk).first()
    if commitment is None:
        raise NotFound(_("No such commitment."))
    return commitment


def reportable_commitment_ids(user: AnyUser, agreement: Agreement) -> set[int]:
    """The commitments of ``agreement`` whose progress ``user`` may report."""
    return set(
        restrict(
            Commitment.objects.filter(agreement=agreement), user, Action.REPORT_PROGRESS
        ).values_list("pk", flat=True)
    )


def resolve_tags(codes: Iterable[str]) -> list[TaxonomyTerm]:
    """Taxonomy terms for ``codes``; an unknown code is a validation error naming it."""
    wanted = [code.strip() for code in codes if code and code.strip()]
    terms = {term.code: term for term in TaxonomyTerm.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in terms]
    if unknown:
        raise ValidationError(
            {"tags": _("Unknown capability codes: %(codes)s") % {"codes": ", ".join(unknown)}}
        )
    return [terms[code] for code in dict.fromkeys(wanted)]


def taxonomy_terms(user: AnyUser) -> QuerySet[TaxonomyTerm]:
    return restrict(TaxonomyTerm.objects.all(), user, Action.VIEW)


def organisation_admins(organisation: Organisation) -> list[User]:
    """The active users who run ``organisation`` (they answer for it and its people)."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role=Membership.Role.ADMIN,
        )
    )


def open_claim_get(token: str) -> ProfileClaim:
    """The invitation a claim link carries, with its profile; else :class:`NotFound`.

    The secret token is the permission: whoever holds the link may see which profile it is
    for (expired and used links are found too, so the page can say so).
    """
    claim = (
        ProfileClaim.objects.select_related("person", "person__organisation")
        .filter(token_hash=ProfileClaim.hash(token or ""))
        .first()
    )
    if claim is None:
        raise NotFound(_("No such link."))
    return claim


def own_expert_profile(user: AnyUser) -> Person | None:
    """The user's own profile (expert or student), if they have one."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).first()


# What the public sees of the cluster's size changes slowly and is asked on every visit to
# the home page: the anonymous counts are kept this long in the shared cache.
PUBLIC_COUNTS_SECONDS = 60
PUBLIC_COUNTS_KEY = "cluster-overview:public-counts"


def _counts(user: AnyUser) -> dict[str, Any]:
    organisations = restrict(Organisation.objects.all(), user).aggregate(
        total=Count("pk"),
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in Organisation.Kind.values},
    )
    return {
        "organisation_count": organisations.pop("total"),
        "kind_counts": organisations,
        "expert_count": restrict(Person.objects.filter(kind=Person.Kind.EXPERT), user).count(),
        "agreement_count": restrict(Agreement.objects.all(), user).count(),
    }


def cluster_overview(user: AnyUser) -> dict[str, Any]:
    """Counts and recent records for the home page, as far as ``user`` may see them.

    A signed-in user's counts are live (they may see more than the public); the public's
    are at most ``PUBLIC_COUNTS_SECONDS`` old.
    """
    if user.is_authenticated:
        counts = _counts(user)
    else:
        counts = cache.get(PUBLIC_COUNTS_KEY)
        if counts is None:
            counts = _counts(user)
            cache.set(PUBLIC_COUNTS_KEY, counts, PUBLIC_COUNTS_SECONDS)
    return {
        "organisation_count": counts["organisation_count"],
        "expert_count": counts["expert_count"],
        "agreement_count": counts["agreement_count"],
        "kinds": [
            (kind, label, counts["kind_counts"][kind]) for kind, label in Organisation.Kind.choices
        ],
        "recent_agreements": restrict(Agreement.objects.all(), user).order_by("-signed_on")[:4],
    }


def terms_by_parent(terms: Iterable[TaxonomyTerm]) -> dict[int | None, list[TaxonomyTerm]]:
    """Taxonomy terms under their parent's id (``None``: the top level), in the given order.

    Pages and the API walk the tree from this, however deep, after one query.
    """
    children: dict[int | None, list[TaxonomyTerm]] = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    return children
