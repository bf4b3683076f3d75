from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.console.panels import NavItem, QueueItem


def nav(user: Any) -> list[NavItem]:
    if user.admin_role:  # 三员分立: business pages are not the administrators'
        return []
    return [NavItem("复议诉讼投诉", reverse("remedies:list", kwargs={"slug": "cases"}), order=60)]


def queue(user: Any) -> list[QueueItem]:
    """Pending review/litigation cases and open complaints of the agencies the user sees."""
    from gongkai.remedies.models import Complaint, RemedyCase

    if user.is_audit_admin or user.admin_role:
        return []
    items = []
    pending = RemedyCase.objects.for_user(user).filter(outcome="pending").count()
    if pending:
        items.append(
            QueueItem("尚未审结的复议、诉讼案件", pending, reverse("remedies:list", args=["cases"]))
        )
    open_complaints = Complaint.objects.for_user(user).filter(status="open").count()
    if open_complaints:
        items.append(
            QueueItem(
                "办理中的投诉、举报和申诉",
                open_complaints,
                reverse("remedies:list", args=["complaints"]),
            )
        )
    return items
