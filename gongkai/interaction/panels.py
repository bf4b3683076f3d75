"""Console shell contributions: nav, the 留言 due-soon/overdue queue, alerts (overdue 留言,
important policies without an interpretation after 3 working days)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gongkai.console.panels import Alert, NavItem, QueueItem


def _staff(user: Any) -> bool:
    return not user.admin_role and bool(user.active_memberships)


def nav(user: Any) -> list[NavItem]:
    if not _staff(user):
        return []
    return [NavItem("互动交流", reverse("interaction:home"), order=45)]


def queue(user: Any) -> list[QueueItem]:
    if not _staff(user):
        return []
    from gongkai.interaction.models import Question

    today = timezone.localdate()
    qs = Question.objects.for_user(user)
    url = reverse("interaction:questions")
    return [
        QueueItem(
            "网上留言：待分办", qs.filter(status="submitted").count(), f"{url}?status=submitted"
        ),
        QueueItem(
            "网上留言：答复待审核", qs.filter(status="answered").count(), f"{url}?status=answered"
        ),
        QueueItem(
            "网上留言：2日内到期",
            qs.due_soon(today, today + dt.timedelta(days=2)).count(),
            f"{url}?due=soon",
        ),
        QueueItem("网上留言：已超期", qs.overdue(today).count(), f"{url}?due=overdue", urgent=True),
    ]


def alerts(user: Any) -> list[Alert]:
    if not _staff(user):
        return []
    from gongkai.agencies.querysets import visible_agency_ids
    from gongkai.interaction.models import Question
    from gongkai.interaction.services import policies_missing_interpretation

    out = []
    overdue = Question.objects.for_user(user).overdue(timezone.localdate()).count()
    if overdue:
        out.append(
            Alert(
                f"有{overdue}件网上留言已超过答复期限。",
                reverse("interaction:questions") + "?due=overdue",
                "error",
            )
        )
    missing = len(policies_missing_interpretation(agency_ids=visible_agency_ids(user)))
    if missing:
        out.append(
            Alert(
                f"有{missing}件重要政策文件发布已超过3个工作日仍无政策解读。",
                reverse("interaction:interpretations"),
            )
        )
    return out
