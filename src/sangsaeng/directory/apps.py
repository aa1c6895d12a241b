from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "sangsaeng.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from sangsaeng.directory import audit  # noqa: F401  (registers models with the audit log)
