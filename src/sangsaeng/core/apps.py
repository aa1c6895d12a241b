from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sangsaeng.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.apps import apps
        from django.contrib import admin

        from sangsaeng.core.pagecache import follow_changes

        follow_changes()

        # The operators' admin speaks for the platform, in the page's language.
        admin.site.site_header = _("Sangsaeng administration")
        admin.site.site_title = _("Sangsaeng administration")
        admin.site.index_title = _("Cluster records")
        # Third-party apps whose labels the admin shows untranslated.
        labels = {"django_tasks_database": _("Background tasks"), "auditlog": _("Change history")}
        for label, name in labels.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name


# django-tasks-db's model names have no Korean translation of their own: ours gives them one.
THIRD_PARTY_MODEL_NAMES = (_("Task Result"), _("Task Results"))
