"""Ranking records through the engine: one query, Korean or English, keyword and meaning.

The caller passes a queryset that the access policy has already restricted (and its
filters already applied); the engine ranks only those records, so nothing a user may not
see is ever scored for them. Records the engine finds no relevance in (no shared term and
little closeness of meaning) are left out.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Case, IntegerField, Model, QuerySet, Value, When

from sangsaeng.core.indexing import profile_key
from sangsaeng.engine.index import Match as EngineMatch
from sangsaeng.engine.index import Query as EngineQuery
from sangsaeng.search import registry
from sangsaeng.search.index import search_index

ModelT = TypeVar("ModelT", bound=Model)

# Cosine similarity of the multilingual embeddings above which a text counts as related in
# meaning even without a shared word (a Korean query and an English profile).
MEANING_THRESHOLD = 0.3
DEFAULT_LIMIT = 50


def is_relevant(match: EngineMatch) -> bool:
    explanation = match.explanation
    if explanation is None:
        return True
    return explanation.sparse_score > 0 or explanation.dense_score >= MEANING_THRESHOLD


def rank(
    queryset: QuerySet[ModelT],
    query: str | EngineQuery,
    limit: int = DEFAULT_LIMIT,
    sentences: bool = True,
) -> list[tuple[ModelT, EngineMatch]]:
    """The records of ``queryset`` the engine finds relevant to ``query``, best first.

    ``sentences=False`` skips the costly cross-language best sentence of each explanation
    (see :func:`sangsaeng.search.selectors.search_everything`), for callers that only
    filter or order.
    """
    subject = registry.for_model(queryset.model).subject
    index = search_index().index_for(subject)
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

    For callers that must keep returning a queryset (the directory's selectors, through
    :func:`sangsaeng.core.indexing.ranked`).
    """
    ids = [record.pk for record, _ in rank(queryset, query, limit, sentences=False)]
    if not ids:
        return queryset.none()
    order = Case(
        *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)],
        output_field=IntegerField(),
    )
    return queryset.model._default_manager.filter(pk__in=ids).order_by(order)
