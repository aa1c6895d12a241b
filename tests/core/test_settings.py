"""Production settings are safe by default: no start without a secret key, secure cookies, CSP.

Settings are read once per process, so each case imports them in a fresh Python process
with the environment a deployment would have.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROBE = textwrap.dedent(
    """
    import json
    import django
    from django.conf import settings
    django.setup()
    from django.test import Client
    response = Client().get("/i18n/setlang/")
    print(json.dumps({
        "debug": settings.DEBUG,
        "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
        "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
        "hsts": settings.SECURE_HSTS_SECONDS,
        "email_backend": settings.EMAIL_BACKEND,
        "csp": response.headers.get("Content-Security-Policy", ""),
        "email_verification": settings.ACCOUNT_EMAIL_VERIFICATION,
    }))
    """
)


def run_settings(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "SANGSAENG_ENV", "SECURE_COOKIES", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sangsaeng.settings",
        SANGSAENG_VAR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **environment,
    )
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_settings(tmp_path, SANGSAENG_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when SANGSAENG_ENV=production" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict[str, object]:
    result = run_settings(
        tmp_path_factory.mktemp("production"),
        SANGSAENG_ENV="production",
        SECRET_KEY="a-long-random-production-secret-for-this-test-only",
        ALLOWED_HOSTS="testserver",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_turns_debug_off(production):
    assert production["debug"] is False


def test_production_cookies_are_secure_and_hsts_is_on(production):
    assert production["session_cookie_secure"] is True
    assert production["csrf_cookie_secure"] is True
    assert production["hsts"] > 0


def test_production_sends_real_mail_not_to_the_console(production):
    assert production["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_responses_carry_a_strict_content_security_policy(production):
    policy = production["csp"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_development_runs_without_a_secret_key(tmp_path):
    result = run_settings(tmp_path, SANGSAENG_ENV="development")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["debug"] is True
    assert values["session_cookie_secure"] is False
    assert values["email_backend"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy(client):
    for path in ["/ko/", "/en/directory/organisations/", "/ko/accounts/login/"]:
        policy = client.get(path).headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy, path
        assert "style-src 'self'" in policy, path
