"""The resources app's panels on the dashboard: upcoming bookings, offers, approvals."""

from __future__ import annotations

from typing import Any

from sangsaeng.core.dashboard import Panel
from sangsaeng.resources.selectors import my_bookings, my_waitlist, pending_approvals


def _bookings(user: Any) -> dict[str, Any] | None:
    if not user.is_authenticated:
        return None
    bookings = list(my_bookings(user)[:5])
    offers = [entry for entry in my_waitlist(user) if entry.state == "offered"]
    if not bookings and not offers:
        return None
    return {"bookings": bookings, "offers": offers}


def _approvals(user: Any) -> dict[str, Any] | None:
    if not user.is_authenticated:
        return None
    pending = list(pending_approvals(user)[:20])
    return {"pending": pending} if pending else None


PANELS = (
    Panel("resource-approvals", "resources/_panel_approvals.html", _approvals, "top", 30),
    Panel("resource-bookings", "resources/_panel_bookings.html", _bookings, order=40),
)
