"""Pages every site has that belong to no app: the icon browsers ask for at /favicon.ico."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico before reading a page: send them to the static icon."""
    return HttpResponsePermanentRedirect(static("sangsaeng/favicon.ico"))
