from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.console.panels import NavItem


def nav(user: Any) -> list[NavItem]:
    return [NavItem("审计日志", reverse("audit:list"), order=95)] if user.is_audit_admin else []
