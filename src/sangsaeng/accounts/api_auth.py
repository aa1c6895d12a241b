"""Who is calling the JSON API: an API token, else the browser's session, else nobody.

Every router authenticates with :data:`optional_auth` (the default of the whole API) or
:data:`required_auth` (writes, and reads that only make sense signed in).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from sangsaeng.accounts import selectors, services
from sangsaeng.accounts.models import AnyUser, User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def api_token_user(token: str) -> User | None:
    """The user a presented token belongs to (noting the time of use), or None if it is
    unknown, revoked or its user deactivated."""
    record = selectors.api_token_lookup(token)
    if record is None:
        return None
    services.api_token_record_use(actor=record.user, token=record)
    return record.user


class ApiAuth(HttpBearer):
    """A bearer token, else the session (CSRF-checked for writes), else an anonymous caller.

    A token that is sent but unknown or revoked is refused (401) rather than treated as
    anonymous, so that a broken integration fails loudly. With ``required=True`` an
    anonymous caller is refused too.
    """

    # Tells the interactive docs page to send the CSRF token along with its requests.
    csrf = True

    def __init__(self, *, required: bool) -> None:
        self.required = required
        super().__init__()

    def __call__(self, request: HttpRequest) -> AnyUser | None:
        header = request.headers.get("Authorization", "").strip()
        if header:
            scheme, _separator, token = header.partition(" ")
            user = self.authenticate(request, token.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                raise AuthenticationError(
                    message=_("The API token is not valid: it is unknown or was revoked.")
                )
            # Code that reads request.user (the audit log, templates) sees the token's owner.
            request.user = user
            return user
        session_user = getattr(request, "user", None)
        if session_user is not None and session_user.is_authenticated:
            if (
                request.method not in SAFE_METHODS
                and not getattr(request, "_ninja_csrf_exempt", False)
                and check_csrf(request) is not None
            ):
                raise HttpError(
                    403,
                    _(
                        "CSRF check failed: a browser session must send the X-CSRFToken header. "
                        "Scripts should use an API token instead."
                    ),
                )
            return session_user
        if self.required:
            return None
        return AnonymousUser()

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return api_token_user(token)


optional_auth = ApiAuth(required=False)
required_auth = ApiAuth(required=True)
