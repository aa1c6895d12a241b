"""Links that leave the site (mails, calendar feeds, PDFs) are absolute."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """``/ko/needs/6/`` → ``https://cluster.example/ko/needs/6/`` (``settings.SITE_URL``)."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}/{path.lstrip('/')}"
