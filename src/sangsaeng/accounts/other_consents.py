"""Consents that other apps record (a student's consent to companies seeing their profile…),
listed on the account's consents page, so a person sees every consent they gave in one place.

An app registers a function that returns a user's standing consents of that app, each with
the page where it is withdrawn (the app keeps its own records and rules of withdrawal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class OtherConsent:
    title: str
    version: str
    given_at: datetime
    manage_url: str


Provider = Callable[[Any], list[OtherConsent]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def standing_of(user: Any) -> list[OtherConsent]:
    """Every registered app's standing consents of ``user``, oldest first."""
    found = [consent for provider in _PROVIDERS for consent in provider(user)]
    return sorted(found, key=lambda consent: consent.given_at)
