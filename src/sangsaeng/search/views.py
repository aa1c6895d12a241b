"""The search page: one box over experts, organisations, needs and offers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sangsaeng.search.forms import SearchForm
from sangsaeng.search.selectors import search_page


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        results = search_page(
            request.user,
            query=form.cleaned_data["q"],
            kinds=form.cleaned_data["kind"],
            tags=form.cleaned_data["tags"],
            page=form.cleaned_data["page"],
        )
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "results": results,
            "page_obj": results,
            "searched": bool(form.is_bound and form.data.get("q")),
        },
    )
