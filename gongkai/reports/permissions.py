"""Access function for annual reports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.accounts.models import Role
from gongkai.reports.models import AnnualReport
from gongkai.reports.querysets import visible_region_ids

# who compiles and publishes an agency's own report
REPORT_EDIT_ROLES = {Role.OFFICE_HEAD, Role.DEPT_HEAD, Role.APPROVER, Role.GUIDANCE}


def can_edit_report(user: Any, report: AnnualReport) -> bool:
    """The agency's report editors, or 指导科/网管科 of the region for a roll-up; never one
    of the three administrators (三员分立)."""
    if user.admin_role:
        return False
    if report.agency_id:
        return bool(user.roles_in(report.agency_id) & REPORT_EDIT_ROLES)
    regions = visible_region_ids(user)
    return regions is None or report.region_id in regions


def get_report_for_user(user: Any, pk: int | str, *, write: bool = False) -> AnnualReport:
    """The report with ``pk`` if ``user`` may see it (404 for missing and invisible alike);
    with ``write=True`` the user must also compile reports for its scope (403)."""
    try:
        report = AnnualReport.objects.for_user(user).select_related("agency", "region").get(pk=pk)
    except (AnnualReport.DoesNotExist, ValueError):
        raise Http404("年度报告不存在或无权查看。") from None
    if write and not can_edit_report(user, report):
        raise PermissionDenied("您无权编辑或发布该年度报告。")
    return report
