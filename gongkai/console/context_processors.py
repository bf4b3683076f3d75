from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai.console import panels


def console(request: HttpRequest) -> dict[str, Any]:
    if not request.path.startswith("/console/") or not request.user.is_authenticated:
        return {}
    return {"console_nav": panels.collect("nav", request.user)}
