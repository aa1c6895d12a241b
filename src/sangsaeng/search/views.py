"""The search page: one box over experts, organisations, needs and offers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sangsaeng.search.forms import SearchForm
from sangsaeng.search.selectors import search_everything


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    hits = []
    if form.is_valid() and form.cleaned_data["q"].strip():
        hits = search_everything(
            request.user,
            query=form.cleaned_data["q"],
            kinds=form.cleaned_data["kind"],
            tags=form.cleaned_data["tags"],
        )
    return render(
        request,
        "search/search.html",
        {"form": form, "hits": hits, "searched": bool(form.is_bound and form.data.get("q"))},
    )
