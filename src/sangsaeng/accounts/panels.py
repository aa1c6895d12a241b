"""The accounts app's panels on the dashboard: invitations waiting, the user's organisations."""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.policies import POLICIES
from sangsaeng.accounts.selectors import consents_of, invitations_for, memberships_of
from sangsaeng.core.dashboard import Panel


def _consents(user: Any) -> dict[str, Any] | None:
    """Policies the user has not agreed to in their current version (e.g. after a change)."""
    standing = {(c.kind, c.version) for c in consents_of(user) if c.is_standing}
    missing = [p for p in POLICIES if p.required and (p.kind, p.version) not in standing]
    return {"missing": missing} if missing else None


def _invitations(user: Any) -> dict[str, Any] | None:
    invitations = list(invitations_for(user))
    return {"invitations": invitations} if invitations else None


def _memberships(user: Any) -> dict[str, Any]:
    return {"memberships": memberships_of(user)}


PANELS = (
    Panel("consents", "accounts/_panel_consents.html", _consents, "top", order=5),
    Panel("invitations", "accounts/_panel_invitations.html", _invitations, "top", order=20),
    Panel("memberships", "accounts/_panel_memberships.html", _memberships, "columns", order=10),
)
