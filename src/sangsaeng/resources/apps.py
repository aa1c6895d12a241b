from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "sangsaeng.resources"
    verbose_name = _("Shared infrastructure")

    def ready(self) -> None:
        from sangsaeng.core import dashboard, navigation, policy
        from sangsaeng.notifications import kinds
        from sangsaeng.resources import (
            audit,  # noqa: F401  (registers models with the audit log)
            notifications,
            panels,
            rules,
        )

        policy.register(*rules.RULES)
        kinds.register(*notifications.KINDS)
        dashboard.register(*panels.PANELS)
        navigation.register(
            navigation.NavItem("nav-resources", "resources:resource_list", _("Resources"), 50)
        )
