from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "sangsaeng.directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_delete

        from sangsaeng.accounts.models import User
        from sangsaeng.core import dashboard, navigation, policy
        from sangsaeng.directory import (
            audit,  # noqa: F401  (registers models with the audit log)
            notifications,
            panels,
            rules,
        )
        from sangsaeng.directory.models import Organisation
        from sangsaeng.notifications import kinds

        policy.register(*rules.RULES)
        kinds.register(*notifications.KINDS)
        # Closing an account deletes the profile that is its person's own (PIPA).
        pre_delete.connect(forget_own_profile, sender=User, dispatch_uid="directory-forget-profile")
        policy.register_principal_loader(rules.load_principal)
        dashboard.register(*panels.PANELS)
        navigation.register(
            navigation.NavItem(
                "nav-organisations", "directory:organisation_list", _("Organisations"), 10
            ),
            navigation.NavItem("nav-experts", "directory:person_list", _("Experts"), 20),
            navigation.NavItem("nav-agreements", "directory:agreement_list", _("Agreements"), 30),
            navigation.NavItem(
                "nav-approvals",
                "directory:approval_queue",
                _("Approvals"),
                90,
                visible=lambda user: policy.can(user, policy.Action.APPROVE, Organisation),
            ),
        )
        # An organisation approved or rejected mid-request changes what its members may do.
        post_save.connect(forget_principals, sender=Organisation, dispatch_uid="principals-org")
        post_delete.connect(
            forget_principals, sender=Organisation, dispatch_uid="principals-org-delete"
        )


def forget_principals(**kwargs: object) -> None:
    from sangsaeng.core.policy import forget_principals

    forget_principals()


def forget_own_profile(instance: object, **kwargs: object) -> None:
    from sangsaeng.directory.services import own_profile_forget

    own_profile_forget(actor=None, user=instance)  # type: ignore[arg-type]
