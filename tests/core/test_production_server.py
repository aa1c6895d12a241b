"""`sangsaeng serve` in production, from a fresh install, behind a TLS-terminating proxy.

The server runs as a deployment runs it (SANGSAENG_ENV=production, a new database and no
collected static files); each request is sent as the documented nginx configuration
forwards it: the public host in ``Host``, ``X-Forwarded-Proto: https`` and the client's
address in ``X-Forwarded-For``, from loopback, the default trusted proxy.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

pytestmark = pytest.mark.slow

HOST = "sangsaeng.example.org"
PASSWORD = "correct-horse-battery-staple"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    def __init__(self, root: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
        }
        self.env.update(
            SANGSAENG_ENV="production",
            SECRET_KEY="a-long-random-production-secret-for-this-test-only",
            ALLOWED_HOSTS=HOST,
            SECURE_SSL_REDIRECT="true",
            SANGSAENG_VAR=str(root / "var"),
            DATABASE_URL=os.environ.get("DATABASE_URL", f"sqlite:///{root / 'db.sqlite3'}"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        self.log = (root / "server.log").open("w")
        command = [sys.executable, "-m", "sangsaeng.cli", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--workers", "2", "--threads", "2"],
            env=self.env,
            cwd=root,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.root = root

    def wait_until_ready(self, seconds: float = 400) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if ProxiedClient(self).get("/ko/").status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(1)
        self.stop()
        pytest.fail("the server did not start:\n" + (self.root / "server.log").read_text()[-5000:])

    def run(self, code: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()\n" + textwrap.dedent(code)],
            env={**self.env, "DJANGO_SETTINGS_MODULE": "sangsaeng.settings"},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class ProxiedClient:
    """A browser behind the proxy: cookies kept by hand, since they are Secure and the hop
    from the proxy to the server is plain HTTP."""

    def __init__(self, server: Server, client_address: str = "198.51.100.7") -> None:
        self.server = server
        self.headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": client_address,
        }
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(
            method,
            self.server.base + path,
            headers=headers,
            allow_redirects=False,
            timeout=120,
            **kwargs,
        )
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value or ""
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, data: dict[str, str]) -> requests.Response:
        """GET the form, then POST it with its CSRF token, as the browser would."""
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, page.text[:500]
        return self.request(
            "POST",
            path,
            data={**data, "csrfmiddlewaretoken": token.group(1)},
            headers={"Origin": f"https://{HOST}", "Referer": f"https://{HOST}{path}"},
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("serves a fresh SQLite database; PostgreSQL runs the same code paths")
    running = Server(tmp_path_factory.mktemp("production"))
    try:
        running.wait_until_ready()
        running.run(
            f"""
            from allauth.account.models import EmailAddress
            from sangsaeng.accounts.models import User
            user = User.objects.create_user(
                username="operator", email="operator@example.org", password="{PASSWORD}",
                is_staff=True, is_operator=True,
            )
            EmailAddress.objects.create(
                user=user, email=user.email, verified=True, primary=True
            )
            """
        )
        yield running
    finally:
        running.stop()


def test_pages_and_their_static_files_are_served_from_a_fresh_install(server):
    client = ProxiedClient(server)
    page = client.get("/ko/")
    assert page.status_code == 200
    stylesheet = re.search(r'href="(/static/sangsaeng/site\.[0-9a-f]+\.css)"', page.text)
    assert stylesheet, "the page names the collected, hashed stylesheet"
    css = client.get(stylesheet.group(1))
    assert css.status_code == 200 and "text/css" in css.headers["Content-Type"]
    assert "immutable" in css.headers.get("Cache-Control", "")


def test_https_from_the_proxy_gets_hsts_and_secure_cookies_and_no_redirect(server):
    client = ProxiedClient(server)
    page = client.get("/ko/accounts/login/")
    assert page.status_code == 200  # no redirect loop to https
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Secure" in page.headers["Set-Cookie"]


def test_plain_http_is_redirected_to_https(server):
    response = requests.get(
        f"{server.base}/ko/", headers={"Host": HOST}, allow_redirects=False, timeout=60
    )
    assert response.status_code == 301
    assert response.headers["Location"] == f"https://{HOST}/ko/"


def test_an_operator_logs_in_through_the_proxy(server):
    client = ProxiedClient(server)
    response = client.post_form(
        "/ko/accounts/login/", {"login": "operator@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302, response.text[:1000]  # no CSRF failure (403)
    assert response.headers["Location"] == "/"
    assert client.get("/ko/accounts/dashboard/").status_code == 200
    assert client.get("/ko/admin/").status_code == 200


def test_failed_logins_are_counted_across_all_server_processes(server):
    client = ProxiedClient(server, client_address="198.51.100.8")
    for _attempt in range(5):
        page = client.post_form(
            "/en/accounts/login/", {"login": "operator@example.org", "password": "guess"}
        )
        assert "not correct" in page.text
    page = client.post_form(
        "/en/accounts/login/", {"login": "operator@example.org", "password": PASSWORD}
    )
    assert "Too many failed login attempts" in page.text


def test_signup_answers_the_same_for_a_registered_and_a_new_address(server):
    answers = []
    for email in ("operator@example.org", "someone-new@example.org"):
        client = ProxiedClient(server, client_address="198.51.100.9")
        response = client.post_form(
            "/en/accounts/signup/",
            {
                "email": email,
                "display_name": "Someone",
                "password1": "a-fresh-pass-2026",
                "password2": "a-fresh-pass-2026",
                "agree_privacy": "on",
                "agree_terms": "on",
            },
        )
        answers.append((response.status_code, response.headers.get("Location")))
    assert answers[0] == answers[1] == (302, "/en/accounts/confirm-email/")
