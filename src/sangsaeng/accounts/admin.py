"""The operators' Django admin for users, memberships and invitations."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sangsaeng.accounts.models import Consent, Invitation, Membership, User
from sangsaeng.core.admin import (
    OperatorAdmin,
    OperatorPermissionsMixin,
    OperatorTabularInline,
)


class MembershipInline(OperatorTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(User)
class UserAdmin(OperatorPermissionsMixin, DjangoUserAdmin):
    list_display = ("email", "display_name", "is_operator", "is_staff", "is_active", "last_login")
    list_filter = ("is_operator", "is_staff", "is_superuser", "is_active")
    search_fields = ("email", "username", "display_name", "first_name", "last_name")
    ordering = ("email",)
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Cluster"), {"fields": ("display_name", "is_operator")}),
    )
    inlines = [MembershipInline]

    # Operators run the cluster, but only a superuser hands out staff or superuser rights:
    # otherwise any operator could promote themselves past the policy.
    PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        return (*readonly, *self.PRIVILEGE_FIELDS)

    # Nor does anyone but a superuser take over a staff or superuser account: its password
    # (the admin's password form asks for change permission on the user), e-mail or status.
    # Otherwise an operator could set a superuser's password and log in as them.
    @staticmethod
    def _guarded(request: HttpRequest, obj: object) -> bool:
        privileged = isinstance(obj, User) and (obj.is_staff or obj.is_superuser)
        return privileged and not request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return not self._guarded(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return not self._guarded(request, obj) and super().has_delete_permission(request, obj)


@admin.register(Membership)
class MembershipAdmin(OperatorAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organisation__name_ko", "organisation__name_en")
    autocomplete_fields = ("user", "organisation")


@admin.register(Invitation)
class InvitationAdmin(OperatorAdmin):
    list_display = ("email", "organisation", "role", "created_at", "accepted_at")
    list_filter = ("role", ("accepted_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "organisation__name_ko", "organisation__name_en")
    autocomplete_fields = ("organisation",)
    readonly_fields = ("token", "invited_by", "accepted_by", "accepted_at")


@admin.register(Consent)
class ConsentAdmin(OperatorAdmin):
    """What each user agreed to, in which version and when (kept as given, never edited)."""

    list_display = ("user", "kind", "version", "given_at", "withdrawn_at")
    list_filter = ("kind", "version", ("withdrawn_at", admin.EmptyFieldListFilter))
    search_fields = ("user__email", "user__display_name")
    readonly_fields = ("user", "kind", "version", "given_at", "withdrawn_at")

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
