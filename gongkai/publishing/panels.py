"""The catalog's console navigation, alerts and queue entries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.console.panels import Alert, NavItem, QueueItem


def nav(user: Any) -> list[NavItem]:
    if not user.is_authenticated or user.admin_role:  # 三员分立
        return []
    return [
        NavItem("公开目录", reverse("publishing:list"), order=20),
        NavItem("待办（目录）", reverse("publishing:queue"), order=21),
        NavItem("变更与删除", reverse("publishing:changes"), order=22),
        NavItem("公开指南", reverse("publishing:guides"), order=23),
    ]


def queue(user: Any) -> list[QueueItem]:
    if user.is_audit_admin or not user.is_authenticated or user.admin_role:
        return []
    from gongkai.publishing import work

    w = work.work_for(user)
    url = reverse("publishing:queue")
    items = [
        QueueItem("待我审核的信息", len(w["to_review"]), url),
        QueueItem("被退回待修改", len(w["returned"]), url, urgent=bool(w["returned"])),
        QueueItem("终审通过待发布", len(w["to_publish"]), url),
        QueueItem("待我办理的变更/删除申请", len(w["changes"]), reverse("publishing:changes")),
    ]
    return [i for i in items if i.count]


def alerts(user: Any) -> list[Alert]:
    if user.is_audit_admin or not user.is_authenticated or user.admin_role:
        return []
    from gongkai.publishing.models import CatalogItem

    late = CatalogItem.objects.for_user(user).late().count()
    out = []
    if late:
        out.append(
            Alert(
                f"有 {late} 条信息自生成之日起超过20个工作日才发布。",
                reverse("publishing:list") + "?late=on",
            )
        )
    return out
