"""Notifications and mail preferences are private to their user, operators included."""

from __future__ import annotations

from django.db.models import Q

from sangsaeng.core.policy import NOTHING, Action, Principal, Rule
from sangsaeng.notifications.models import Notification, NotificationPreference


class NotificationRule(Rule):
    model = Notification

    def filter(self, who: Principal, action: Action) -> Q:
        if not who.is_authenticated or action not in (Action.VIEW, Action.CHANGE):
            return NOTHING
        return Q(recipient_id=who.pk)


class NotificationPreferenceRule(Rule):
    model = NotificationPreference

    def filter(self, who: Principal, action: Action) -> Q:
        if not who.is_authenticated or action not in (Action.VIEW, Action.CHANGE):
            return NOTHING
        return Q(user_id=who.pk)


RULES = (NotificationRule, NotificationPreferenceRule)
