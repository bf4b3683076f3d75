"""Django admin is open to the system administrator only (三员分立)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


def _is_system_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_active and user.is_authenticated and getattr(user, "is_system_admin", False)
    )


admin.site.has_permission = _is_system_admin  # type: ignore[method-assign]


class SystemAdminModelAdmin(admin.ModelAdmin):
    """Every permission follows the system-administrator role, not Django's perm tables."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_system_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_system_admin(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_system_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_system_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_system_admin(request)
