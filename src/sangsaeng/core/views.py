"""Pages that belong to no single domain: the home page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sangsaeng.core.selectors import cluster_overview


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"overview": cluster_overview(request.user)})
