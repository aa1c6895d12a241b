"""The accounts app's panels on the dashboard: invitations waiting, the user's organisations."""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.selectors import invitations_for, memberships_of
from sangsaeng.core.dashboard import Panel


def _invitations(user: Any) -> dict[str, Any] | None:
    invitations = list(invitations_for(user))
    return {"invitations": invitations} if invitations else None


def _memberships(user: Any) -> dict[str, Any]:
    return {"memberships": memberships_of(user)}


PANELS = (
    Panel("invitations", "accounts/_panel_invitations.html", _invitations, "top", order=20),
    Panel("memberships", "accounts/_panel_memberships.html", _memberships, "columns", order=10),
)
