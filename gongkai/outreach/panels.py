from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.console.panels import NavItem


def nav(user: Any) -> list[NavItem]:
    if user.admin_role:  # 三员分立: business pages are not the administrators'
        return []
    return [NavItem("查阅点与活动", reverse("outreach:list", kwargs={"slug": "points"}), order=65)]
