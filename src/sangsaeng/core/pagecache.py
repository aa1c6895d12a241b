"""Pages anonymous visitors get, kept for a minute: the crowd that only browses costs a
cache read instead of a rendering.

Only what every anonymous visitor gets alike is kept and served:

- a ``GET`` or ``HEAD`` of a public part of the site (home, directory, search, needs,
  programmes, events, resources, talent, policies, under their language prefix), never
  accounts, admin, API or notifications;
- from a visitor with no session and no pending messages (nothing personal can be on the
  page: a logged-in user, or anyone the session remembers something for, is never served
  nor stored);
- an HTML answer 200 that sets no cookie but the CSRF one and is not marked private.

The key is the language the page is rendered in and the full path with its query; every
saved or deleted record of the platform starts a new generation of keys, so a change is
visible on the next request, and the minute is only a bound. The CSRF tokens of the page's
forms (the language switch) are taken out before it is kept and the visitor's own put
back when it is served. ``ANONYMOUS_PAGE_CACHE_SECONDS`` (0 turns it off; off outside
production) sets the minute; pages live in each process's memory (the ``pages`` cache),
the generation in the shared cache.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

logger = logging.getLogger(__name__)

PUBLIC_PREFIXES = (
    "/directory/",
    "/search/",
    "/needs/",
    "/programs/",
    "/events/",
    "/resources/",
    "/talent/",
    "/privacy/",
    "/terms/",
)
_GENERATION_KEY = "anonymous-pages:generation"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = b"\x00csrf\x00"
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")


def _seconds() -> int:
    return int(getattr(settings, "ANONYMOUS_PAGE_CACHE_SECONDS", 0))


def _generation() -> int:
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, 1, timeout=None)
        generation = cache.get(_GENERATION_KEY, 1)
    return int(generation)


def new_generation() -> None:
    """Forget every kept page (in every process): a record changed."""
    try:
        try:
            cache.incr(_GENERATION_KEY)
        except ValueError:  # not there yet (or evicted): any new value is a new generation
            cache.set(_GENERATION_KEY, 2, timeout=None)
    except DatabaseError:
        # No cache table yet (a command run before `sangsaeng serve` created it): no page
        # was kept either.
        logger.debug("no shared cache to start a new generation of pages in", exc_info=True)


def _record_changed(sender: type, **kwargs: Any) -> None:
    if _seconds() and sender.__module__.startswith("sangsaeng."):
        transaction.on_commit(new_generation)


def follow_changes() -> None:
    """Every saved or deleted record of the platform's apps, in any process (web, task
    worker, commands), starts a new generation (called by the core app when ready)."""
    post_save.connect(_record_changed, dispatch_uid="anonymous-pages-save")
    post_delete.connect(_record_changed, dispatch_uid="anonymous-pages-delete")


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or not _seconds():
        return False
    # Pages live under a language prefix: /ko/directory/…, /en/ for the home page.
    _empty, language, rest = [*request.path.split("/", 2), "", ""][:3]
    if language not in dict(settings.LANGUAGES):
        return False
    rest = f"/{rest}"
    if rest != "/" and not rest.startswith(PUBLIC_PREFIXES):
        return False
    if request.user.is_authenticated:
        return False
    # Nothing personal: no session (a login under way, a remembered choice), no messages.
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _cacheable_response(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    return all(name == settings.CSRF_COOKIE_NAME for name in response.cookies)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        path = request.get_full_path().encode("utf-8", "surrogateescape")
        digest = hashlib.sha256(path).hexdigest()
        key = f"page:{_generation()}:{translation.get_language()}:{digest}"
        pages = caches["pages"]
        kept = pages.get(key)
        if kept is not None:
            body, headers = kept
            token = get_token(request).encode("ascii")  # the visitor's own, cookie and all
            response = HttpResponse(body.replace(_PLACEHOLDER, token))
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(response):
            body = _TOKEN.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
            headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
            pages.set(key, (body, headers), timeout=_seconds())
        return response
