from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "sangsaeng.programs"
    verbose_name = _("Support programs")

    def ready(self) -> None:
        from sangsaeng.core import policy
        from sangsaeng.programs import rules

        policy.register(*rules.RULES)
