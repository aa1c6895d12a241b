"""Forwarded headers are believed from the configured proxies only (sangsaeng.wsgi)."""

from __future__ import annotations

from typing import Any

from sangsaeng.wsgi import TrustedProxyHeaders


def _seen_by_the_application(peer: str, proxies: list[str], **headers: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def application(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(environ)
        start_response("200 OK", [])
        return [b""]

    environ = {
        "REMOTE_ADDR": peer,
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    TrustedProxyHeaders(application, proxies)(environ, lambda *args: None)
    return seen


FORWARDED = {
    "x_forwarded_proto": "https",
    "x_forwarded_for": "203.0.113.9, 198.51.100.7",
    "x_forwarded_host": "sangsaeng.example.org",
}


def test_the_loopback_proxy_is_believed():
    seen = _seen_by_the_application("127.0.0.1", ["127.0.0.1", "::1"], **FORWARDED)
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["REMOTE_ADDR"] == "198.51.100.7"  # the address the proxy saw, not a claim
    assert seen["HTTP_HOST"] == "sangsaeng.example.org"


def test_a_proxy_in_a_configured_network_is_believed():
    seen = _seen_by_the_application("10.0.3.4", ["10.0.0.0/16"], **FORWARDED)
    assert seen["wsgi.url_scheme"] == "https" and seen["REMOTE_ADDR"] == "198.51.100.7"


def test_anyone_else_cannot_claim_https_another_address_or_host():
    seen = _seen_by_the_application("203.0.113.50", ["127.0.0.1", "::1"], **FORWARDED)
    assert seen["wsgi.url_scheme"] == "http"
    assert seen["REMOTE_ADDR"] == "203.0.113.50"
    assert seen["HTTP_HOST"] == "127.0.0.1:8000"
    assert not any(key.startswith("HTTP_X_FORWARDED") for key in seen)
