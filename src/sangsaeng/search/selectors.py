"""The search box: one query over every searchable kind a user may see, best first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import QuerySet

from sangsaeng.core.indexing import profile_key
from sangsaeng.core.policy import AnyUser
from sangsaeng.engine.index import ExpertiseIndex
from sangsaeng.engine.index import Match as EngineMatch
from sangsaeng.search import registry
from sangsaeng.search.index import search_index
from sangsaeng.search.ranking import rank


@dataclass
class SearchHit:
    """One result of the search box: a record, its kind, and why the engine chose it."""

    kind: str
    kind_label: Any
    record: Any
    title: str
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)


def search_kinds() -> list[tuple[str, Any]]:
    """The kinds of result the search box offers, as (name, label) in order."""
    return [(kind.name, kind.label) for kind, _ in registry.search_kinds()]


def search_everything(
    user: AnyUser,
    *,
    query: str,
    kinds: Sequence[str] = (),
    tags: Iterable[str] = (),
    limit: int = 20,
) -> list[SearchHit]:
    """Everything searchable ``user`` may see that is relevant to ``query``, best first."""
    query = query.strip()
    if not query:
        return []
    offered = registry.search_kinds()
    wanted = set(kinds) & {kind.name for kind, _ in offered} or {kind.name for kind, _ in offered}
    tag_codes = [code for code in tags if code]
    hits: list[SearchHit] = []
    for searchable in registry.searchables():
        chosen = [kind for kind in searchable.kinds if kind.name in wanted]
        if not chosen:
            continue
        # The kinds of one model are ranked together, as one set of candidates.
        candidates: QuerySet[Any] = reduce(or_, (kind.visible_to(user) for kind in chosen))
        if tag_codes and searchable.tags_field:
            candidates = candidates.filter(**{f"{searchable.tags_field}__code__in": tag_codes})
        labels = {kind.name: kind.hit_label for kind in chosen}
        for record, match in rank(candidates, query, limit, sentences=False):
            kind = searchable.kind_of(record) if searchable.kind_of else chosen[0].name
            title = (
                searchable.title_for(user, record)
                if searchable.title_for
                else str(getattr(record, "name", record))
            )
            hits.append(_hit(kind, labels.get(kind, kind), record, title, match))
    # Scores are standardised per index and query, so they compare across kinds well enough.
    hits.sort(key=lambda hit: -hit.score)
    shown = hits[:limit]
    _explain(query, shown)
    return shown


def _explain(query: str, shown: list[SearchHit]) -> None:
    """Give the hits shown the full explanation, with a best sentence across languages:
    one batch per index, since each call to the embedder has a fixed cost."""
    batches: dict[int, tuple[ExpertiseIndex, list[str], list[SearchHit]]] = {}
    for hit in shown:
        if hit.explanation.get("best_sentence") is None:
            subject = registry.for_model(type(hit.record)).subject
            index = search_index().index_for(subject)
            _, profile_ids, batch = batches.setdefault(id(index), (index, [], []))
            profile_ids.append(profile_key(subject, hit.record.pk))
            batch.append(hit)
    for index, profile_ids, batch in batches.values():
        for hit, match in zip(batch, index.score_pairs(query, profile_ids), strict=True):
            hit.explanation = match.explanation.to_dict() if match.explanation else {}


def _hit(kind: str, label: Any, record: Any, title: str, match: EngineMatch) -> SearchHit:
    explanation = match.explanation.to_dict() if match.explanation is not None else {}
    return SearchHit(
        kind=kind,
        kind_label=label,
        record=record,
        title=title,
        score=match.score,
        explanation=explanation,
    )
