from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.console.panels import NavItem
from gongkai.search.permissions import can_manage_search


def nav(user: Any) -> list[NavItem]:
    if not can_manage_search(user):
        return []
    return [NavItem("检索索引", reverse("search:status"), order=80)]
