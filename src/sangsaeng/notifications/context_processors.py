"""Template context for the navigation's notification bell: the unread count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sangsaeng.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"unread_notifications": unread_count(user) if user is not None else 0}
