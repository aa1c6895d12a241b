"""Template context every page needs: the navigation and the viewer's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sangsaeng.core.policy import is_operator


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"viewer_is_operator": is_operator(request.user)}
