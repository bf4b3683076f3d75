"""Access functions for agencies and staffing figures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.accounts.models import Role
from gongkai.agencies.models import Agency

# Roles that may edit an agency's disclosure-office details and staffing figures.
AGENCY_EDIT_ROLES = {Role.DEPT_HEAD, Role.OFFICE_HEAD, Role.GUIDANCE}


def can_edit_agency(user: Any, agency: Agency) -> bool:
    """The agency's directory entry: the system administrator (configuration), or its
    部门负责人/信息公开工作机构负责人, or 指导科 (disclosure-office details)."""
    if user.is_system_admin:
        return True
    return bool(user.roles_in(agency.pk) & AGENCY_EDIT_ROLES)


def can_edit_staffing(user: Any, agency: Agency) -> bool:
    """Staffing figures are reported in the annual report (business data): the agency's
    heads or 指导科 only, never one of the three administrators (三员分立)."""
    return not user.admin_role and bool(user.roles_in(agency.pk) & AGENCY_EDIT_ROLES)


def get_agency_for_user(user: Any, pk: int | str, *, write: bool = False) -> Agency:
    """The agency with ``pk`` if ``user`` may see it (404 otherwise, missing or not).

    With ``write=True`` the user must also be allowed to edit it (403 otherwise): the
    system administrator, or the agency's 部门负责人/信息公开工作机构负责人, or 指导科.
    """
    try:
        agency = Agency.objects.for_user(user).select_related("region").get(pk=pk)
    except (Agency.DoesNotExist, ValueError):
        raise Http404("机构不存在或无权查看。") from None
    if write and not can_edit_agency(user, agency):
        raise PermissionDenied("您无权修改该机构的信息。")
    return agency
