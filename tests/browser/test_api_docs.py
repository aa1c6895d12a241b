"""The interactive API docs work in a real browser under the site's Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect


@pytest.mark.django_db(transaction=True)
def test_api_docs_render_without_breaking_the_content_security_policy(
    live_server, page: Page
) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(f"{live_server.url}/api/docs")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI builds the page from /api/openapi.json with its bundled (self-hosted) scripts.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Sangsaeng API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"/api/organisations$")).first).to_be_visible()
    assert violations == []
