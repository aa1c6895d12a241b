"""Ranking records: what their texts say (the engine) and what they are called (names).

The caller passes a queryset that the access policy has already restricted (and its
filters already applied); only those records are scored, so nothing a user may not see is
ever ranked for them. A record is related to the query when it shares a term with it, is
close in meaning (a Korean query and an English profile), or is named by it, whole or in
part or through the organisation it belongs to (see :mod:`sangsaeng.search.names`). The
others are left out.

A query typed in one script is also read in the other where the records' bilingual names
teach how (세종 ↔ Sejong): :func:`expand_query`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from django.db.models import Case, IntegerField, Model, QuerySet, Value, When

from sangsaeng.core.indexing import profile_key
from sangsaeng.engine.index import ExpertiseIndex
from sangsaeng.engine.index import Query as EngineQuery
from sangsaeng.search import registry
from sangsaeng.search.explaining import MEANING_THRESHOLD, explain
from sangsaeng.search.index import SearchIndex, search_index
from sangsaeng.search.names import NameTable

ModelT = TypeVar("ModelT", bound=Model)

# MEANING_THRESHOLD (explaining): the cosine of the multilingual embeddings above which a
# text counts as related in meaning even without a shared word (a Korean query, an English
# profile).
DEFAULT_LIMIT = 50
# What a name adds to a record's score: a whole name adds NAME_WEIGHT, the beginning of
# one 0.75 of it, a part 0.5 of it (names.EXACT, START, PART); the same for the name of
# the organisation the record belongs to, with AFFILIATION_WEIGHT. Chosen by
# cross-validation on the search test set: bench/search/tune.py, docs/matching.md.
NAME_WEIGHT = 0.25
AFFILIATION_WEIGHT = 0.3


@dataclass(frozen=True)
class Candidate:
    """One related record of a ranking, before it is fetched or explained."""

    key: str
    pk: int
    score: float
    sparse: float
    dense: float
    name: float
    affiliation: float


@dataclass(frozen=True)
class Reasons:
    """Why a record was ranked where it was (the explanation's JSON-ready dict)."""

    data: Mapping[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return dict(self.data)


@dataclass(frozen=True)
class RankedMatch:
    """A ranked record's key, score and (when asked for) its explanation."""

    profile_id: str
    score: float
    explanation: Reasons | None = None


def expand_query(query: str, names: NameTable) -> str:
    """``query`` with each word's reading in the other script, where names teach one:
    "세종" → "세종 sejong"; "Pangyo" → "Pangyo 판교"."""
    extra = [
        reading
        for readings in names.readings(query)
        for reading in readings[1:]
        if reading.casefold() not in query.casefold()
    ]
    return " ".join([query, *dict.fromkeys(extra)]) if extra else query


def candidates(
    queryset: QuerySet[Any],
    query: str | EngineQuery,
    *,
    indexes: Mapping[str, ExpertiseIndex],
    names: NameTable | None = None,
    text: str | EngineQuery | None = None,
) -> list[Candidate]:
    """Every record of ``queryset`` related to ``query``, best first.

    ``names`` (for a query somebody typed) also finds records by their names;
    ``text`` is what the engine reads (the query expanded, by default the query).
    """
    searchable = registry.for_model(queryset.model)
    index = indexes[searchable.index]
    subject = searchable.subject
    keys = list(
        dict.fromkeys(
            key
            for pk in queryset.values_list("pk", flat=True)
            if (key := profile_key(subject, pk)) in index
        )
    )
    if not keys:
        return []
    channels = index.channel_scores(text if text is not None else query, keys)
    scores = channels.score.copy()
    related = (channels.sparse > 0) | (channels.dense >= MEANING_THRESHOLD)
    named = np.zeros(len(keys))
    affiliated = np.zeros(len(keys))
    if names is not None and isinstance(query, str):
        by_name, by_affiliation = names.scores(query, keys)
        if by_name or by_affiliation:
            position = {key: i for i, key in enumerate(keys)}
            for key, value in by_name.items():
                named[position[key]] = value
            for key, value in by_affiliation.items():
                affiliated[position[key]] = value
            scores += NAME_WEIGHT * named + AFFILIATION_WEIGHT * affiliated
            related |= (named > 0) | (affiliated > 0)
    chosen = np.flatnonzero(related)
    chosen = chosen[np.argsort(-scores[chosen], kind="stable")]
    return [
        Candidate(
            keys[i],
            int(keys[i].rpartition(":")[2]),
            float(scores[i]),
            float(channels.sparse[i]),
            float(channels.dense[i]),
            float(named[i]),
            float(affiliated[i]),
        )
        for i in chosen
    ]


def explain_candidate(
    process: SearchIndex,
    indexes: Mapping[str, ExpertiseIndex],
    candidate: Candidate,
    text: str | EngineQuery,
    *,
    language: str | None = None,
) -> dict[str, Any]:
    subject = candidate.key.partition(":")[0]
    entry = process.names.get(candidate.key)
    return explain(
        indexes[registry.by_subject(subject).index],
        process.analyzer,
        text,
        candidate.key,
        language=language,
        sparse=candidate.sparse,
        dense=candidate.dense,
        by_name=candidate.name > 0,
        by_affiliation=candidate.affiliation > 0,
        names=set(entry.names) | entry.words if entry is not None else (),
    )


def _found(
    queryset: QuerySet[Any], query: str | EngineQuery, by_name: bool | None
) -> tuple[SearchIndex, dict[str, ExpertiseIndex], str | EngineQuery, list[Candidate]]:
    process = search_index()
    indexes = process.current()
    by_name = isinstance(query, str) if by_name is None else by_name
    names = process.names if by_name else None
    text: str | EngineQuery = query
    if names is not None and isinstance(query, str):
        text = expand_query(query, names)
    return (
        process,
        indexes,
        text,
        candidates(queryset, query, indexes=indexes, names=names, text=text),
    )


def rank(
    queryset: QuerySet[ModelT],
    query: str | EngineQuery,
    limit: int = DEFAULT_LIMIT,
    *,
    by_name: bool | None = None,
) -> list[tuple[ModelT, RankedMatch]]:
    """The records of ``queryset`` related to ``query``, best first, at most ``limit``,
    each with its explanation.

    A query somebody typed (a string) also finds records by name and is read in both
    scripts; a need's whole text (an engine ``Query``) is matched by what it says only,
    unless ``by_name`` says otherwise.
    """
    process, indexes, text, found = _found(queryset, query, by_name)
    found = found[:limit]
    records = queryset.model._default_manager.in_bulk([candidate.pk for candidate in found])
    return [
        (
            records[candidate.pk],
            RankedMatch(
                candidate.key,
                candidate.score,
                Reasons(explain_candidate(process, indexes, candidate, text)),
            ),
        )
        for candidate in found
        if candidate.pk in records
    ]


def ordered_by_rank(
    queryset: QuerySet[ModelT], query: str, limit: int = DEFAULT_LIMIT
) -> QuerySet[ModelT]:
    """``queryset`` narrowed to the records related to ``query``, as a queryset in rank order.

    For callers that must keep returning a queryset (the directory's selectors, through
    :func:`sangsaeng.core.indexing.ranked`).
    """
    ids = [candidate.pk for candidate in _found(queryset, query, None)[3][:limit]]
    if not ids:
        return queryset.none()
    order = Case(
        *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)],
        output_field=IntegerField(),
    )
    return queryset.model._default_manager.filter(pk__in=ids).order_by(order)
