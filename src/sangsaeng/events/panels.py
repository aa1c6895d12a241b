"""The events app's panel on the dashboard: the user's coming matchmaking days."""

from __future__ import annotations

from typing import Any

from sangsaeng.core.dashboard import Panel
from sangsaeng.events.selectors import my_events


def _my_events(user: Any) -> dict[str, Any] | None:
    registrations = my_events(user)
    return {"registrations": registrations} if registrations else None


PANELS = (Panel("my-events", "events/_panel_my_events.html", _my_events, order=30),)
