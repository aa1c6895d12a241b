"""WSGI entry point (served by gunicorn in `sangsaeng serve`, or by any WSGI server).

Behind a TLS-terminating reverse proxy the client's scheme, address and host arrive in
``X-Forwarded-Proto``/``-For``/``-Host``. They are believed only from the proxies named in
``settings.TRUSTED_PROXIES`` (loopback by default) and removed from every other request, so
that nobody reaching the server directly can claim to be on HTTPS or at another address.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
FORWARDED_HEADERS = {"x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"}


class TrustedProxyHeaders:
    """Apply the forwarded headers of trusted proxies (waitress's parser); drop all others'."""

    def __init__(self, app: WsgiApp, proxies: Iterable[str]) -> None:
        from waitress.proxy_headers import proxy_headers_middleware

        self.app = app
        self.networks = [ipaddress.ip_network(proxy, strict=False) for proxy in proxies]
        # The peer has been checked against ``networks`` before this runs, hence "*".
        self.trusted = proxy_headers_middleware(
            app,
            trusted_proxy="*",
            trusted_proxy_count=1,
            trusted_proxy_headers=FORWARDED_HEADERS,
            clear_untrusted=True,
        )

    def _is_trusted(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return peer == ""  # a Unix socket has no address: only the proxy can reach it
        return any(address in network for network in self.networks)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if self._is_trusted(environ.get("REMOTE_ADDR", "")):
            return self.trusted(environ, start_response)
        for header in ("FORWARDED", *(h.upper().replace("-", "_") for h in FORWARDED_HEADERS)):
            environ.pop(f"HTTP_{header}", None)
        return self.app(environ, start_response)


def _application() -> WsgiApp:
    django_application = get_wsgi_application()
    from django.conf import settings

    return TrustedProxyHeaders(django_application, settings.TRUSTED_PROXIES)


application = _application()
