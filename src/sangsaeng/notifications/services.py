"""Sending notifications: one in-app record per recipient, and an e-mail to those who want it.

:func:`notify` is called from inside other apps' services (their transaction, their
actor); the rest keep the platform's service contract.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sangsaeng.accounts.models import AnyUser, User
from sangsaeng.core.policy import Action, can
from sangsaeng.core.services import after_commit, service
from sangsaeng.notifications import kinds, tasks
from sangsaeng.notifications.models import Notification, NotificationPreference

PREFERENCE_FIELDS = (
    "email_new_match",
    "email_contact_request",
    "email_answer",
    "email_message",
    "email_project",
)


def notify(
    *, recipients: Iterable[User], kind: str, context: dict[str, Any], link: str = ""
) -> list[Notification]:
    """Notify each recipient once; mails go out after the transaction commits, in the background.

    ``context`` holds only what every recipient may read (a confidential need's summary,
    never its text).
    """
    if not kinds.is_known(kind):
        raise ValueError(f"no app declares the notification kind {kind!r}")
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
            after_commit(partial(tasks.send_notification_email.enqueue, notification.pk))
    return notifications


@service
def notification_mark_read(*, actor: AnyUser, notification: Notification) -> Notification:
    if not can(actor, Action.CHANGE, notification):
        raise PermissionDenied("not your notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@service
def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@service
def preference_update(*, actor: User, **choices: bool) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.get_or_create(user=actor)
    for name in PREFERENCE_FIELDS:
        if name in choices:
            setattr(preference, name, bool(choices[name]))
    preference.save()
    return preference
