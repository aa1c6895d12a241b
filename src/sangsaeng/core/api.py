"""What every part of the JSON API shares: who the caller is, the error format, pagination.

Callers are identified by an API token (``Authorization: Bearer <token>``), else by the
browser's Django session (writes then need the CSRF token, as a form would), else they are
anonymous and see what the public directory shows (see ``sangsaeng.accounts.api_auth``).
Errors always come back as JSON::

    {"detail": "one sentence", "errors": {"field": ["message", ...]}}

``errors`` is present for bad input only: 422 when the request does not fit the schema
(a missing field, text where a number belongs), 400 when a service refuses the values
(an unknown capability code, a duplicate). Messages follow the request's language
(``Accept-Language: ko`` or ``en``).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet, TextChoices
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.parser import Parser
from pydantic import ConfigDict

from sangsaeng.core.limits import LONG_TEXT
from sangsaeng.core.policy import AnyUser

# --- who is calling ----------------------------------------------------------------


def caller(request: HttpRequest) -> AnyUser:
    """The user an endpoint acts for, as established by the API's authentication
    (``sangsaeng.accounts.api_auth``)."""
    user = getattr(request, "auth", None)
    return user if user is not None else AnonymousUser()


# --- errors ----------------------------------------------------------------------


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return body


def _field_of(location: Sequence[Any]) -> str:
    """``("body", "payload", "commitments", 0, "title_ko")`` → ``"commitments.0.title_ko"``."""
    source, *path = location or ("",)
    if source == "body" and path:
        path = path[1:]  # the endpoint's parameter name is not a field the client sent
    return ".".join(str(part) for part in path) or NON_FIELD_ERRORS


def schema_error_message(error: dict[str, Any]) -> str:
    """A translated message for one pydantic error (pydantic's own are English only)."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is not expected here.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind in {"string_type", "string_unicode"}:
        return _("Enter text.")
    if kind in {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}:
        return _("Enter a whole number.")
    if kind in {"float_type", "float_parsing", "decimal_type", "decimal_parsing", "finite_number"}:
        return _("Enter a number.")
    if kind in {"bool_type", "bool_parsing"}:
        return _("Enter true or false.")
    if kind.startswith(("date_", "datetime_")):
        return _("Enter a date as YYYY-MM-DD.")
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Enter a list.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Enter an object.")
    if kind == "string_too_long":
        # (ninja drops the input from the error, so its length cannot be told.)
        return _("Use at most %(limit)s characters.") % {"limit": f"{context.get('max_length'):,}"}
    if kind == "string_too_short":
        return _("Enter at least %(limit)s characters.") % {"limit": context.get("min_length")}
    if kind == "too_long":
        return _("Give at most %(limit)s items.") % {"limit": context.get("max_length")}
    if kind in {"enum", "literal_error"}:
        # pydantic lists the choices as "'a', 'b' or 'c'", with an English "or".
        choices = str(context.get("expected", "")).replace(" or ", ", ")
        return _("Choose one of: %(choices)s.") % {"choices": choices}
    if kind in {"greater_than_equal", "greater_than"}:
        limit = context.get("ge", context.get("gt"))
        return _("Enter a value of at least %(limit)s.") % {"limit": limit}
    if kind in {"less_than_equal", "less_than"}:
        limit = context.get("le", context.get("lt"))
        return _("Enter a value of at most %(limit)s.") % {"limit": limit}
    return _("This value is not valid (%(reason)s).") % {"reason": error.get("msg", kind)}


def _on_schema_error(request: HttpRequest, exc: SchemaValidationError, api: NinjaAPI) -> Any:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_of(error.get("loc", ())), []).append(schema_error_message(error))
    detail = _("The request has fields that are missing or not valid.")
    return api.create_response(request, error_body(detail, errors), status=422)


def _on_service_error(request: HttpRequest, exc: DjangoValidationError, api: NinjaAPI) -> Any:
    if hasattr(exc, "error_dict"):
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
    else:
        errors = {NON_FIELD_ERRORS: list(exc.messages)}
    detail = _("The request was not accepted: nothing was changed.")
    return api.create_response(request, error_body(detail, errors), status=400)


def _on_permission_denied(request: HttpRequest, exc: PermissionDenied, api: NinjaAPI) -> Any:
    return api.create_response(
        request, error_body(_("You are not allowed to do this.")), status=403
    )


def _on_not_found(request: HttpRequest, exc: Exception, api: NinjaAPI) -> Any:
    # The same answer whether the record does not exist or the caller may not see it.
    return api.create_response(request, error_body(_("Not found.")), status=404)


def _on_authentication_error(
    request: HttpRequest, exc: AuthenticationError, api: NinjaAPI
) -> HttpResponse:
    detail = (
        exc.message
        if exc.message != "Unauthorized"
        else _("Log in or send an API token: Authorization: Bearer <token>.")
    )
    response = api.create_response(request, error_body(detail), status=401)
    response["WWW-Authenticate"] = 'Bearer realm="sangsaeng"'
    return response


def _on_http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> Any:
    if exc.status_code == 400 and exc.message == "Cannot parse request body":
        message = _("The request body is not valid JSON.")
        return api.create_response(
            request, error_body(message, {NON_FIELD_ERRORS: [message]}), status=400
        )
    return api.create_response(request, error_body(str(exc)), status=exc.status_code)


class ObjectBodyParser(Parser):
    """Every request body is a JSON object: ``[1]`` or ``5`` is refused (422), not read as {}."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        body = super().parse_body(request)
        if not isinstance(body, dict):
            raise SchemaValidationError([{"type": "dict_type", "loc": ("body",), "msg": ""}])
        return body


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every refusal a JSON body of the one shape described in the module docstring."""
    handlers: list[tuple[type[Exception], Any]] = [
        (SchemaValidationError, _on_schema_error),
        (DjangoValidationError, _on_service_error),
        (PermissionDenied, _on_permission_denied),
        (Http404, _on_not_found),
        (ObjectDoesNotExist, _on_not_found),
        (AuthenticationError, _on_authentication_error),
        (HttpError, _on_http_error),
    ]
    for exception_class, handler in handlers:
        api.add_exception_handler(exception_class, _bound(handler, api))


def _bound(handler: Any, api: NinjaAPI) -> Any:
    def handle(request: HttpRequest, exc: Exception) -> HttpResponse:
        return handler(request, exc, api)

    return handle


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


# The error responses every endpoint documents in the schema. A read answers 400 too, for
# input that no schema can refuse (a NUL character, see core.middleware).
READ_ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}


def api_enum(name: str, choices: type[TextChoices]) -> type[enum.StrEnum]:
    """The values of a model's choices as an enumeration named ``name`` in the schema.

    Models name their choices ``Kind`` and ``Status``; the schema needs one name per
    enumeration, or one ``Status`` overwrites another and valid answers fail validation.
    """
    return enum.StrEnum(name, {member.name: member.value for member in choices})  # type: ignore[return-value]


def left_out() -> Any:
    """The default of a field of a partial update: left out, the value is kept.

    Its type stays as it is (``title: str = left_out()``), so an explicit null is refused
    with 422 like any other wrong type, and the schema does not offer null.
    """
    return Field(None)


# A record's id in a request body: what fits a database integer (a larger number would
# fail in the database as a server error, not as the client's mistake).
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class StrictInput(Schema):
    # A misspelt field is an error the client sees, not a value silently dropped. No text
    # is longer than the longest a form takes (fields may set a smaller max_length).
    model_config = ConfigDict(extra="forbid", str_max_length=LONG_TEXT)


# --- pagination --------------------------------------------------------------------

MAX_PAGE_SIZE = 100
# Far past any list's end, and small enough that its offset fits a database integer.
MAX_PAGE = 1_000_000
Item = TypeVar("Item")


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1 for the first page")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class Page(Schema, Generic[Item]):
    count: int
    page: int
    page_size: int
    results: list[Item]


def page_of(queryset: QuerySet[Any], query: PageQuery) -> dict[str, Any]:
    """One page of ``queryset``; a page past the end is empty, not an error."""
    start = (query.page - 1) * query.page_size
    return {
        "count": queryset.count(),
        "page": query.page,
        "page_size": query.page_size,
        "results": list(queryset[start : start + query.page_size]),
    }
