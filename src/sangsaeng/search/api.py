"""The search box in the JSON API: ``GET /api/search`` (also at ``/api/needs/search``).

``/api/search`` answers a page of results with the total count, like every list of the
API (``count``, ``page``, ``page_size``, ``results``); ``/api/needs/search``, the box's
first address, keeps answering the plain list of the best ``limit`` results it always
did, for clients written against it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sangsaeng.core.api import MAX_PAGE_SIZE, READ_ERRORS, Page, caller
from sangsaeng.search.selectors import SearchHit, search_page

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field(description="words in Korean or English")
    kind: list[str] = Field([], description="expert, organisation, need, offer")
    tag: list[str] = []
    page: int = Field(1, ge=1, description="1 for the first page")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class FirstResultsQuery(Schema):
    q: str = Field(description="words in Korean or English")
    kind: list[str] = Field([], description="expert, organisation, need, offer")
    tag: list[str] = []
    limit: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class SearchHitOut(Schema):
    kind: str
    id: int
    slug: str | None
    title: str
    score: float
    explanation: dict[str, Any]


def _hit(hit: SearchHit) -> dict[str, Any]:
    return {
        "kind": hit.kind,
        "id": hit.record.pk,
        "slug": getattr(hit.record, "slug", None),
        "title": hit.title,
        "score": hit.score,
        "explanation": hit.explanation,
    }


@router.get("/search", response={200: Page[SearchHitOut], **READ_ERRORS})
def search(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, Any]:
    """One search over experts, organisations, needs and offers (Korean or English), a
    page at a time with the total count. Explanations follow the request's language."""
    results = search_page(
        caller(request),
        query=params.q,
        kinds=params.kind,
        tags=params.tag,
        page=params.page,
        page_size=params.page_size,
    )
    return {
        "count": results.count,
        "page": results.page,
        "page_size": results.page_size,
        "results": [_hit(hit) for hit in results.hits],
    }


@router.get(
    "/needs/search",
    response={200: list[SearchHitOut], **READ_ERRORS},
    operation_id="search_from_needs",
    include_in_schema=False,
)
def search_from_needs(
    request: HttpRequest, params: Query[FirstResultsQuery]
) -> list[dict[str, Any]]:
    """The best ``limit`` results as a plain list, at the search's first address."""
    results = search_page(
        caller(request), query=params.q, kinds=params.kind, tags=params.tag, page_size=params.limit
    )
    return [_hit(hit) for hit in results.hits]
