"""What every app's Django admin shares: operators may do everything in it.

Django's admin stays closed to everyone who is not staff; among staff, the policy's
operator flag stands in for per-model permissions that nobody would keep up to date.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from sangsaeng.core.policy import is_operator


class OperatorPermissionsMixin:
    """Cluster operators (staff with ``is_operator``) may do everything here.

    Django's admin stays closed to everyone who is not staff; among staff, the policy's
    ``is_operator`` stands in for per-model permissions that nobody would keep up to date.
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request.user) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_operator(request.user) or super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return is_operator(request.user) or super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_operator(request.user) or super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_operator(request.user) or super().has_delete_permission(request, obj)  # type: ignore[misc]


class OperatorAdmin(OperatorPermissionsMixin, admin.ModelAdmin):
    pass


class OperatorTabularInline(OperatorPermissionsMixin, admin.TabularInline):
    pass


class OperatorStackedInline(OperatorPermissionsMixin, admin.StackedInline):
    pass
