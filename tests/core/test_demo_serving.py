"""The demo serves like a real site: DEBUG off (a missing page shows the site's 404, not its
URL patterns), static files served by WhiteNoise from collected, hashed files, links in
mails made for the demo's port, and an icon at /favicon.ico."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from sangsaeng.cli import demo_environment

pytestmark = pytest.mark.django_db


def test_the_demo_runs_with_debug_off_and_its_own_address():
    environment = demo_environment(9123)
    assert environment["DEBUG"] == "false"
    assert environment["SANGSAENG_SITE_URL"] == "http://127.0.0.1:9123"
    assert environment["PORT"] == "9123"


def test_a_missing_page_shows_the_sites_404_not_the_url_patterns(client, settings):
    assert settings.DEBUG is False
    response = client.get("/ko/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "찾을 수 없습니다" in text
    assert "URLconf" not in text and "directory/" not in text.split("<main>")[1][:2000]


def test_static_files_and_the_icon_are_served_with_debug_off(tmp_path):
    manifest = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        DEBUG=False, STATIC_ROOT=tmp_path, STORAGES=manifest, WHITENOISE_USE_FINDERS=False
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        client = Client()  # WhiteNoise reads STATIC_ROOT when the handler starts
        page = client.get("/ko/").content.decode()
        stylesheet = page.split('rel="stylesheet" href="')[1].split('"')[0]
        assert stylesheet.startswith("/static/sangsaeng/site.") and stylesheet != (
            "/static/sangsaeng/site.css"
        )  # a hashed name: browsers may keep it for good
        css = client.get(stylesheet)
        assert css.status_code == 200 and b".site-header" in b"".join(css.streaming_content)
        icon = client.get("/favicon.ico")
        assert icon.status_code == 301
        served = client.get(icon["Location"])
        assert served.status_code == 200
        assert b"".join(served.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
        assert 'rel="icon"' in page
