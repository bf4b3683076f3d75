"""Idle session timeout (等保: 会话超时)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen", now)
            if now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
            else:
                if now - last > 60:  # write the session at most once a minute
                    request.session["last_seen"] = now
                request.session.setdefault("last_seen", now)
        return self.get_response(request)
