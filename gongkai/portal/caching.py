"""Conditional GET, Cache-Control and a page cache for anonymous portal pages.

* Every published-content change (the search index is told about each one by publishing)
  bumps a content version (``content_changed``). The version is part of the page-cache key
  and of Last-Modified, so a change invalidates every cached page at once.
* Anonymous GETs (no session cookie) are served from Django's cache when present and
  carry ``Cache-Control: public, max-age=…`` so the nginx cache in front
  (deploy/nginx/portal-cache.conf) may keep them; signed-in users get ``private, no-cache``.
* ETag is a hash of the body, Last-Modified the content version's time; a matching
  If-None-Match / If-Modified-Since gets a 304.
* ``cached_count`` keeps the row counts of list pages (the paginator's ``COUNT(*)``) under the
  same version, until the next moment an item's visibility changes by the clock alone.
* After a change, ``purge_urls`` asks nginx to refresh the affected pages (a GET with the
  ``X-Portal-Purge`` header, which nginx accepts from localhost only and answers by
  bypassing and replacing its cache entry). Set ``PORTAL_PURGE_BASE`` (e.g.
  ``http://127.0.0.1:8080``) to enable it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

log = logging.getLogger(__name__)

VERSION_KEY = "portal:content-version"


def _shared_cache() -> bool:
    """Is Django's cache shared between worker processes (Redis), or per process (locmem)?"""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return "locmem" not in backend.lower() and "dummy" not in backend.lower()


def _version_file() -> Path:
    path = getattr(settings, "PORTAL_CONTENT_VERSION_FILE", "")
    return Path(path) if path else Path(settings.VAR_DIR) / "portal-content-version"


def content_version() -> int:
    """Nanosecond timestamp of the last published-content change.

    Kept in the cache when it is shared (Redis); with the per-process locmem cache it is the
    modification time of a file under VAR_DIR, so every worker process on the machine sees
    a change at once (one stat() per request).
    """
    if not _shared_cache():
        try:
            return _version_file().stat().st_mtime_ns
        except FileNotFoundError:
            _touch_version_file()
            return _version_file().stat().st_mtime_ns
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return int(version)


def _touch_version_file() -> None:
    path = _version_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    now = time.time_ns()
    try:
        previous = path.stat().st_mtime_ns
    except FileNotFoundError:  # pragma: no cover - removed concurrently
        previous = 0
    stamp = max(now, previous + 1)
    os.utime(path, ns=(stamp, stamp))


def content_changed(keys: list[str] | None = None) -> None:
    """Invalidate every cached page (new version) and purge nginx for the affected URLs."""
    if _shared_cache():
        cache.set(VERSION_KEY, max(time.time_ns(), content_version() + 1), None)
    else:
        _touch_version_file()
    if getattr(settings, "PORTAL_PURGE_BASE", ""):
        purge_urls(affected_urls(keys or []))


def _visibility_boundary(version: int, now: float) -> float:
    """The next time (epoch seconds) at which an item becomes or stops being public without a
    content change (a future ``published_at`` or ``expire_at``); ``inf`` when there is none.
    One aggregate query per content version (and per boundary passed)."""
    key = f"portal:boundary:{version}"
    boundary = cache.get(key)
    if boundary is None or boundary <= now:
        from gongkai.publishing.models import CatalogItem

        at = dt.datetime.fromtimestamp(now, tz=dt.UTC)
        found = CatalogItem.objects.filter(status="published").aggregate(
            p=Min("published_at", filter=Q(published_at__gt=at)),
            e=Min("expire_at", filter=Q(expire_at__gt=at)),
        )
        times = [t.timestamp() for t in found.values() if t is not None]
        boundary = min(times, default=float("inf"))
        cache.set(key, boundary, getattr(settings, "PORTAL_CACHE_SECONDS", 300))
    return float(boundary)


def cached_count(queryset: Any, key: str) -> int:
    """``queryset.count()`` of public items, cached per content version and ``key`` (the
    list's filters). Exact: a content change makes a new version, and an entry is not used
    past the next clock-driven visibility change (``_visibility_boundary``)."""
    version = content_version()
    now = time.time()
    boundary = _visibility_boundary(version, now)
    cache_key = "portal:count:" + hashlib.sha256(f"{version}|{key}".encode()).hexdigest()
    hit = cache.get(cache_key)
    if hit is not None and hit[1] == boundary and now < boundary:
        return int(hit[0])
    count = queryset.count()
    cache.set(cache_key, (count, boundary), getattr(settings, "PORTAL_CACHE_SECONDS", 300))
    return int(count)


def affected_urls(keys: list[str]) -> list[str]:
    """The anonymous pages that show the changed documents (``catalog:<id>`` from the search
    index's change hook, ``guide:<agency code>`` from publishing's guide hook)."""
    from django.urls import reverse

    urls = [reverse("portal:home"), reverse("portal:sitemap")]
    for name in ("catalog", "notices", "news", "rules"):
        urls.append(reverse(f"portal:{name}"))
        urls.append(reverse("portal:feed", kwargs={"column": name, "fmt": "rss"}))
        urls.append(reverse("portal:feed", kwargs={"column": name, "fmt": "atom"}))
    for key in keys:
        kind, _, pk = key.partition(":")
        if kind == "catalog" and pk.isdigit():
            urls.append(reverse("portal:item", kwargs={"pk": int(pk)}))
        elif kind == "guide" and pk:  # "guide:<agency code>": the list and the agency's guide
            urls.append(reverse("portal:guides"))
            urls.append(reverse("portal:guide", kwargs={"code": pk}))
    return list(dict.fromkeys(urls))


def purge_urls(urls: list[str]) -> int:
    """Ask nginx to refresh ``urls`` (both 适老化 variants). Failures are logged, not raised:
    the short max-age bounds staleness anyway."""
    import urllib.request

    base = str(getattr(settings, "PORTAL_PURGE_BASE", "")).rstrip("/")
    done = 0
    for url in urls:
        for elder in ("", "elder=1"):
            req = urllib.request.Request(  # noqa: S310 - operator-configured http URL
                base + url, headers={"X-Portal-Purge": "1", "Cookie": elder}
            )
            try:
                with urllib.request.urlopen(req, timeout=2) as resp:  # noqa: S310 - operator-configured URL
                    resp.read(0)
                done += 1
            except Exception as exc:  # noqa: BLE001
                log.warning("nginx purge of %s failed: %s", url, exc)
    return done


def is_anonymous(request: HttpRequest) -> bool:
    """No session cookie: the page cannot depend on a user (checked without loading a session)."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def cached_page(
    timeout: int | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a public GET view: page cache for anonymous users, validators, Cache-Control."""
    ttl = timeout if timeout is not None else getattr(settings, "PORTAL_CACHE_SECONDS", 300)
    max_age = getattr(settings, "PORTAL_MAX_AGE", 60)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            anonymous = is_anonymous(request)
            version = content_version()
            key = ""
            response: HttpResponse | None = None
            if anonymous and ttl and getattr(settings, "PORTAL_PAGE_CACHE", True):
                elder = request.COOKIES.get("elder") == "1"
                raw = f"{version}|{int(elder)}|{request.get_full_path()}"
                key = "portal:page:" + hashlib.sha256(raw.encode()).hexdigest()
                hit = cache.get(key)
                if hit is not None:
                    status, content_type, content = hit
                    response = HttpResponse(content, status=status, content_type=content_type)
                    response["X-Portal-Cache"] = "hit"
            if response is None:
                response = view(request, *args, **kwargs)
                if (
                    key
                    and response.status_code == 200
                    and not response.streaming
                    and not response.cookies
                ):
                    cache.set(
                        key, (response.status_code, response["Content-Type"], response.content), ttl
                    )
                    response["X-Portal-Cache"] = "miss"
            return finish(request, response, version=version, anonymous=anonymous, max_age=max_age)

        return wrapper

    return decorator


def finish(
    request: HttpRequest, response: HttpResponse, *, version: int, anonymous: bool, max_age: int
) -> HttpResponse:
    """Add validators and Cache-Control; turn a matching conditional GET into a 304."""
    patch_vary_headers(response, ["Cookie"])
    if response.status_code != 200 or response.streaming:
        response.setdefault("Cache-Control", "no-cache")
        return response
    etag = '"' + hashlib.md5(response.content, usedforsecurity=False).hexdigest() + '"'
    last_modified = version // 1_000_000_000
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age={max_age}" if anonymous else "private, no-cache"
    conditional = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    return conditional if conditional is not None else response
