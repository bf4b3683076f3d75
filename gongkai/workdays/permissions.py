"""Access functions for the working-day calendar (national data: the system
administrator manages it; nobody else sees the management pages)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.workdays.models import ExceptionDay


def can_manage_calendar(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_system_admin)


def require_calendar_admin(user: Any) -> None:
    if not can_manage_calendar(user):
        raise PermissionDenied("只有系统管理员可以管理工作日历。")


def get_exception_day_for_user(user: Any, pk: int | str, *, write: bool = False) -> ExceptionDay:
    """The exception day ``pk`` if ``user`` may manage it (404 if missing or invisible).

    Visibility and write access coincide (system administrator only), so ``write`` adds
    no further check; it is accepted for the uniform signature.
    """
    try:
        return ExceptionDay.objects.for_user(user).get(pk=pk)
    except (ExceptionDay.DoesNotExist, ValueError):
        raise Http404("该日期记录不存在或无权查看。") from None
