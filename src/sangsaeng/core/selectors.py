"""What every app's selectors share: one answer for "no such record"."""

from __future__ import annotations

from django.http import Http404


class NotFound(Http404):
    """Raised by every fetcher (``need_get``, ``person_get``, ...) when the record does not
    exist or the user may not see it: the two are one answer, so nothing leaks through the
    difference. Pages answer it with the 404 page, the API with a 404 body."""
