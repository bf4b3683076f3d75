"""Rate limits that hold across worker processes, and the client's real IP address.

Usage (any view or service)::

    from gongkai.lib import ratelimit

    ip = ratelimit.client_ip(request)           # proxy-aware, see below
    if not ratelimit.allow("interaction.message.ip", ip, limit=10, window=3600):
        return render(..., status=429)           # "提交过于频繁，请稍后再试。"

    ratelimit.hit(scope, subject, window=...)    # count one event, returns the window's count
    ratelimit.count(scope, subject)              # read without counting
    ratelimit.block(scope, subject, seconds=…)   # a timed ban (e.g. login backoff)
    ratelimit.blocked_for(scope, subject)        # seconds left of the ban, 0 when none
    ratelimit.reset(scope, subject)

``scope`` is a short dotted name of the bucket (``app.what.by``), ``subject`` whatever is
limited (an IP, a user name, an application number); subjects are hashed before they are
stored. Every function takes ``now=`` so tests drive the clock.

Where the counts live (``settings.RATELIMIT_STORE``):

* ``"db"`` (the default without Redis): the ``lib.RateCounter`` table, one atomic
  ``UPDATE … SET count = CASE …`` per hit, so two granian workers (or two servers on one
  database) share the count. The per-process LocMem cache would give every worker its own
  allowance (the 40-for-20 finding of issue 13).
* ``"cache"`` (the default when ``REDIS_URL`` is set): the Redis cache, ``INCR`` is atomic.

Windows are fixed: the first hit opens a window of ``window`` seconds; hits inside it add up;
the first hit after it ends starts a new one. Dead rows are purged now and then on write
(``purge``), so the table stays small without a periodic job.

Client IP (``client_ip``): ``REMOTE_ADDR`` unless it is one of ``settings.TRUSTED_PROXIES``
(IP addresses or CIDR networks). From a trusted proxy, ``X-Forwarded-For`` is walked from the
right, skipping every trusted proxy, and the first address that is not one is the client.
Taking the last entry (as before) made every client ``127.0.0.1`` behind the two nginx layers
of ``deploy/nginx/``; taking the first would let a client choose its own address.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import random
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

PURGE_PROBABILITY = 0.01


# --- keys and clock --------------------------------------------------------------------


def _key(scope: str, subject: str) -> str:
    digest = hashlib.sha256(str(subject).encode("utf-8")).hexdigest()[:40]
    return f"{scope[:70]}:{digest}"


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _store() -> str:
    store = getattr(settings, "RATELIMIT_STORE", "")
    if store:
        return str(store)
    return "cache" if getattr(settings, "REDIS_URL", "") else "db"


# --- the database store ----------------------------------------------------------------


def _db_hit(key: str, window: int, now: dt.datetime) -> int:
    from gongkai.lib.models import RateCounter

    new_expiry = now + dt.timedelta(seconds=window)
    with transaction.atomic():
        for _ in range(3):
            updated = RateCounter.objects.filter(key=key).update(
                count=Case(When(expires_at__lte=now, then=Value(1)), default=F("count") + 1),
                expires_at=Case(
                    When(expires_at__lte=now, then=Value(new_expiry)), default=F("expires_at")
                ),
            )
            if updated:
                break
            try:
                with transaction.atomic():  # a savepoint: a racing insert only undoes this
                    RateCounter.objects.create(key=key, count=1, expires_at=new_expiry)
                break
            except IntegrityError:
                continue
        count = RateCounter.objects.filter(key=key).values_list("count", flat=True).first()
    if random.random() < PURGE_PROBABILITY:  # noqa: S311 - housekeeping, not security
        purge(now=now)
    return int(count or 0)


def _db_count(key: str, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    from gongkai.lib.models import RateCounter

    row = RateCounter.objects.filter(key=key, expires_at__gt=now).values_list("count", "expires_at")
    found = row.first()
    return (int(found[0]), found[1]) if found else (0, None)


def _db_set(key: str, value: int, until: dt.datetime) -> None:
    from gongkai.lib.models import RateCounter

    RateCounter.objects.update_or_create(key=key, defaults={"count": value, "expires_at": until})


def _db_delete(key: str) -> None:
    from gongkai.lib.models import RateCounter

    RateCounter.objects.filter(key=key).delete()


def purge(*, now: dt.datetime | None = None) -> int:
    """Delete the dead counters of the database store; returns how many."""
    from gongkai.lib.models import RateCounter

    deleted, _ = RateCounter.objects.filter(expires_at__lte=_now(now)).delete()
    return deleted


# --- the cache store (Redis) -----------------------------------------------------------
# The cache holds (count, expiry timestamp) under "rl:<key>"; the cache's own timeout
# removes it. The expiry is kept beside the count so that blocked_for() can answer.


def _cache_hit(key: str, window: int, now: dt.datetime) -> int:
    ckey = f"rl:{key}"
    exp = cache.get(f"{ckey}:exp")
    if exp is not None and float(exp) <= now.timestamp():
        cache.delete(ckey)  # the window passed (by the caller's clock, not only Redis's)
    if cache.add(ckey, 1, window):
        cache.set(f"{ckey}:exp", now.timestamp() + window, window)
        return 1
    try:
        return int(cache.incr(ckey))
    except ValueError:  # expired between add and incr
        cache.add(ckey, 1, window)
        cache.set(f"{ckey}:exp", now.timestamp() + window, window)
        return 1


def _cache_count(key: str, now: dt.datetime) -> tuple[int, dt.datetime | None]:
    ckey = f"rl:{key}"
    values = cache.get_many([ckey, f"{ckey}:exp"])
    count = int(values.get(ckey) or 0)
    exp = values.get(f"{ckey}:exp")
    if not count or exp is None or float(exp) <= now.timestamp():
        return 0, None
    return count, dt.datetime.fromtimestamp(float(exp), tz=dt.UTC)


def _cache_set(key: str, value: int, until: dt.datetime, now: dt.datetime) -> None:
    seconds = max(1, int((until - now).total_seconds()) + 1)
    cache.set_many({f"rl:{key}": value, f"rl:{key}:exp": until.timestamp()}, seconds)


def _cache_delete(key: str) -> None:
    cache.delete_many([f"rl:{key}", f"rl:{key}:exp"])


# --- public interface ------------------------------------------------------------------


def hit(scope: str, subject: str, *, window: int, now: dt.datetime | None = None) -> int:
    """Count one event of ``subject`` in bucket ``scope``; the count in the current window."""
    now = _now(now)
    key = _key(scope, subject)
    if _store() == "cache":
        return _cache_hit(key, window, now)
    return _db_hit(key, window, now)


def count(scope: str, subject: str, *, now: dt.datetime | None = None) -> int:
    """The count in the current window, without counting (0 when none or expired)."""
    now = _now(now)
    key = _key(scope, subject)
    found = _cache_count(key, now) if _store() == "cache" else _db_count(key, now)
    return found[0]


def allow(
    scope: str, subject: str, *, limit: int, window: int, now: dt.datetime | None = None
) -> bool:
    """Count one event and say whether it is within ``limit`` per ``window`` seconds."""
    return hit(scope, subject, window=window, now=now) <= limit


def exceeded(scope: str, subject: str, *, limit: int, now: dt.datetime | None = None) -> bool:
    """Whether ``subject`` already used up ``limit`` in the current window (no counting)."""
    return count(scope, subject, now=now) >= limit


def block(scope: str, subject: str, *, seconds: float, now: dt.datetime | None = None) -> None:
    """Ban ``subject`` in ``scope`` for ``seconds`` from ``now`` (replaces an earlier ban)."""
    now = _now(now)
    key = _key(scope, subject)
    until = now + dt.timedelta(seconds=seconds)
    if _store() == "cache":
        _cache_set(key, 1, until, now)
    else:
        _db_set(key, 1, until)


def blocked_for(scope: str, subject: str, *, now: dt.datetime | None = None) -> int:
    """Whole seconds left of a ban set by ``block`` (0: not banned)."""
    now = _now(now)
    key = _key(scope, subject)
    found = _cache_count(key, now) if _store() == "cache" else _db_count(key, now)
    if not found[0] or found[1] is None:
        return 0
    left = (found[1] - now).total_seconds()
    return max(1, int(left + 0.999)) if left > 0 else 0


def reset(scope: str, subject: str) -> None:
    """Forget the bucket (or ban) of ``subject``."""
    key = _key(scope, subject)
    if _store() == "cache":
        _cache_delete(key)
    else:
        _db_delete(key)


# --- the client address ----------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    nets: list[Network] = []
    for entry in proxies:
        try:
            nets.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue  # settings.py documents the format; a typo trusts nobody, not everybody
    return tuple(nets)


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = address.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.9:5566"
        text = text.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def is_trusted_proxy(address: str | None) -> bool:
    """Whether ``address`` is in ``settings.TRUSTED_PROXIES`` (addresses or CIDR networks)."""
    if not address:
        return False
    ip = _parse(address)
    if ip is None:
        return False
    nets = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    return any(ip.version == net.version and ip in net for net in nets)


def client_ip(request: Any) -> str:
    """The client's address: the rightmost ``X-Forwarded-For`` hop that is not a trusted proxy.

    1. ``REMOTE_ADDR`` not a trusted proxy → it is the client (forwarded headers ignored).
    2. Else walk ``X-Forwarded-For`` + ``REMOTE_ADDR`` from the right; every trusted proxy
       is skipped; the first other valid address is the client.
    3. No such header (or only proxies in it) → ``X-Real-IP`` if valid, else the leftmost
       proxy seen.
    """
    meta = getattr(request, "META", {})
    remote = str(meta.get("REMOTE_ADDR", "") or "")[:64]
    if not is_trusted_proxy(remote):
        return remote
    hops = [h for h in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if h.strip()]
    last_proxy = remote
    for hop in reversed(hops):
        ip = _parse(hop)
        if ip is None:
            break  # garbage from behind the proxies: the last proxy is all we know
        if not is_trusted_proxy(str(ip)):
            return str(ip)
        last_proxy = str(ip)
    real = _parse(str(meta.get("HTTP_X_REAL_IP", "")))
    if real is not None and not hops:
        return str(real)
    return last_proxy
