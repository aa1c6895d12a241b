from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "sangsaeng.talent"
    verbose_name = _("Talent")

    def ready(self) -> None:
        from sangsaeng.accounts import other_consents
        from sangsaeng.core import dashboard, navigation, policy
        from sangsaeng.notifications import kinds
        from sangsaeng.talent import (
            audit,  # noqa: F401  (registers models with the audit log)
            notifications,
            panels,
            rules,
            selectors,
        )

        policy.register(*rules.RULES)
        kinds.register(*notifications.KINDS)
        dashboard.register(*panels.PANELS)
        other_consents.register(selectors.standing_consents_for_account)
        navigation.register(
            navigation.NavItem("nav-talent", "talent:home", _("Talent"), 45),
        )
