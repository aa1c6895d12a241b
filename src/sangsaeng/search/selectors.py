"""The search box: one query over every searchable kind a user may see, best first, a page
at a time, with the total count."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from sangsaeng.core.indexing import Searchable
from sangsaeng.core.policy import AnyUser
from sangsaeng.search import registry
from sangsaeng.search.index import search_index
from sangsaeng.search.ranking import Candidate, candidates, expand_query, explain_candidate

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass
class SearchHit:
    """One result of the search box: a record, its kind, and why it was found."""

    kind: str
    kind_label: Any
    record: Any
    title: str
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)
    # The record it belongs to (an expert's organisation), when it has one.
    affiliation: Any = None


@dataclass
class SearchPage:
    """One page of results and how many there are in all."""

    hits: list[SearchHit]
    count: int
    page: int
    page_size: int

    # Read by the pager (core/_pagination.html) as a Django Page and its Paginator.
    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def paginator(self) -> SearchPage:
        return self

    @property
    def number(self) -> int:
        return self.page

    def has_previous(self) -> bool:
        return self.page > 1

    def has_next(self) -> bool:
        return self.page < self.num_pages

    def previous_page_number(self) -> int:
        return self.page - 1

    def next_page_number(self) -> int:
        return self.page + 1

    @property
    def first_index(self) -> int:
        """The number of the page's first result, counting from 1 (0 when there is none)."""
        return (self.page - 1) * self.page_size + 1 if self.hits else 0

    @property
    def last_index(self) -> int:
        """The number of the page's last result."""
        return (self.page - 1) * self.page_size + len(self.hits)


def search_kinds() -> list[tuple[str, Any]]:
    """The kinds of result the search box offers, as (name, label) in order."""
    return [(kind.name, kind.label) for kind, _ in registry.search_kinds()]


def search_page(
    user: AnyUser,
    *,
    query: str,
    kinds: Sequence[str] = (),
    tags: Iterable[str] = (),
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchPage:
    """Page ``page`` of everything searchable ``user`` may see that is related to ``query``.

    Every related record is scored and counted; only the page's records are fetched and
    explained, in the active language. A page past the end is the last page.
    """
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)
    query = query.strip()
    if not query:
        return SearchPage([], 0, page, page_size)
    process = search_index()
    indexes = process.current()
    text = expand_query(query, process.names)
    offered = registry.search_kinds()
    wanted = set(kinds) & {kind.name for kind, _ in offered} or {kind.name for kind, _ in offered}
    tag_codes = [code for code in tags if code]
    found: list[tuple[Candidate, Searchable]] = []
    for searchable in registry.searchables():
        chosen = [kind for kind in searchable.kinds if kind.name in wanted]
        if not chosen:
            continue
        # The kinds of one model are ranked together, as one set of candidates.
        records: QuerySet[Any] = reduce(or_, (kind.visible_to(user) for kind in chosen))
        if tag_codes and searchable.tags_field:
            records = records.filter(**{f"{searchable.tags_field}__code__in": tag_codes})
        related = candidates(records, query, indexes=indexes, names=process.names, text=text)
        found += [(candidate, searchable) for candidate in related]
    # Scores are comparable across indexes and kinds (BM25 shares, cosines, name weights).
    found.sort(key=lambda item: -item[0].score)
    page = min(page, max(1, -(-len(found) // page_size)))  # past the end: the last page
    start = (page - 1) * page_size
    shown = found[start : start + page_size]
    fetched = _fetch(shown)
    language = translation.get_language()
    hits = []
    for candidate, searchable in shown:
        record = fetched.get(candidate.key)
        if record is None:  # deleted since the index last looked
            continue
        kind = searchable.kind_of(record) if searchable.kind_of else searchable.kinds[0].name
        labels = {kind.name: kind.hit_label for kind in searchable.kinds}
        title = (
            searchable.title_for(user, record)
            if searchable.title_for
            else str(getattr(record, "name", record))
        )
        hits.append(
            SearchHit(
                kind=kind,
                kind_label=labels.get(kind, kind),
                record=record,
                title=title,
                score=candidate.score,
                explanation=explain_candidate(process, indexes, candidate, text, language=language),
                affiliation=getattr(record, searchable.affiliation, None)
                if searchable.affiliation
                else None,
            )
        )
    return SearchPage(hits, len(found), page, page_size)


def search_everything(
    user: AnyUser,
    *,
    query: str,
    kinds: Sequence[str] = (),
    tags: Iterable[str] = (),
    limit: int = PAGE_SIZE,
) -> list[SearchHit]:
    """The best ``limit`` results of :func:`search_page` (its first page)."""
    return search_page(user, query=query, kinds=kinds, tags=tags, page_size=limit).hits


def _fetch(shown: list[tuple[Candidate, Searchable]]) -> dict[str, Any]:
    """The page's records, one query per model (with the record each belongs to)."""
    by_subject: dict[str, tuple[Searchable, list[int]]] = {}
    for candidate, searchable in shown:
        by_subject.setdefault(searchable.subject, (searchable, []))[1].append(candidate.pk)
    fetched: dict[str, Any] = {}
    for subject, (searchable, ids) in by_subject.items():
        records = searchable.model._default_manager.filter(pk__in=ids)
        if searchable.affiliation:
            records = records.select_related(searchable.affiliation)
        for record in records:
            fetched[f"{subject}:{record.pk}"] = record
    return fetched
