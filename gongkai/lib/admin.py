"""Django admin is open to the system administrator only (三员分立)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


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


def admin_login(request: HttpRequest) -> HttpResponse:
    """``/admin/login/``: staff sign in on the one login page; signed-in staff who are not the
    system administrator get a 403 page here. (Redirecting them to the login page, which
    sends signed-in users on to ``next=/admin/``, which sends them back here, was an
    endless loop: issue 13.)"""
    if request.user.is_authenticated:
        return render(request, "console/forbidden.html", status=403)
    target = "/accounts/login/"
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{target}?{query}" if query else target)


def audit_admin_edit(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """Mirror a new admin ``LogEntry`` into the audit log (``admin.object.*``)."""
    from django.contrib.admin.models import ADDITION, DELETION

    from gongkai.audit.services import audit_log

    if not created:
        return
    if instance.action_flag == ADDITION:
        action = "admin.object.added"
    elif instance.action_flag == DELETION:
        action = "admin.object.deleted"
    else:
        action = "admin.object.changed"
    content_type = instance.content_type
    audit_log(
        action,
        actor=instance.user,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=str(instance.object_id or ""),
        object_repr=str(instance.object_repr or "")[:300],
        changes={"admin_message": [None, instance.get_change_message()[:2000]]},
        message="系统配置后台（Django 管理）",
    )
