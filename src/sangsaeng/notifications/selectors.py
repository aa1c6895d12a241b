"""Read-only questions about a user's notifications and mail preferences."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sangsaeng.accounts.models import AnyUser, User
from sangsaeng.core.policy import Action, restrict
from sangsaeng.core.selectors import NotFound
from sangsaeng.notifications.models import Notification, NotificationPreference

SHOWN = 100


def notifications_of(user: AnyUser, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    notifications = restrict(Notification.objects.all(), user, Action.VIEW)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def unread_count(user: AnyUser) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notification_get(*, user: AnyUser, pk: int, action: str = Action.CHANGE) -> Notification:
    notification = restrict(Notification.objects.all(), user, Action(action)).filter(pk=pk).first()
    if notification is None:
        raise NotFound(_("No such notification."))
    return notification


def preference_of(user: User) -> NotificationPreference:
    """The user's mail preferences; unsaved defaults (every mail) until they choose."""
    preference = restrict(NotificationPreference.objects.filter(user=user), user).first()
    return preference or NotificationPreference(user=user)
