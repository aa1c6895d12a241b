"""Search through the engine: one box, Korean or English, keyword and meaning together.

The caller passes a queryset that the access policy has already restricted (and its
filters already applied); the engine ranks only those records, so nothing a user may not
see is ever scored for them. Records the engine finds no relevance in (no shared term and
little closeness of meaning) are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Case, IntegerField, Model, QuerySet, Value, When

from sangsaeng.core.policy import Action, AnyUser, restrict
from sangsaeng.directory.models import Organisation, Person
from sangsaeng.engine.index import ExpertiseIndex
from sangsaeng.engine.index import Match as EngineMatch
from sangsaeng.engine.index import Query as EngineQuery
from sangsaeng.matching.models import Need
from sangsaeng.matching.search_index import NEED, ORGANISATION, PERSON, profile_key, search_index

ModelT = TypeVar("ModelT", bound=Model)

# Cosine similarity of the multilingual embeddings above which a text counts as related in
# meaning even without a shared word (a Korean query and an English profile).
MEANING_THRESHOLD = 0.3
DEFAULT_LIMIT = 50

SEARCH_KINDS = ("expert", "organisation", "need", "offer")


def is_relevant(match: EngineMatch) -> bool:
    explanation = match.explanation
    if explanation is None:
        return True
    return explanation.sparse_score > 0 or explanation.dense_score >= MEANING_THRESHOLD


def _subject_of(model: type[Model]) -> tuple[str, str]:
    if model is Person:
        return PERSON, "directory"
    if model is Organisation:
        return ORGANISATION, "directory"
    if model is Need:
        return NEED, "needs"
    raise TypeError(f"{model.__name__} is not searchable")


def _index_for(model: type[Model]) -> tuple[str, ExpertiseIndex]:
    subject, which = _subject_of(model)
    directory, needs = search_index().current()
    return subject, directory if which == "directory" else needs


def rank(
    queryset: QuerySet[ModelT],
    query: str | EngineQuery,
    limit: int = DEFAULT_LIMIT,
    sentences: bool = True,
) -> list[tuple[ModelT, EngineMatch]]:
    """The records of ``queryset`` the engine finds relevant to ``query``, best first.

    ``sentences=False`` skips the costly cross-language best sentence of each explanation
    (see :func:`explained`), for callers that only filter or order.
    """
    subject, index = _index_for(queryset.model)
    keys = [
        key
        for pk in queryset.values_list("pk", flat=True)
        if (key := profile_key(subject, pk)) in index
    ]
    if not keys:
        return []
    matches = index.search(
        query, top_k=min(limit, len(keys)), profile_ids=keys, explain=True, sentences=sentences
    )
    relevant = [m for m in matches if is_relevant(m)]
    ids = [int(m.profile_id.partition(":")[2]) for m in relevant]
    records = queryset.model._default_manager.in_bulk(ids)
    return [(records[i], m) for i, m in zip(ids, relevant, strict=True) if i in records]


def ordered_by_rank(
    queryset: QuerySet[ModelT], query: str, limit: int = DEFAULT_LIMIT
) -> QuerySet[ModelT]:
    """``queryset`` narrowed to the engine's relevant records, as a queryset in rank order.

    For callers that must keep returning a queryset (the directory's selectors).
    """
    ids = [record.pk for record, _ in rank(queryset, query, limit, sentences=False)]
    if not ids:
        return queryset.none()
    order = Case(
        *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)],
        output_field=IntegerField(),
    )
    return queryset.model._default_manager.filter(pk__in=ids).order_by(order)


@dataclass
class SearchHit:
    """One result of the search box: a record, its kind, and why the engine chose it."""

    kind: str
    record: Any
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)


def searchable_needs(user: AnyUser) -> QuerySet[Need]:
    """Needs whose summary or text ``user`` may see (confidential ones are indexed by summary)."""
    return restrict(Need.objects.all(), user, Action.VIEW_SUMMARY)


def search_everything(
    user: AnyUser,
    *,
    query: str,
    kinds: Sequence[str] = (),
    tags: Iterable[str] = (),
    limit: int = 20,
) -> list[SearchHit]:
    """The search box: experts, organisations, needs and offers ``user`` may see, best first."""
    from sangsaeng.directory.selectors import organisations_visible_to, people_visible_to

    query = query.strip()
    if not query:
        return []
    wanted = set(kinds) & set(SEARCH_KINDS) or set(SEARCH_KINDS)
    tag_codes = [code for code in tags if code]
    hits: list[SearchHit] = []

    def tagged(queryset: QuerySet[ModelT]) -> QuerySet[ModelT]:
        return queryset.filter(tags__code__in=tag_codes) if tag_codes else queryset

    if "expert" in wanted:
        experts = tagged(people_visible_to(user).filter(kind=Person.Kind.EXPERT))
        hits += [_hit("expert", r, m) for r, m in rank(experts, query, limit, sentences=False)]
    if "organisation" in wanted:
        organisations = tagged(
            organisations_visible_to(user).filter(status=Organisation.Status.APPROVED)
        )
        hits += [
            _hit("organisation", r, m)
            for r, m in rank(organisations, query, limit, sentences=False)
        ]
    need_kinds = [
        kind
        for kind, selected in (
            (Need.Kind.TECHNOLOGY_REQUEST, "need"),
            (Need.Kind.PARTNER_SEARCH, "need"),
            (Need.Kind.CAPABILITY_OFFER, "offer"),
            (Need.Kind.EQUIPMENT_OFFER, "offer"),
        )
        if selected in wanted
    ]
    if need_kinds:
        needs = tagged(searchable_needs(user).filter(kind__in=need_kinds))
        hits += [
            _hit("offer" if r.is_offer else "need", r, m)
            for r, m in rank(needs, query, limit, sentences=False)
        ]
    # Scores are standardised per index and query, so they compare across kinds well enough.
    hits.sort(key=lambda hit: -hit.score)
    shown = hits[:limit]
    # Only the hits shown get the full explanation, with a best sentence across languages:
    # one batch per index, since each call to the embedder has a fixed cost.
    batches: dict[int, tuple[ExpertiseIndex, list[str], list[SearchHit]]] = {}
    for hit in shown:
        if hit.explanation.get("best_sentence") is None:
            subject, index = _index_for(type(hit.record))
            _, profile_ids, batch = batches.setdefault(id(index), (index, [], []))
            profile_ids.append(profile_key(subject, hit.record.pk))
            batch.append(hit)
    for index, profile_ids, batch in batches.values():
        for hit, match in zip(batch, index.score_pairs(query, profile_ids), strict=True):
            hit.explanation = match.explanation.to_dict() if match.explanation else {}
    return shown


def _hit(kind: str, record: Any, match: EngineMatch) -> SearchHit:
    explanation = match.explanation.to_dict() if match.explanation is not None else {}
    return SearchHit(kind=kind, record=record, score=match.score, explanation=explanation)
