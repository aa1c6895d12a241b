"""How django-allauth's sign-up, confirmation and password mails speak for the platform.

Every mail names the platform (not the host it was requested from, e.g. 127.0.0.1:8000),
carries links made absolute from ``settings.SITE_URL`` and is written in the recipient's
language: the one their account records, else the page's they asked from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from sangsaeng.accounts import selectors
from sangsaeng.core.links import absolute_url


@dataclass(frozen=True)
class SiteName:
    """What allauth's templates read of ``current_site``."""

    name: str
    domain: str


def site_link(url: str, language: str) -> str:
    """A link allauth built from the request, re-made from the site's address."""
    parts = urlsplit(url)
    path = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    return absolute_url(path, language)


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return f"[{_('Sangsaeng')}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        language = selectors.preferred_language_of(email) or (
            translation.get_language() or settings.LANGUAGE_CODE
        )
        with translation.override(language):
            context = {
                **context,
                "current_site": SiteName(name=_("Sangsaeng"), domain=settings.SITE_URL),
            }
            for key, value in list(context.items()):
                if isinstance(value, str) and value.startswith(("http://", "https://")):
                    context[key] = site_link(value, language)
            super().send_mail(template_prefix, email, context)
