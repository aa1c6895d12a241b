from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "sangsaeng.programs"
    verbose_name = _("Support programs")

    def ready(self) -> None:
        from sangsaeng.core import dashboard, navigation, policy
        from sangsaeng.notifications import kinds
        from sangsaeng.programs import (
            audit,  # noqa: F401  (registers models with the audit log)
            notifications,
            panels,
            rules,
        )

        policy.register(*rules.RULES)
        kinds.register(*notifications.KINDS)
        dashboard.register(*panels.PANELS)
        navigation.register(
            navigation.NavItem("nav-programs", "programs:call_list", _("Support programs"), 45)
        )
