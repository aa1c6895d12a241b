from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "sangsaeng.matching"
    verbose_name = _("Needs, offers and matches")

    def ready(self) -> None:
        from sangsaeng.matching import audit, signals  # noqa: F401  (audit registrations)

        signals.connect()
