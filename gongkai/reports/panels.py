"""Console contributions of the reports app: navigation and the statutory deadline reminders.

条例第四十九条/第五十条: departments publish the previous year's report by 1月31日, people's
governments by 3月31日. Reminders show from 1 January until the report is published
(overdue ones as errors).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gongkai.console.panels import Alert, NavItem

DEPARTMENT_DEADLINE = (1, 31)
GOVERNMENT_DEADLINE = (3, 31)


def nav(user: Any) -> list[NavItem]:
    if user.admin_role:  # 三员分立: business pages are not the administrators'
        return []
    return [NavItem("年度报告", reverse("reports:list"), order=70)]


def report_deadline(kind: str, year: int) -> dt.date:
    """When the report for ``year`` is due: 1月31日 (departments) or 3月31日 (governments) of
    the following year."""
    month, day = GOVERNMENT_DEADLINE if kind == "government" else DEPARTMENT_DEADLINE
    return dt.date(year + 1, month, day)


def alerts(user: Any, today: dt.date | None = None) -> list[Alert]:
    from gongkai.reports.models import AnnualReport
    from gongkai.reports.permissions import REPORT_EDIT_ROLES

    if user.is_audit_admin or user.admin_role:
        return []
    today = today or timezone.localdate()
    year = today.year - 1
    out: list[Alert] = []
    url = reverse("reports:list")
    published = set(
        AnnualReport.objects.filter(year=year, status="published").values_list(
            "agency_id", "region_id"
        )
    )
    seen: set[int] = set()
    for m in user.active_memberships:
        agency = m.agency
        if agency.pk in seen or m.role not in REPORT_EDIT_ROLES:
            continue
        seen.add(agency.pk)
        if m.role == "guidance":
            due = report_deadline("government", year)
            done = (None, agency.region_id) in published
            name = f"{agency.region.name}人民政府"
        elif agency.kind == "government":
            due = report_deadline("government", year)
            done = (None, agency.region_id) in published or (agency.pk, None) in published
            name = agency.name
        else:
            due = report_deadline("department", year)
            done = (agency.pk, None) in published
            name = agency.name
        if done or today.month > 6:
            continue
        days = (due - today).days
        if days < 0:
            out.append(
                Alert(
                    f"{name}{year}年度报告已逾期{-days}天未发布（应于{due.month}月{due.day}日前发布）。",
                    url,
                    "error",
                )
            )
        else:
            out.append(
                Alert(
                    f"{name}{year}年度报告应于{due.month}月{due.day}日前发布，还剩{days}天。",
                    url,
                    "warning",
                )
            )
    return out
