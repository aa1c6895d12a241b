"""Remember the language a signed-in user reads the site in: their mails follow it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from sangsaeng.accounts import services


class PreferredLanguageMiddleware:
    """After the locale middleware: a page under /ko/ or /en/ sets the user's language.

    The API (whose language follows ``Accept-Language``) and pages without a language
    prefix change nothing; the account is written only when the language changes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(request, "LANGUAGE_CODE", "")
        if (
            user is not None
            and user.is_authenticated
            and language
            and request.path.startswith(f"/{language}/")
            and getattr(user, "language", language) != language
        ):
            services.language_remember(actor=user, language=language)
        return self.get_response(request)
