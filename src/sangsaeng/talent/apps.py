from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "sangsaeng.talent"
    verbose_name = _("Talent")

    def ready(self) -> None:
        from sangsaeng.core import policy
        from sangsaeng.talent import rules

        policy.register(*rules.RULES)
