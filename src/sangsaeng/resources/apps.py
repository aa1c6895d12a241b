from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "sangsaeng.resources"
    verbose_name = _("Shared infrastructure")

    def ready(self) -> None:
        from sangsaeng.core import policy
        from sangsaeng.resources import rules

        policy.register(*rules.RULES)
