"""Console navigation of the API app (the security administrator's tokens)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.console.panels import NavItem


def nav(user: Any) -> list[NavItem]:
    if not user.is_authenticated or not user.is_security_admin:
        return []
    return [NavItem("接口令牌", reverse("api:tokens"), order=85)]
