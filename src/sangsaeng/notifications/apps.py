from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "sangsaeng.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from sangsaeng.core import policy
        from sangsaeng.notifications import rules

        policy.register(*rules.RULES)
