"""Read-only questions about needs and matches, always through the access policy.

Each record has one fetcher (``need_get``, ``match_get``, ``run_get``, ``party_get``) that
raises :class:`~sangsaeng.core.selectors.NotFound` when it does not exist or the user may
not see it; pages and the API both answer that with 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser, Membership, User
from sangsaeng.core.policy import Action, can, principal_of, restrict
from sangsaeng.core.selectors import NotFound
from sangsaeng.directory.models import Organisation, Person
from sangsaeng.directory.selectors import (
    organisation_admins,
    organisations_visible_to,
    people_visible_to,
)
from sangsaeng.engine.index import Query
from sangsaeng.matching.models import (
    ConversationMessage,
    JointProject,
    Match,
    MatchEvent,
    MatchingRun,
    Need,
)
from sangsaeng.matching.parties import Party
from sangsaeng.search.ranking import rank

# --- needs ------------------------------------------------------------------------------


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
            needs.filter(organisation_id__in=principal_of(user).member_of)
            if user.is_authenticated
            else needs.none()
        )
    return needs.order_by("status", "-created_at")


# What anyone who may see a need's summary may read of it (its title and text may not be).
SHARED_NEED_FIELDS = frozenset(
    {
        "pk",
        "id",
        "kind",
        "summary",
        "visibility",
        "status",
        "deadline",
        "created_at",
        "organisation",
        "organisation_id",
        "tags",
        "for_students",
        "is_offer",
        "is_confidential",
        "get_absolute_url",
        "get_kind_display",
        "get_visibility_display",
        "get_status_display",
    }
)


@dataclass
class NeedView:
    """A need as one viewer may see it: the text, or only the summary of a confidential one.

    Pages and the API show a need through its view, so the title and description reach
    only those who may read them; the other fields pass through to the need.
    """

    need: Need
    full_text: bool
    viewer: AnyUser

    @property
    def title(self) -> str:
        return self.need.title if self.full_text else self.need.summary

    @property
    def description(self) -> str | None:
        return self.need.description if self.full_text else None

    @cached_property
    def may_change(self) -> bool:
        return can(self.viewer, Action.CHANGE, self.need)

    @cached_property
    def may_request(self) -> bool:
        return can(self.viewer, Action.REQUEST_CONTACT, self.need)

    def __getattr__(self, name: str) -> Any:
        if name in SHARED_NEED_FIELDS:
            return getattr(self.need, name)
        raise AttributeError(name)


def need_get(*, user: AnyUser, pk: int) -> NeedView:
    """The need as ``user`` may see it (at least its summary), or :class:`NotFound`."""
    need = (
        restrict(Need.objects.all(), user, Action.VIEW_SUMMARY)
        .select_related("organisation", "author")
        .prefetch_related("tags")
        .filter(pk=pk)
        .first()
    )
    if need is None:
        raise NotFound(_("No such need or offer."))
    return NeedView(need=need, full_text=can(user, Action.VIEW, need), viewer=user)


def readable_view(need: Need, user: AnyUser) -> NeedView:
    """The view of a need that ``user`` reads in full (a list of readable needs, one just saved)."""
    return NeedView(need=need, full_text=True, viewer=user)


def postable_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """The organisations ``user`` may post needs and offers for (operators: any approved one)."""
    approved = Organisation.objects.filter(status=Organisation.Status.APPROVED)
    if not principal_of(user).is_operator:
        approved = approved.filter(pk__in=principal_of(user).approved_member_of)
    return approved.order_by("name_ko")


def poster_users(need: Need) -> list[User]:
    """Who hears about a need's matches: its author and its organisation's admins."""
    users = list(
        User.objects.filter(
            memberships__organisation_id=need.organisation_id,
            memberships__role=Membership.Role.ADMIN,
        )
    )
    if need.author is not None:
        users.append(need.author)
    return users


# --- parties ----------------------------------------------------------------------------


def party_get(*, user: AnyUser, value: str = "", person: str = "", organisation: str = "") -> Party:
    """An expert or organisation ``user`` may see, named as ``person:12`` (``value``) or by
    the slug of exactly one of ``person`` and ``organisation``; else :class:`NotFound`."""
    not_found = NotFound(_("No such expert or organisation."))
    if value:
        try:
            kind, pk = Party.parse(value)
        except ValueError:
            raise not_found from None
        lookup: dict[str, Any] = {"pk": pk}
    elif bool(person) != bool(organisation):
        kind, lookup = (
            ("person", {"slug": person}) if person else ("organisation", {"slug": organisation})
        )
    else:
        raise not_found
    visible = people_visible_to(user) if kind == "person" else organisations_visible_to(user)
    record = visible.filter(**lookup).first()
    if record is None:
        raise not_found
    return Party.of(record)


def request_route(party: Party) -> tuple[str, list[User]]:
    """Whom a contact request to ``party`` reaches, and the users to notify.

    The expert's own account; for an expert without one, an invitation to claim the profile
    by e-mail when it has an address (nobody on the platform is notified), else the admins
    of their organisation; for an organisation, its admins. When nobody answers for the
    party, the cluster office (operators) does.
    """
    person = party.person
    if person is not None:
        if person.user is not None and person.user.is_active:
            return Match.Route.ACCOUNT, [person.user]
        if person.email:
            return Match.Route.CLAIM_INVITATION, []
    home = party.home_organisation
    admins = organisation_admins(home) if home is not None else []
    if admins:
        return Match.Route.ORGANISATION_ADMINS, admins
    operators = User.objects.filter(is_active=True).filter(
        Q(is_operator=True) | Q(is_superuser=True)
    )
    return Match.Route.CLUSTER_OFFICE, list(operators)


def parties_user_answers_for(user: User) -> list[Party]:
    """The viewer's own expert profile and the organisations they run."""
    parties = [Party.of(person) for person in Person.objects.filter(user=user)]
    parties += [
        Party.of(organisation)
        for organisation in Organisation.objects.filter(pk__in=principal_of(user).admin_of)
    ]
    return parties


@dataclass(frozen=True)
class InterestParty:
    """A profile the viewer may express interest for, and whether they already did."""

    party: Party
    expressed: bool

    @property
    def key(self) -> str:
        return self.party.key

    @property
    def name(self) -> str:
        return self.party.name


def interest_parties(user: AnyUser, need: Need) -> list[InterestParty]:
    """The profiles ``user`` could express interest in ``need`` for (not the need's own side),
    each with whether interest was already expressed."""
    if not user.is_authenticated or need.status != Need.Status.OPEN:
        return []
    parties = [
        party
        for party in parties_user_answers_for(user)
        if (home := party.home_organisation) is None or home.pk != need.organisation_id
    ]
    expressed = {
        Party.from_match(match).key
        for match in Match.objects.filter(
            need=need, interest_expressed_at__isnull=False
        ).select_related("person", "organisation")
    }
    return [InterestParty(party, party.key in expressed) for party in parties]


# --- matches and runs --------------------------------------------------------------------


def suggestions_for(user: AnyUser, need: Need) -> QuerySet[Match]:
    """The need's matches ``user`` may see, best first (the poster's side sees them all)."""
    return (
        restrict(Match.objects.filter(need=need), user, Action.VIEW)
        .select_related("person", "person__organisation", "organisation", "need")
        .order_by("rank", "id")
    )


def latest_run(user: AnyUser, need: Need) -> MatchingRun | None:
    return restrict(MatchingRun.objects.filter(need=need), user, Action.VIEW).first()


def run_get(*, user: AnyUser, pk: int) -> MatchingRun:
    run = restrict(MatchingRun.objects.all(), user, Action.VIEW).filter(pk=pk).first()
    if run is None:
        raise NotFound(_("No such matching run."))
    return run


def match_get(*, user: AnyUser, pk: int) -> Match:
    match = (
        restrict(Match.objects.all(), user, Action.VIEW)
        .select_related("need", "need__organisation", "person", "organisation")
        .prefetch_related("events")
        .filter(pk=pk)
        .first()
    )
    if match is None:
        raise NotFound(_("No such match."))
    return match


def match_events(user: AnyUser, match: Match) -> QuerySet[MatchEvent]:
    return restrict(MatchEvent.objects.filter(match=match), user, Action.VIEW).select_related(
        "actor", "actor__person"
    )


def conversation(user: AnyUser, match: Match) -> QuerySet[ConversationMessage]:
    """The messages of ``match`` that ``user`` may read (its two sides and operators)."""
    if not (can(user, Action.CONVERSE, match) or principal_of(user).is_operator):
        return ConversationMessage.objects.none()
    return restrict(
        ConversationMessage.objects.filter(match=match), user, Action.VIEW
    ).select_related("author", "author__person")


def project_of(match: Match) -> Any:
    """The joint project an accepted match became, if it did (the match is already visible)."""
    return getattr(match, "project", None) if match.state == Match.State.PROJECT else None


def my_matches(user: AnyUser) -> QuerySet[Match]:
    """Matches past ``suggested`` on either side of ``user``: requests sent and received,
    and the interest shown in the needs of their organisations."""
    return (
        restrict(
            Match.objects.exclude(state=Match.State.SUGGESTED, interest_expressed_at__isnull=True),
            user,
            Action.CONVERSE,
        )
        .select_related("need", "need__organisation", "person", "organisation")
        .order_by("-updated_at")
    )


def requests_waiting_for(user: AnyUser) -> QuerySet[Match]:
    """Contact requests ``user`` answers (for themselves or an organisation they run)."""
    return (
        my_matches(user)
        .filter(state=Match.State.REQUESTED)
        .filter(pk__in=restrict(Match.objects.all(), user, Action.RESPOND).values("pk"))
    )


def my_projects(user: AnyUser) -> QuerySet[JointProject]:
    """The joint projects of matches on either side of ``user``, newest first."""
    sides = restrict(Match.objects.all(), user, Action.CONVERSE)
    return (
        restrict(JointProject.objects.filter(match__in=sides), user, Action.VIEW)
        .select_related("match", "match__need", "match__need__organisation")
        .select_related("match__person", "match__organisation")
        .prefetch_related("participants", "participants__person")
    )


def project_get(*, user: AnyUser, pk: int) -> JointProject:
    """A joint project ``user`` may see (its two sides and operators); else :class:`NotFound`."""
    project = (
        restrict(JointProject.objects.all(), user, Action.VIEW)
        .select_related("match", "match__need", "match__need__organisation")
        .select_related("match__person", "match__organisation")
        .prefetch_related("participants", "participants__person")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise NotFound(_("No such joint project."))
    return project


# --- needs for you ------------------------------------------------------------------------


@dataclass
class NeedForYou:
    view: NeedView
    score: float
    explanation: dict[str, Any]
    interested: bool

    @property
    def need(self) -> Need:
        return self.view.need

    @property
    def full_text(self) -> bool:
        return self.view.full_text

    @property
    def title(self) -> str:
        return self.view.title


def profile_query(user: User) -> tuple[Query | None, list[Party]]:
    """What ``user``'s expertise looks like to the engine: their profile and admin organisations."""
    parties: list[Party] = []
    parts: list[str] = []
    person = Person.objects.filter(user=user).prefetch_related("publications", "tags").first()
    if person is not None:
        parties.append(Party.of(person))
        parts += [person.profile_text, ", ".join(map(str, person.expertise_keywords or []))]
        parts += [f"{p.title}. {p.abstract}" for p in person.publications.all()[:20]]
        parts += [f"{t.name_ko} {t.name_en}" for t in person.tags.all()]
    for organisation in Organisation.objects.filter(
        pk__in=principal_of(user).admin_of
    ).prefetch_related("tags"):
        parties.append(Party.of(organisation))
        parts += [organisation.description_ko, organisation.description_en]
        parts += [f"{t.name_ko} {t.name_en}" for t in organisation.tags.all()]
    text = "\n".join(part for part in parts if part and part.strip())
    return (Query(id=f"user:{user.pk}", text=text) if text else None), parties


def _answers_only_as_student(user: AnyUser, parties: list[Party]) -> bool:
    return bool(parties) and all(
        party.person is not None and party.person.kind == Person.Kind.STUDENT for party in parties
    )


def needs_for_you(user: AnyUser, limit: int = 20) -> list[NeedForYou]:
    """Open needs (not offers) of other organisations that match ``user``'s profile, best first."""
    if not user.is_authenticated:
        return []
    query, parties = profile_query(user)
    if query is None:
        return []
    own_organisations = {
        home.pk for party in parties if (home := party.home_organisation) is not None
    }
    candidates = (
        restrict(Need.objects.filter(status=Need.Status.OPEN), user, Action.VIEW_SUMMARY)
        .exclude(organisation_id__in=own_organisations)
        .exclude(kind__in=Need.OFFER_KINDS)
    )
    student = _answers_only_as_student(user, parties)
    if student:
        # A student is shown the needs posted for students, not requests for experts.
        candidates = candidates.filter(for_students=True)
    ranked: list[tuple[Need, Any]] = list(rank(candidates, query, limit))
    if student:
        # Needs for students are few: those that fit the profile come first, then the rest.
        shown = {need.pk for need, _match in ranked}
        rest = candidates.exclude(pk__in=shown).order_by("-created_at")[: limit - len(ranked)]
        ranked += [(need, None) for need in rest]
    interested = set(
        Match.objects.filter(
            Q(person__user=user)
            | Q(organisation__in=[p.organisation for p in parties if p.organisation]),
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
            view=NeedView(need=need, full_text=need.pk in readable, viewer=user),
            score=match.score if match is not None else 0.0,
            # Shared terms of a confidential need would quote its text: only for readers.
            explanation=match.explanation.to_dict()
            if match is not None and match.explanation and need.pk in readable
            else {},
            interested=need.pk in interested,
        )
        for need, match in ranked
    ]
