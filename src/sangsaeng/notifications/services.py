"""Sending notifications: one in-app record per recipient, and an e-mail to those who want it."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sangsaeng.accounts.models import User
from sangsaeng.core.policy import Action, AnyUser, can
from sangsaeng.notifications.models import Notification, NotificationPreference

PREFERENCE_FIELDS = ("email_new_match", "email_contact_request", "email_answer")


def preference_for(user: User) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    return preference


def notify(
    *, recipients: Iterable[User], kind: str, context: dict[str, Any], link: str = ""
) -> list[Notification]:
    """Notify each recipient once; mails go out after the transaction commits, in the background.

    ``context`` holds only what every recipient may read (a confidential need's summary,
    never its text).
    """
    from sangsaeng.notifications.tasks import send_notification_email

    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    notifications = Notification.objects.bulk_create(
        [
            Notification(recipient=user, kind=kind, context=context, link=link)
            for user in unique.values()
        ]
    )
    preferences = {
        preference.user_id: preference
        for preference in NotificationPreference.objects.filter(user_id__in=list(unique))
    }
    for notification in notifications:
        preference = preferences.get(notification.recipient_id)
        # No saved preference means the defaults: every mail.
        if preference is None or preference.wants_email(kind):
            transaction.on_commit(partial(send_notification_email.enqueue, notification.pk))
    return notifications


def notification_mark_read(*, actor: AnyUser, notification: Notification) -> Notification:
    if not can(actor, Action.CHANGE, notification):
        raise PermissionDenied("not your notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_update(*, actor: User, **choices: bool) -> NotificationPreference:
    preference = preference_for(actor)
    for name in PREFERENCE_FIELDS:
        if name in choices:
            setattr(preference, name, bool(choices[name]))
    preference.save()
    return preference
