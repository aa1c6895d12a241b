"""The search box in the JSON API: ``GET /api/search`` (also at ``/api/needs/search``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sangsaeng.core.api import READ_ERRORS, caller
from sangsaeng.search.selectors import search_everything

router = Router(tags=["search"])


class SearchQuery(Schema):
    q: str = Field(description="words in Korean or English")
    kind: list[str] = Field([], description="expert, organisation, need, offer")
    tag: list[str] = []
    limit: int = Field(20, ge=1, le=100)


class SearchHitOut(Schema):
    kind: str
    id: int
    slug: str | None
    title: str
    score: float
    explanation: dict[str, Any]


def _search(request: HttpRequest, params: SearchQuery) -> list[dict[str, Any]]:
    hits = search_everything(
        caller(request), query=params.q, kinds=params.kind, tags=params.tag, limit=params.limit
    )
    return [
        {
            "kind": hit.kind,
            "id": hit.record.pk,
            "slug": getattr(hit.record, "slug", None),
            "title": hit.title,
            "score": hit.score,
            "explanation": hit.explanation,
        }
        for hit in hits
    ]


@router.get("/search", response={200: list[SearchHitOut], **READ_ERRORS})
def search(request: HttpRequest, params: Query[SearchQuery]) -> list[dict[str, Any]]:
    """One search over experts, organisations, needs and offers (Korean or English)."""
    return _search(request, params)


@router.get(
    "/needs/search",
    response={200: list[SearchHitOut], **READ_ERRORS},
    operation_id="search_from_needs",
    include_in_schema=False,
)
def search_from_needs(request: HttpRequest, params: Query[SearchQuery]) -> list[dict[str, Any]]:
    """The same search at its first address, kept for existing clients."""
    return _search(request, params)
