from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.console.panels import NavItem


def nav(user: Any) -> list[NavItem]:
    if user.is_audit_admin:
        return []
    return [NavItem("机构", reverse("agencies:list"), order=10)]
