"""Cache-based failure counters for the public status lookup (number + query code).

Three buckets; each failed attempt increments all three, and the lookup answers 429
while any of them is at its limit (even with the right code, so a guesser gets no
oracle):

* per client IP — ``APPLY_LOOKUP_MAX_PER_IP`` (20 per 15 min): one IP cannot spread
  guesses over many numbers;
* per (client IP, number) — ``APPLY_LOOKUP_MAX_PER_NUMBER`` (10 per hour): the low
  limit on guessing one application's code from one place;
* per number across all IPs — ``APPLY_LOOKUP_MAX_PER_NUMBER_GLOBAL`` (200 per hour): the
  backstop against a distributed guess.

Why not one low per-number bucket: then ten wrong codes from anyone would lock the real
applicant out of their own application for an hour (a cheap denial of service). Now one
attacker IP only locks itself out; blocking a number for everybody takes 200 failures in
an hour, i.e. at least 10 distinct IPs each exhausting its own allowance. Brute force
stays hopeless: codes have 32^10 ≈ 1.1e15 values, so even 200 guesses an hour per number
(≈1.8 million a year) find a code with probability ~1.6e-9 a year.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

IP_WINDOW = 15 * 60
NUMBER_WINDOW = 60 * 60


def _limits() -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """(max, window seconds) of the IP, (IP, number) and number buckets."""
    return (
        (int(getattr(settings, "APPLY_LOOKUP_MAX_PER_IP", 20)), IP_WINDOW),
        (int(getattr(settings, "APPLY_LOOKUP_MAX_PER_NUMBER", 10)), NUMBER_WINDOW),
        (int(getattr(settings, "APPLY_LOOKUP_MAX_PER_NUMBER_GLOBAL", 200)), NUMBER_WINDOW),
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _keys(ip: str, number: str) -> tuple[str, str, str]:
    ip_d = _digest(ip)
    no_d = _digest(number.strip().upper())
    return f"ysqgk:fail:ip:{ip_d}", f"ysqgk:fail:ipno:{ip_d}:{no_d}", f"ysqgk:fail:no:{no_d}"


def blocked(ip: str, number: str) -> bool:
    counts = cache.get_many(list(_keys(ip, number)))
    return any(
        (counts.get(key) or 0) >= limit
        for key, (limit, _) in zip(_keys(ip, number), _limits(), strict=True)
    )


def record_failure(ip: str, number: str) -> None:
    for key, (_, window) in zip(_keys(ip, number), _limits(), strict=True):
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
