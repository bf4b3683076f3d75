from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongkai.console.panels import NavItem


def nav(user: Any) -> list[NavItem]:
    return (
        [NavItem("用户与岗位", reverse("accounts:user_list"), order=90)]
        if user.is_security_admin
        else []
    )
