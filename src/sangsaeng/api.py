"""The JSON API: one django-ninja ``NinjaAPI``; each app contributes a router.

Authentication, the error format and pagination are shared (``sangsaeng.core.api``);
``/api/openapi.json`` is the schema and ``/api/docs`` the interactive page, which serves
its scripts from our own static files so that the site's Content-Security-Policy holds.
"""

from typing import Any

from ninja import NinjaAPI
from ninja.constants import NOT_SET

from sangsaeng.accounts.api import router as accounts_router
from sangsaeng.accounts.api_auth import optional_auth
from sangsaeng.core.api import ObjectBodyParser, install_error_handlers
from sangsaeng.directory.api import router as directory_router
from sangsaeng.events.api import router as events_router
from sangsaeng.insights.api import router as insights_router
from sangsaeng.matching.api import router as matching_router
from sangsaeng.notifications.api import router as notifications_router
from sangsaeng.programs.api import router as programs_router
from sangsaeng.resources.api import router as resources_router
from sangsaeng.search.api import router as search_router
from sangsaeng.talent.api import router as talent_router


def _auths(value: Any) -> list[Any]:
    if value is NOT_SET or value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


class SangsaengAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """The schema, with anonymous access stated where the token is optional.

        OpenAPI reads a ``security`` list as alternatives: ``{}`` is "no credentials".
        """
        schema = super().get_openapi_schema(**kwargs)
        optional = {
            self.get_openapi_operation_id(operation)
            for _prefix, router in self._routers
            for path_view in router.path_operations.values()
            for operation in path_view.operations
            if not any(
                getattr(auth, "required", True)
                # An operation without its own auth has its router's, else the API's.
                for auth in operation.auth_callbacks or _auths(router.auth) or _auths(self.auth)
            )
        }
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                if operation.get("operationId") in optional:
                    operation["security"] = [{}, *operation.get("security", [])]
        return schema


api = SangsaengAPI(
    title="Sangsaeng API",
    version="1",
    description=(
        "The Sangsaeng cluster platform's API, with the same access rules as the pages. "
        "Send `Authorization: Bearer <token>`: make a token on your account page, "
        "[API tokens](/ko/accounts/me/tokens/) (signed in: your name → My account → API tokens), "
        "or with `sangsaeng manage create_api_token`; without one you see what the public sees. "
        'Errors are JSON: `{"detail": ..., "errors": {"field": [messages]}}`, '
        "in the language of `Accept-Language` (ko or en)."
    ),
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=optional_auth,
    parser=ObjectBodyParser(),
)
install_error_handlers(api)
api.add_router("/", directory_router)
api.add_router("/", accounts_router)
# Before the needs router, whose /needs/{need_id} would otherwise take /needs/search.
api.add_router("/", search_router)
api.add_router("/needs/", matching_router)
api.add_router("/notifications/", notifications_router)
api.add_router("/programs/", programs_router)
api.add_router("/resources/", resources_router)
api.add_router("/talent/", talent_router)
api.add_router("/events/", events_router)
api.add_router("/insights/", insights_router)
