"""Computing a need's suggested matches with the engine (run by a background task)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sangsaeng.accounts.models import Membership, User
from sangsaeng.core.policy import Action, restrict
from sangsaeng.directory.models import Organisation, Person
from sangsaeng.directory.search import tag_names
from sangsaeng.engine.index import Query
from sangsaeng.matching import notifications
from sangsaeng.matching.models import Match, MatchingRun, Need
from sangsaeng.matching.parties import Party
from sangsaeng.matching.selectors import poster_users
from sangsaeng.notifications.services import notify
from sangsaeng.search.index import search_index
from sangsaeng.search.ranking import rank

SUGGESTED_PEOPLE = 10
SUGGESTED_ORGANISATIONS = 5


def need_query(need: Need) -> Query:
    """The need's whole text is the query: it never enters an index others search."""
    tags = tag_names(need.tags.all())
    return Query(id=f"need:{need.pk}", title=need.title, text=f"{need.description}\n{tags}")


def _poster_view(need: Need) -> User | None:
    """Whose eyes choose the candidates: nobody is suggested that the poster may not see."""
    if need.author is not None:
        return need.author
    membership = need.organisation.memberships.filter(role=Membership.Role.ADMIN).first()
    return membership.user if membership else None


def _set_progress(
    run: MatchingRun, progress: int, status: str = MatchingRun.Status.RUNNING
) -> None:
    run.progress, run.status = progress, status
    run.save(update_fields=["progress", "status"])


def suggest_matches(run: MatchingRun) -> int:
    """Rank experts and organisations for ``run.need`` and store them as suggested matches.

    Matches already past ``suggested`` (or with interest expressed) are kept as they are;
    suggestions that dropped out of the ranking are removed. Returns the suggestion count.
    """
    need = Need.objects.select_related("organisation", "author").get(pk=run.need_id)
    _set_progress(run, 5)
    viewer = _poster_view(need)
    if viewer is None or need.status != Need.Status.OPEN:
        run.status, run.progress, run.finished_at = MatchingRun.Status.DONE, 100, timezone.now()
        run.save(update_fields=["status", "progress", "finished_at"])
        return 0
    query = need_query(need)
    people = (
        restrict(Person.objects.all(), viewer, Action.VIEW)
        .exclude(organisation_id=need.organisation_id)
        .exclude(Q(user_id__isnull=False) & Q(user_id=need.author_id))
    )
    ranked_people = rank(people, query, SUGGESTED_PEOPLE)
    _set_progress(run, 60)
    organisations = (
        restrict(Organisation.objects.all(), viewer, Action.VIEW)
        .filter(status=Organisation.Status.APPROVED)
        .exclude(pk=need.organisation_id)
    )
    ranked_organisations = rank(organisations, query, SUGGESTED_ORGANISATIONS)
    _set_progress(run, 90)

    new_parties: list[Match] = []
    with transaction.atomic():
        kept_people: set[int] = set()
        kept_organisations: set[int] = set()
        for position, (party, engine_match) in enumerate(
            [*ranked_people, *ranked_organisations], start=1
        ):
            suggested = Party.of(party)  # type: ignore[arg-type]
            (kept_people if suggested.person else kept_organisations).add(party.pk)
            explanation = engine_match.explanation.to_dict() if engine_match.explanation else {}
            match, created = Match.objects.get_or_create(
                need=need,
                **suggested.lookup,
                defaults={
                    "score": engine_match.score,
                    "rank": position,
                    "explanation": explanation,
                },
            )
            if not created:
                match.score, match.rank, match.explanation = (
                    engine_match.score,
                    position,
                    explanation,
                )
                match.save(update_fields=["score", "rank", "explanation", "updated_at"])
            elif match.state == Match.State.SUGGESTED:
                new_parties.append(match)
        stale = Match.objects.filter(
            need=need, state=Match.State.SUGGESTED, interest_expressed_at__isnull=True
        ).exclude(Q(person_id__in=kept_people) | Q(organisation_id__in=kept_organisations))
        stale.delete()
        count = len(ranked_people) + len(ranked_organisations)
        run.status, run.progress, run.suggestions = MatchingRun.Status.DONE, 100, count
        run.finished_at, run.index_position = timezone.now(), search_index().position
        run.save(
            update_fields=["status", "progress", "suggestions", "finished_at", "index_position"]
        )
        if new_parties:
            _announce(need, new_parties)
    return count


def _announce(need: Need, new_matches: list[Match]) -> None:
    notify(
        recipients=poster_users(need),
        kind=notifications.NEW_MATCH,
        context={"need": need.label_for_others, "count": len(new_matches), "role": "poster"},
        link=need.get_absolute_url(),
    )
    for match in new_matches:
        notify(
            recipients=match.party.answering_users(),
            kind=notifications.NEW_MATCH,
            context={"need": need.label_for_others, "role": "party"},
            link=need.get_absolute_url(),
        )
