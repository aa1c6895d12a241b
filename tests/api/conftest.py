"""API test helpers: a token per role and a client that sends it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sangsaeng.accounts.models import User
from sangsaeng.accounts.services import api_token_create


class ApiClient:
    """Django's test client speaking JSON, as one user (by API token) or anonymously."""

    def __init__(self, user: User | None = None, language: str = "en") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {"Accept-Language": language}
        if user is not None:
            _record, token = api_token_create(actor=user, name="tests")
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, data: Any = None) -> Any:
        return self.client.get(path, data, headers=self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            path, body or {}, content_type="application/json", headers=self.headers
        )

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(path, body, content_type="application/json", headers=self.headers)

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(path, body, content_type="application/json", headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers)


@pytest.fixture
def api_as():
    """``api_as(user)``: a client with a fresh token of ``user``; ``api_as(None)``: anonymous."""
    return ApiClient
