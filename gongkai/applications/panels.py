"""Console shell contributions: nav, the due-soon/overdue queue and alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.console.panels import Alert, NavItem, QueueItem


def nav(user: Any) -> list[NavItem]:
    items = []
    if not user.admin_role and user.active_memberships:
        items.append(NavItem("依申请公开", reverse("applications:list"), order=40))
    if user.is_system_admin:
        items.append(NavItem("文书模板", reverse("applications:templates"), order=90))
    return items


def queue(user: Any) -> list[QueueItem]:
    if user.admin_role or not user.active_memberships:
        return []
    today = timezone.localdate()
    qs = Application.objects.for_user(user)
    url = reverse("applications:list")
    return [
        QueueItem(
            "依申请公开：待确认",
            qs.filter(status=Application.Status.PENDING).count(),
            f"{url}?status=pending",
        ),
        QueueItem(
            "依申请公开：5日内到期",
            qs.due_soon(today, today + dt.timedelta(days=5)).count(),
            f"{url}?due=soon",
        ),
        QueueItem(
            "依申请公开：已超期", qs.overdue(today).count(), f"{url}?due=overdue", urgent=True
        ),
    ]


def alerts(user: Any) -> list[Alert]:
    if user.admin_role or not user.active_memberships:
        return []
    qs = Application.objects.for_user(user)
    out = []
    overdue = qs.overdue(timezone.localdate()).count()
    if overdue:
        out.append(
            Alert(
                f"有{overdue}件政府信息公开申请已超过答复期限。",
                reverse("applications:list") + "?due=overdue",
                "error",
            )
        )
    broken = qs.open().exclude(clock_error="").count()
    if broken:
        out.append(
            Alert(
                f"有{broken}件申请无法计算答复期限（工作日历缺少数据）。",
                reverse("applications:list") + "?due=open",
                "error",
            )
        )
    return out
