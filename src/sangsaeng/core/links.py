"""Links that leave the site (mails, calendar feeds, PDFs) are absolute."""

from __future__ import annotations

from django.conf import settings
from django.urls import translate_url
from django.utils import translation


def absolute_url(path: str, language: str | None = None) -> str:
    """``/ko/needs/6/`` → ``https://cluster.example/ko/needs/6/`` (``settings.SITE_URL``).

    With ``language``, a page's address is given in that language (``/en/needs/6/``), so
    that a mail in English links to the English page.
    """
    if path.startswith(("http://", "https://")):
        return path
    if language:
        with translation.override(language):
            path = translate_url(path, language)
    return f"{settings.SITE_URL}/{path.lstrip('/')}"
