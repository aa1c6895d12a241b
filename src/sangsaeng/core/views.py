"""Pages that belong to no single domain: the home page, and the health check."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sangsaeng.core.selectors import cluster_overview


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"overview": cluster_overview(request.user)})


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: the process answers (no database, no session)."""
    return HttpResponse("ok", content_type="text/plain")
