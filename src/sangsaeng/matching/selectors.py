"""Read-only questions about needs and matches, always through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from sangsaeng.accounts.models import User
from sangsaeng.core.policy import Action, AnyUser, admin_organisation_ids, can, restrict
from sangsaeng.directory.models import Organisation, Person
from sangsaeng.engine.index import Query
from sangsaeng.matching.models import Match, MatchEvent, MatchingRun, Need
from sangsaeng.matching.search import rank


def needs_visible_to(user: AnyUser) -> QuerySet[Need]:
    """Needs whose text ``user`` may read."""
    return restrict(Need.objects.all(), user, Action.VIEW).select_related("organisation")


def need_list(
    user: AnyUser, *, kind: str = "", offers: bool | None = None, mine: bool = False
) -> QuerySet[Need]:
    needs = needs_visible_to(user).prefetch_related("tags")
    if offers is not None:
        needs = (
            needs.filter(kind__in=Need.OFFER_KINDS)
            if offers
            else needs.exclude(kind__in=Need.OFFER_KINDS)
        )
    if kind:
        needs = needs.filter(kind=kind)
    if mine:
        needs = (
            needs.filter(organisation__memberships__user=user)
            if user.is_authenticated
            else needs.none()
        )
    return needs.order_by("status", "-created_at")


@dataclass
class NeedView:
    """A need as one viewer may see it: the text, or only the summary of a confidential one."""

    need: Need
    full_text: bool
    may_change: bool
    may_request: bool

    @property
    def title(self) -> str:
        return self.need.title if self.full_text else self.need.summary


def need_detail(user: AnyUser, pk: int) -> NeedView:
    """Raises ``Need.DoesNotExist`` unless ``user`` may see at least the need's summary."""
    need = (
        restrict(Need.objects.all(), user, Action.VIEW_SUMMARY)
        .select_related("organisation", "author")
        .prefetch_related("tags")
        .get(pk=pk)
    )
    full = can(user, Action.VIEW, need)
    return NeedView(
        need=need,
        full_text=full,
        may_change=can(user, Action.CHANGE, need),
        may_request=can(user, Action.REQUEST_CONTACT, need),
    )


def suggestions_for(user: AnyUser, need: Need) -> QuerySet[Match]:
    """The need's matches ``user`` may see, best first (the poster's side sees them all)."""
    return (
        restrict(Match.objects.filter(need=need), user, Action.VIEW)
        .select_related("person", "person__organisation", "organisation", "need")
        .order_by("rank", "id")
    )


def latest_run(user: AnyUser, need: Need) -> MatchingRun | None:
    return restrict(MatchingRun.objects.filter(need=need), user, Action.VIEW).first()


def run_detail(user: AnyUser, pk: int) -> MatchingRun:
    return restrict(MatchingRun.objects.all(), user, Action.VIEW).get(pk=pk)


def match_detail(user: AnyUser, pk: int) -> Match:
    return (
        restrict(Match.objects.all(), user, Action.VIEW)
        .select_related("need", "need__organisation", "person", "organisation")
        .get(pk=pk)
    )


def match_events(user: AnyUser, match: Match) -> QuerySet[MatchEvent]:
    return restrict(MatchEvent.objects.filter(match=match), user, Action.VIEW).select_related(
        "actor"
    )


def my_matches(user: AnyUser) -> QuerySet[Match]:
    """Matches past ``suggested`` on either side of ``user``: requests sent and received."""
    return (
        restrict(Match.objects.exclude(state=Match.State.SUGGESTED), user, Action.CONVERSE)
        .select_related("need", "need__organisation", "person", "organisation")
        .order_by("-updated_at")
    )


@dataclass
class NeedForYou:
    need: Need
    full_text: bool
    score: float
    explanation: dict[str, Any]
    interested: bool

    @property
    def title(self) -> str:
        return self.need.title if self.full_text else self.need.summary


def profile_query(user: User) -> tuple[Query | None, list[Person | Organisation]]:
    """What ``user``'s expertise looks like to the engine: their profile and admin organisations."""
    parties: list[Person | Organisation] = []
    parts: list[str] = []
    person = Person.objects.filter(user=user).prefetch_related("publications", "tags").first()
    if person is not None:
        parties.append(person)
        parts += [person.profile_text, ", ".join(map(str, person.expertise_keywords or []))]
        parts += [f"{p.title}. {p.abstract}" for p in person.publications.all()[:20]]
        parts += [f"{t.name_ko} {t.name_en}" for t in person.tags.all()]
    for organisation in Organisation.objects.filter(pk__in=admin_organisation_ids(user)):
        parties.append(organisation)
        parts += [organisation.description_ko, organisation.description_en]
        parts += [f"{t.name_ko} {t.name_en}" for t in organisation.tags.all()]
    text = "\n".join(part for part in parts if part and part.strip())
    return (Query(id=f"user:{user.pk}", text=text) if text else None), parties


def needs_for_you(user: AnyUser, limit: int = 20) -> list[NeedForYou]:
    """Open needs (not offers) of other organisations that match ``user``'s profile, best first."""
    if not user.is_authenticated:
        return []
    query, parties = profile_query(user)  # type: ignore[arg-type]
    if query is None:
        return []
    own_organisations = {p.pk for p in parties if isinstance(p, Organisation)} | {
        p.organisation_id for p in parties if isinstance(p, Person) and p.organisation_id
    }
    candidates = (
        restrict(Need.objects.filter(status=Need.Status.OPEN), user, Action.VIEW_SUMMARY)
        .exclude(organisation_id__in=own_organisations)
        .exclude(kind__in=Need.OFFER_KINDS)
    )
    ranked = rank(candidates, query, limit)
    interested = set(
        Match.objects.filter(
            Q(person__user=user)
            | Q(organisation__in=[p for p in parties if isinstance(p, Organisation)]),
            interest_expressed_at__isnull=False,
        ).values_list("need_id", flat=True)
    )
    readable = set(
        restrict(Need.objects.filter(pk__in=[n.pk for n, _ in ranked]), user).values_list(
            "pk", flat=True
        )
    )
    return [
        NeedForYou(
            need=need,
            full_text=need.pk in readable,
            score=match.score,
            # Shared terms of a confidential need would quote its text: only for readers.
            explanation=match.explanation.to_dict()
            if match.explanation and need.pk in readable
            else {},
            interested=need.pk in interested,
        )
        for need, match in ranked
    ]
