"""Who may operate the search index: the system administrator and 协调办网管科."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from gongkai.accounts.models import Role


def can_manage_search(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_system_admin or user.has_role(Role.NETWORK))
    )


def require_search_manager(user: Any) -> None:
    """Raise PermissionDenied unless ``user`` may see and operate the index page."""
    if not can_manage_search(user):
        raise PermissionDenied("只有系统管理员和网管科可以管理检索索引。")
