"""The JSON API: one django-ninja ``NinjaAPI``; each app contributes a router."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Sangsaeng API",
    version="1",
    description="The Sangsaeng cluster platform's API. Same access rules as the pages.",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
