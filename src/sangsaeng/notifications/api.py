"""The JSON API of notifications (under /api/notifications/): one's own only."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import StrictBool

from sangsaeng.accounts.api_auth import required_auth
from sangsaeng.accounts.models import User
from sangsaeng.core.api import ErrorOut, StrictInput, caller
from sangsaeng.notifications import selectors, services
from sangsaeng.notifications.messages import headline
from sangsaeng.notifications.models import Notification

router = Router(tags=["notifications"], auth=required_auth)
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class NotificationOut(Schema):
    id: int
    kind: str
    text: str = Field(description="the notification in the request's language")
    link: str
    created_at: datetime.datetime
    read: bool

    @staticmethod
    def resolve_text(notification: Notification) -> str:
        return headline(notification)

    @staticmethod
    def resolve_read(notification: Notification) -> bool:
        return notification.is_read


class PreferenceOut(Schema):
    email_new_match: bool
    email_contact_request: bool
    email_answer: bool
    email_message: bool
    email_project: bool


class PreferenceIn(StrictInput):
    email_new_match: StrictBool | None = None
    email_contact_request: StrictBool | None = None
    email_answer: StrictBool | None = None
    email_message: StrictBool | None = None
    email_project: StrictBool | None = None


@router.get("/", response={200: list[NotificationOut], **ERRORS})
def list_notifications(request: HttpRequest, unread: bool = False) -> list[Notification]:
    return list(selectors.notifications_of(caller(request), unread=unread)[: selectors.SHOWN])


@router.post("/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def mark_read(request: HttpRequest, notification_id: int) -> Notification:
    notification = selectors.notification_get(user=caller(request), pk=notification_id)
    return services.notification_mark_read(actor=caller(request), notification=notification)


@router.get("/preferences", response={200: PreferenceOut, **ERRORS})
def get_preferences(request: HttpRequest) -> Any:
    user: User = caller(request)  # type: ignore[assignment]
    return selectors.preference_of(user)


@router.patch("/preferences", response={200: PreferenceOut, **ERRORS})
def update_preferences(request: HttpRequest, data: PreferenceIn) -> Any:
    user: User = caller(request)  # type: ignore[assignment]
    return services.preference_update(actor=user, **data.dict(exclude_none=True))
