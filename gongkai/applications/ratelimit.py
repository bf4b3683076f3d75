"""Cache-based failure counters for the public status lookup (number + query code).

Two buckets: per client IP and per application number. Each failed attempt increments
both; once either reaches its limit within its window the lookup answers 429 until the
window expires — even with the right code, so guessing cannot be parallelised across
numbers from one IP or across IPs against one number. Limits are settings:
``APPLY_LOOKUP_MAX_PER_IP`` (20 per 15 min), ``APPLY_LOOKUP_MAX_PER_NUMBER`` (10 per hour).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _limits() -> tuple[tuple[int, int], tuple[int, int]]:
    return (
        (int(getattr(settings, "APPLY_LOOKUP_MAX_PER_IP", 20)), 15 * 60),
        (int(getattr(settings, "APPLY_LOOKUP_MAX_PER_NUMBER", 10)), 60 * 60),
    )


def _keys(ip: str, number: str) -> tuple[str, str]:
    n = hashlib.sha256(number.strip().upper().encode("utf-8")).hexdigest()[:32]
    return f"ysqgk:fail:ip:{ip}", f"ysqgk:fail:no:{n}"


def blocked(ip: str, number: str) -> bool:
    (ip_max, _), (no_max, _) = _limits()
    k_ip, k_no = _keys(ip, number)
    return (cache.get(k_ip) or 0) >= ip_max or (cache.get(k_no) or 0) >= no_max


def record_failure(ip: str, number: str) -> None:
    (_, ip_win), (_, no_win) = _limits()
    for key, window in zip(_keys(ip, number), (ip_win, no_win), strict=True):
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, window)


def client_ip(request: object) -> str:
    meta = getattr(request, "META", {})
    if (
        getattr(settings, "TRUSTED_PROXIES", None)
        and meta.get("REMOTE_ADDR") in settings.TRUSTED_PROXIES
    ):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()[:64]
    return str(meta.get("REMOTE_ADDR", ""))[:64]
