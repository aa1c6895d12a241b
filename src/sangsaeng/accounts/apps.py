from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sangsaeng.accounts"
    verbose_name = _("Users and memberships")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sangsaeng.accounts import panels, rules
        from sangsaeng.accounts.models import Membership
        from sangsaeng.core import dashboard, policy

        policy.register(*rules.RULES)
        dashboard.register(*panels.PANELS)
        # A membership that changes mid-request changes what its user may do at once.
        post_save.connect(forget_principals, sender=Membership, dispatch_uid="principals-save")
        post_delete.connect(forget_principals, sender=Membership, dispatch_uid="principals-delete")


def forget_principals(**kwargs: object) -> None:
    from sangsaeng.core.policy import forget_principals

    forget_principals()
