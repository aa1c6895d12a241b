"""The directory's panels on the dashboard: the operator's queue, the user's own profile."""

from __future__ import annotations

from typing import Any

from sangsaeng.core.dashboard import Panel
from sangsaeng.core.policy import Action, can
from sangsaeng.directory.models import Organisation
from sangsaeng.directory.selectors import own_expert_profile, pending_organisations


def _cluster_office(user: Any) -> dict[str, Any] | None:
    if not can(user, Action.APPROVE, Organisation):
        return None
    return {"pending_count": pending_organisations(user).count()}


def _expert_profile(user: Any) -> dict[str, Any]:
    return {"person": own_expert_profile(user)}


PANELS = (
    Panel("cluster-office", "directory/_panel_cluster_office.html", _cluster_office, "top", 10),
    Panel("expert-profile", "directory/_panel_expert_profile.html", _expert_profile, order=20),
)
