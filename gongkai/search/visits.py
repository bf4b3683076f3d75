"""Visit counting without database writes on the request path.

``record_visit(item_id)`` adds one to a buffer: a Redis hash when ``settings.REDIS_URL`` is
set (shared by every worker process), otherwise a dict in this process. ``flush_visits()``
moves the buffered counts into ``publishing.CatalogItem.visit_count`` in batches of
``UPDATE … SET visit_count = visit_count + n``. It is run by the ``flush_visits``
management command (cron) or the Celery task ``gongkai.search.tasks.flush_visits_task``.

No count is lost across a flush:
* Redis: the live hash is RENAMEd to a per-flush key in one atomic step, so increments that
  arrive during the flush go to a fresh hash; the per-flush key is deleted only after the
  database transaction commits; if the database write fails, the counts are added back.
  A flush that died after the rename leaves its key behind and the next flush picks it up.
* In-process: the dict is swapped under a lock, and merged back if the write fails.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

LIVE_KEY = "gongkai:visits"
FLUSH_PREFIX = "gongkai:visits:flush:"
BATCH = 500

_lock = threading.Lock()
_local: Counter[int] = Counter()
_redis_client: Any = None


def _redis() -> Any:
    """The Redis client when REDIS_URL is configured, else None."""
    global _redis_client
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    if _redis_client is None or getattr(_redis_client, "_gk_url", None) != url:
        import redis

        _redis_client = redis.Redis.from_url(url)
        _redis_client._gk_url = url
    return _redis_client


def record_visit(item_id: int) -> None:
    """Count one visit of a catalog item (no database write)."""
    client = _redis()
    if client is not None:
        client.hincrby(LIVE_KEY, str(int(item_id)), 1)
        return
    with _lock:
        _local[int(item_id)] += 1


def pending_visits(item_id: int) -> int:
    """Visits buffered but not yet flushed (to show an up-to-date 访问次数)."""
    client = _redis()
    if client is not None:
        value = client.hget(LIVE_KEY, str(int(item_id)))
        return int(value or 0)
    with _lock:
        return _local.get(int(item_id), 0)


def _write(counts: dict[int, int]) -> int:
    from gongkai.publishing.models import CatalogItem

    written = 0
    items = sorted(counts.items())
    with transaction.atomic():
        for i in range(0, len(items), BATCH):
            for item_id, n in items[i : i + BATCH]:
                if n > 0 and CatalogItem.objects.filter(pk=item_id).update(
                    visit_count=F("visit_count") + n
                ):
                    written += n
    return written


def flush_visits(*, dry_run: bool = False) -> dict[str, int]:
    """Move buffered counts into the database. Returns {"items": …, "visits": …}.

    Safe to run twice and concurrently with record_visit (see the module docstring).
    """
    client = _redis()
    if client is not None:
        return _flush_redis(client, dry_run=dry_run)
    with _lock:
        counts = dict(_local)
        if not dry_run:
            _local.clear()
    if dry_run or not counts:
        return {"items": len(counts), "visits": sum(counts.values())}
    try:
        _write(counts)
    except Exception:
        with _lock:
            _local.update(counts)
        raise
    return {"items": len(counts), "visits": sum(counts.values())}


def _flush_redis(client: Any, *, dry_run: bool) -> dict[str, int]:
    if dry_run:
        counts = {int(k): int(v) for k, v in client.hgetall(LIVE_KEY).items()}
        return {"items": len(counts), "visits": sum(counts.values())}
    # One flusher at a time: two could otherwise both pick up the same per-flush key.
    with client.lock(LIVE_KEY + ":lock", timeout=300, blocking_timeout=60):
        return _flush_redis_locked(client)


def _flush_redis_locked(client: Any) -> dict[str, int]:
    key = FLUSH_PREFIX + uuid.uuid4().hex
    try:
        client.rename(LIVE_KEY, key)
    except Exception as exc:  # redis.ResponseError: no such key -> nothing buffered
        if "no such key" not in str(exc).lower():
            raise
    items = visits = 0
    for pending in client.scan_iter(match=FLUSH_PREFIX + "*"):
        counts = {int(k): int(v) for k, v in client.hgetall(pending).items()}
        try:
            _write(counts)
        except Exception:
            pipe = client.pipeline()
            for item_id, n in counts.items():
                pipe.hincrby(LIVE_KEY, str(item_id), n)
            pipe.delete(pending)
            pipe.execute()
            raise
        client.delete(pending)
        items += len(counts)
        visits += sum(counts.values())
    return {"items": items, "visits": visits}
