"""Rate limits of the API: per client IP (every request) and per token (authenticated ones).

Counted by the shared ``gongkai.lib.ratelimit`` (database or Redis, so the limits hold across
worker processes; the client IP is resolved past ``TRUSTED_PROXIES`` there). Limits come from
settings: ``API_RATE_PER_IP`` (default 300 requests a minute) and ``API_RATE_PER_TOKEN``
(default 120 a minute), window ``API_RATE_WINDOW`` seconds (default 60).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from gongkai.lib import ratelimit


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int


def window() -> int:
    return int(getattr(settings, "API_RATE_WINDOW", 60))


def limit_for(kind: str) -> int:
    if kind == "token":
        return int(getattr(settings, "API_RATE_PER_TOKEN", 120))
    return int(getattr(settings, "API_RATE_PER_IP", 300))


def client_ip(request: Any) -> str:
    return ratelimit.client_ip(request)


def hit(kind: str, ident: str) -> Verdict:
    """Count one request of ``ident`` (an IP, or a token prefix) and say whether it may pass."""
    limit, seconds = limit_for(kind), window()
    count = ratelimit.hit(f"api.request.{kind}", ident, window=seconds)
    return Verdict(count <= limit, limit, max(limit - count, 0), seconds)
