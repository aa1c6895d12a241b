from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "sangsaeng.matching"
    verbose_name = _("Needs, offers and matches")

    def ready(self) -> None:
        from sangsaeng.core import dashboard, navigation, policy
        from sangsaeng.matching import (
            audit,  # noqa: F401  (registers models with the audit log)
            notifications,
            panels,
            rules,
            tasks,
        )
        from sangsaeng.notifications import kinds
        from sangsaeng.search.signals import profile_changed

        policy.register(*rules.RULES)
        kinds.register(*notifications.KINDS)
        dashboard.register(*panels.PANELS)
        profile_changed.connect(
            tasks.refresh_after_directory_change, dispatch_uid="matching-refresh-open-needs"
        )
        navigation.register(
            navigation.NavItem("nav-needs", "matching:need_list", _("Needs & offers"), 40)
        )
