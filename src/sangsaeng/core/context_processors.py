"""Template context every page needs: the navigation and the viewer's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sangsaeng.core import navigation
from sangsaeng.core.policy import is_operator


def navigation_items(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "viewer_is_operator": is_operator(user),
        "nav_items": navigation.items_for(user),
    }
