from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "sangsaeng.events"
    verbose_name = _("Matchmaking events")

    def ready(self) -> None:
        from sangsaeng.core import policy
        from sangsaeng.events import rules

        policy.register(*rules.RULES)
