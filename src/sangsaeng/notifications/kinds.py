"""The kinds of notification, each declared by the app whose events it tells of.

A kind names its code (stored on each notification), a label for the preferences page,
how to say what happened from the notification's facts (called in the reader's language)
and, optionally, the details a mail adds (the sender's words, a reason).
Apps register their kinds from ``AppConfig.ready()``; the notifications app knows none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: Any
    headline: Callable[[dict[str, Any]], str]
    details: Callable[[dict[str, Any]], str] | None = None


_kinds: dict[str, NotificationKind] = {}


def register(*kinds: NotificationKind) -> None:
    for kind in kinds:
        _kinds[kind.code] = kind


def is_known(code: str) -> bool:
    return code in _kinds


def headline(code: str, facts: dict[str, Any]) -> str:
    """What happened, in the active language (a kind no app declares any more says little)."""
    kind = _kinds.get(code)
    if kind is None:
        return _("You have a new notification.")
    return kind.headline(facts)


def details(code: str, facts: dict[str, Any]) -> str:
    """What a mail says besides the headline, in the active language ("" when nothing)."""
    kind = _kinds.get(code)
    if kind is None or kind.details is None:
        return ""
    return kind.details(facts)


def all_kinds() -> list[NotificationKind]:
    return list(_kinds.values())
