"""Views that belong to no domain: the health check."""

from django.http import HttpRequest, HttpResponse


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: the process answers (no database, no session)."""
    return HttpResponse("ok", content_type="text/plain")
