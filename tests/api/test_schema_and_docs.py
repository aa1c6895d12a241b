"""The OpenAPI schema and the interactive docs page."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_schema_lists_the_endpoints_and_bearer_auth():
    schema = Client().get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Sangsaeng API"
    paths = schema["paths"]
    for path, method in [
        ("/api/organisations", "get"),
        ("/api/organisations", "post"),
        ("/api/organisations/{slug}", "patch"),
        ("/api/organisations/{slug}/approve", "post"),
        ("/api/people", "get"),
        ("/api/people/{slug}", "patch"),
        ("/api/agreements", "post"),
        ("/api/agreements/{slug}", "get"),
        ("/api/commitments/{commitment_id}/progress", "post"),
        ("/api/taxonomy", "get"),
        ("/api/tokens", "post"),
        ("/api/me", "get"),
    ]:
        assert method in paths[path], f"{method.upper()} {path} missing from the schema"
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= next(iter(schemes.values())).items()


def test_docs_page_loads_its_scripts_from_our_own_static_files():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    # Every executable script is a same-origin file; the settings block is data, not code.
    for tag in scripts:
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert "cdn" not in html.lower()
    # collectstatic gathers them (ninja is an installed app), so production serves them too.
    assert finders.find("ninja/swagger-ui-bundle.js") is not None
    assert finders.find("ninja/swagger-ui-init.js") is not None
