"""Console navigation and alerts of the calendar."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from gongkai.console.panels import Alert, NavItem
from gongkai.workdays import calendar


def nav(user: Any) -> list[NavItem]:
    items = []
    if user.is_system_admin:
        items.append(NavItem("工作日历", reverse("workdays:home"), order=80))
    if user.is_system_admin or user.active_memberships:
        items.append(NavItem("期限计算", reverse("workdays:deadline"), order=81))
    return items


def alerts(user: Any, *, today: Any = None) -> list[Alert]:
    """Missing calendar years: the current year (deadlines fail now: every staff member
    sees it) and next year (the system administrator should enter the new notice)."""
    if not (user.is_system_admin or user.active_memberships):
        return []
    today = today or timezone.localdate()
    years = calendar.covered_years()
    url = reverse("workdays:home") if user.is_system_admin else ""
    out = []
    if today.year not in years:
        out.append(
            Alert(
                f"工作日历缺少{today.year}年的节假日安排，涉及{today.year}年的期限无法计算。"
                + ("请立即录入。" if user.is_system_admin else "请联系系统管理员录入。"),
                url,
                "error",
            )
        )
    if user.is_system_admin and today.year + 1 not in years:
        out.append(
            Alert(
                f"工作日历尚未录入{today.year + 1}年的节假日安排；国务院办公厅通知发布后请及时导入，"
                f"否则跨入{today.year + 1}年的期限将无法计算。",
                url,
                "warning",
            )
        )
    return out
