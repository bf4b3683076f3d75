"""Console navigation, alerts and queue of the assessment app."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from gongkai.console.panels import Alert, NavItem, QueueItem


def nav(user: Any) -> list[NavItem]:
    if not user.is_authenticated or user.admin_role:
        return []
    return [
        NavItem("考核", reverse("assessment:list"), order=70),
        NavItem("监督检查与整改", reverse("assessment:inspections"), order=71),
        NavItem("工作要点", reverse("assessment:workplans"), order=72),
    ]


def _open_tasks(user: Any) -> Any:
    from gongkai.assessment.permissions import own_agency_ids, tasks_for_user

    return tasks_for_user(user).filter(
        status="open", finding__inspection__agency_id__in=own_agency_ids(user)
    )


def queue(user: Any) -> list[QueueItem]:
    if not user.is_authenticated or user.admin_role:
        return []
    count = _open_tasks(user).count()
    return (
        [QueueItem("待整改的检查发现", count, reverse("assessment:inspections"))] if count else []
    )


def alerts(user: Any) -> list[Alert]:
    if not user.is_authenticated or user.admin_role:
        return []
    late = _open_tasks(user).filter(due_on__lt=timezone.localdate()).count()
    if not late:
        return []
    return [Alert(f"有 {late} 项整改任务已超过整改期限。", reverse("assessment:inspections"))]
