"""Failure counters for the public status lookup (number + query code), in the shared store.

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

from django.conf import settings

from gongkai.lib import ratelimit
from gongkai.lib.ratelimit import client_ip

__all__ = ["blocked", "client_ip", "form_allowed", "record_failure"]

IP_WINDOW = 15 * 60
NUMBER_WINDOW = 60 * 60
FORM_WINDOW = 60 * 60
SCOPES = ("applications.lookup.ip", "applications.lookup.ipno", "applications.lookup.no")


def _limits() -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """(max, window seconds) of the IP, (IP, number) and number buckets."""
    return (
        (int(getattr(settings, "APPLY_LOOKUP_MAX_PER_IP", 20)), IP_WINDOW),
        (int(getattr(settings, "APPLY_LOOKUP_MAX_PER_NUMBER", 10)), NUMBER_WINDOW),
        (int(getattr(settings, "APPLY_LOOKUP_MAX_PER_NUMBER_GLOBAL", 200)), NUMBER_WINDOW),
    )


def _subjects(ip: str, number: str) -> tuple[str, str, str]:
    number = number.strip().upper()
    return ip, f"{ip}|{number}", number


def blocked(ip: str, number: str) -> bool:
    return any(
        ratelimit.exceeded(scope, subject, limit=limit)
        for scope, subject, (limit, _) in zip(SCOPES, _subjects(ip, number), _limits(), strict=True)
    )


def record_failure(ip: str, number: str) -> None:
    for scope, subject, (_, window) in zip(SCOPES, _subjects(ip, number), _limits(), strict=True):
        ratelimit.hit(scope, subject, window=window)


def form_allowed(ip: str) -> bool:
    """Count one POST of the online form from ``ip``; False past ``APPLY_FORM_MAX_PER_IP``
    (20 an hour: a family or an office behind one address files a few, a flood is cut)."""
    limit = int(getattr(settings, "APPLY_FORM_MAX_PER_IP", 20))
    return ratelimit.allow("applications.form.ip", ip, limit=limit, window=FORM_WINDOW)
