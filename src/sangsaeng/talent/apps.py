from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "sangsaeng.talent"
    verbose_name = _("Talent")

    def ready(self) -> None:
        from sangsaeng.core import dashboard, navigation, policy
        from sangsaeng.notifications import kinds
        from sangsaeng.talent import (
            audit,  # noqa: F401  (registers models with the audit log)
            notifications,
            panels,
            rules,
        )

        policy.register(*rules.RULES)
        kinds.register(*notifications.KINDS)
        dashboard.register(*panels.PANELS)
        navigation.register(
            navigation.NavItem("nav-talent", "talent:home", _("Talent"), 45),
        )
