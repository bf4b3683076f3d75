"""Access functions for applications (and their notices, via the application)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.accounts.models import APPLICATION_DESK_ROLES
from gongkai.applications.models import Application, NoticeTemplate


def can_write(user: Any, application: Application) -> bool:
    """Clerks, handlers and the office head of the application's agency may act on it."""
    return bool(user.roles_in(application.agency_id) & APPLICATION_DESK_ROLES)


def can_see_personal_data(user: Any, application: Application) -> bool:
    """Unmasked ID and phone numbers: only the assigned handler, who needs them."""
    return application.handler_id is not None and application.handler_id == getattr(
        user, "pk", None
    )


def get_application_for_user(user: Any, pk: int | str, *, write: bool = False) -> Application:
    """The application ``pk`` if ``user`` may see it (404 when missing or invisible).

    Visible: see ``ApplicationQuerySet.for_user``. With ``write=True`` the user must also
    hold 录入员, 承办人 or 信息公开工作机构负责人 in its agency (403 otherwise).
    """
    try:
        application = (
            Application.objects.for_user(user)
            .select_related("agency", "agency__region", "handler")
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError):
        raise Http404("申请不存在或无权查看。") from None
    if write and not can_write(user, application):
        raise PermissionDenied("您无权办理该申请。")
    return application


def get_template_for_user(user: Any, pk: int | str) -> NoticeTemplate:
    """Notice templates: the system administrator only (404 for everyone else)."""
    if not getattr(user, "is_system_admin", False):
        raise Http404("文书模板不存在或无权查看。")
    try:
        return NoticeTemplate.objects.get(pk=pk)
    except (NoticeTemplate.DoesNotExist, ValueError):
        raise Http404("文书模板不存在或无权查看。") from None
