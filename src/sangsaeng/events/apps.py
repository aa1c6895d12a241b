from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "sangsaeng.events"
    verbose_name = _("Matchmaking events")

    def ready(self) -> None:
        from sangsaeng.core import dashboard, navigation, policy
        from sangsaeng.events import (
            audit,  # noqa: F401  (registers models with the audit log)
            notifications,
            panels,
            rules,
        )
        from sangsaeng.notifications import kinds

        policy.register(*rules.RULES)
        kinds.register(*notifications.KINDS)
        dashboard.register(*panels.PANELS)
        navigation.register(
            navigation.NavItem("nav-events", "events:event_list", _("Matchmaking days"), 45)
        )
