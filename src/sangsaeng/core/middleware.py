"""Refusals made before any view reads a request: too large a body, NUL characters.

- A body larger than ``settings.MAX_REQUEST_BODY_BYTES`` (its declared length) is refused
  with 413 before a byte of it is read, so nobody makes the server take in a gigabyte to
  be told that attachments stop at 10 MB.
- A body whose text (not its files) is larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused
  with 413, in JSON for the API, rather than Django's bare 400.
- A NUL character in a query string, a form or a JSON body is refused with 400 wherever
  input comes in: no text the platform keeps may hold one (PostgreSQL refuses it, and it
  truncates strings in C libraries), and no form or schema would say so for every field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            megabytes = settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)
            return self._refuse(
                request,
                413,
                _("The request is larger than %(size)d MB; attachments may be up to 10 MB.")
                % {"size": megabytes},
            )
        try:
            has_nul = self._has_nul(request)
        except RequestDataTooBig:
            # More text than any form takes (sangsaeng.core.limits), under the body's limit.
            text_megabytes = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):g}"
            return self._refuse(
                request,
                413,
                _("The request holds more than %(size)s MB of text.") % {"size": text_megabytes},
            )
        if has_nul:
            return self._refuse(
                request, 400, _("The request contains a NUL character, which no text may hold.")
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if any(_holds_nul(key) or _holds_nul(values) for key, values in request.GET.lists()):
            return True
        if request.method not in ("POST", "PUT", "PATCH"):
            return False
        if request.content_type == "application/json":
            try:
                return _holds_nul(json.loads(request.body))
            except ValueError:
                return False  # not JSON: the API says so in its own words
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            fields = request.POST.lists()
            return any(_holds_nul(key) or _holds_nul(values) for key, values in fields)
        return False

    @staticmethod
    def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            body = {"detail": message, "errors": {"__all__": [message]}}
            return JsonResponse(body, status=status)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
