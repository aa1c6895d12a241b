"""The matching app's panels on the dashboard: requests waiting for the user's answer, and
the user's contact requests and joint projects."""

from __future__ import annotations

from typing import Any

from sangsaeng.core.dashboard import Panel
from sangsaeng.matching.selectors import my_matches, my_projects, requests_waiting_for


def _waiting(user: Any) -> dict[str, Any] | None:
    waiting = list(requests_waiting_for(user)[:10])
    return {"matches": waiting} if waiting else None


def _collaboration(user: Any) -> dict[str, Any]:
    return {
        "projects": list(my_projects(user)[:5]),
        "request_count": my_matches(user).count(),
    }


PANELS = (
    Panel("requests-waiting", "matching/_panel_waiting.html", _waiting, "top", order=30),
    Panel("collaboration", "matching/_panel_collaboration.html", _collaboration, order=30),
)
