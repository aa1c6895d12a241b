"""Template context for the navigation's notification bell: the unread count."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sangsaeng.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {
        "unread_notifications": Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
    }
