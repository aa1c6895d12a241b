from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "sangsaeng.insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from sangsaeng.core import navigation, policy
        from sangsaeng.insights import rules

        policy.register(*rules.RULES)
        navigation.register(
            navigation.NavItem("nav-insights", "insights:dashboard", _("Insights"), 60)
        )
