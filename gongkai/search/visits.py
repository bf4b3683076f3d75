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

Behind the nginx cache (deploy/nginx/portal-cache.conf) Django does not see cached hits, so
nginx writes one line per counted item view to a visit log and ``ingest_visit_log(path)``
(management command ``ingest_visit_log``, Celery task ``search.ingest_visit_log``) adds
the lines to ``visit_count``; nginx marks the requests it proxies with
``X-Gongkai-Visit-Counted: log`` so the item view does not count them a second time.
See ``ingest_visit_log`` for the crash-safety and log-rotation rules.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import re
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F

log = logging.getLogger(__name__)

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
    """Add ``counts`` ({item id: visits}) to ``visit_count``: one ``UPDATE … WHERE id IN``
    per distinct count and batch (most items have the same small count), in one transaction.
    Returns the visits that reached an existing item."""
    from gongkai.publishing.models import CatalogItem

    by_count: dict[int, list[int]] = defaultdict(list)
    for item_id, n in counts.items():
        if n > 0:
            by_count[n].append(item_id)
    written = 0
    with transaction.atomic():
        for n, ids in sorted(by_count.items()):
            ids.sort()
            for i in range(0, len(ids), BATCH):
                updated = CatalogItem.objects.filter(pk__in=ids[i : i + BATCH]).update(
                    visit_count=F("visit_count") + n
                )
                written += updated * n
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


# --- the nginx visit log ------------------------------------------------------------------

# One line per counted item view, written by nginx's ``log_format gongkai_visits``:
# ``$msec $request_id $gongkai_visit_item $status``, e.g.
# ``1764300000.123 0f6c3c1e9d2b4a5f8e7d6c5b4a392817 1234 200``. The random request id
# makes every file's first line (its fingerprint) unique.
LOG_LINE_RE = re.compile(rb"^\d{9,11}\.\d{3} [0-9a-f]{32} (\d{1,18}) (?:200|304)$")
CHUNK_BYTES = 1 << 20  # lines read (and committed) per transaction
SETTLE_SECONDS = 30.0  # a rotated log untouched this long is finished


def parse_visit_lines(data: bytes) -> tuple[Counter[int], int]:
    """Count item ids in complete log lines; returns (visits per item, malformed lines).

    A malformed line (wrong shape, another status, an id that is not a number) is skipped and
    counted, never raised: a damaged log must not stop the counting."""
    counts: Counter[int] = Counter()
    malformed = 0
    for line in data.split(b"\n"):
        if not line:
            continue
        match = LOG_LINE_RE.match(line.rstrip(b"\r"))
        if match is None:
            malformed += 1
        else:
            counts[int(match.group(1))] += 1
    return counts, malformed


def _open(path: Path) -> IO[bytes]:
    """The log, or a rotated copy logrotate already compressed."""
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _fingerprint(path: Path) -> str:
    """SHA-256 of the file's first complete line, or "" while it has none (or is unreadable)."""
    try:
        with _open(path) as handle:
            first = handle.readline(64 * 1024)
    except (OSError, EOFError):
        return ""
    return hashlib.sha256(first).hexdigest() if first.endswith(b"\n") else ""


def _rotated_candidates(path: Path) -> list[Path]:
    """Files logrotate may have made of ``path``: ``name.1``, ``name.2.gz``, ``name-20261128``…"""
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        return []
    return sorted(
        (
            p
            for p in siblings
            if p.name != path.name and p.name.startswith(path.name) and p.is_file()
        ),
        key=lambda p: p.name,
    )


def _holds(cursor: Any, path: Path, fingerprint: str) -> bool:
    """Is ``path`` the file the cursor points into?

    With a fingerprint: same first line and at least ``offset`` bytes (a file truncated by
    copytruncate and written again has another first line, or is shorter). Without one (the
    file had no complete line, so the offset is 0): same inode, or a cursor never used."""
    if cursor.fingerprint:
        if fingerprint != cursor.fingerprint:
            return False
        if path.suffix == ".gz":
            return True  # the size is checked while reading
        try:
            return path.stat().st_size >= cursor.offset
        except OSError:
            return False
    try:
        return cursor.inode == 0 or path.stat().st_ino == cursor.inode
    except OSError:
        return False


def _read_chunk(path: Path, offset: int, limit: int) -> tuple[bytes, bool]:
    """Complete lines from ``offset`` (about ``limit`` bytes, at least one line when there is
    one), and whether that is all the file has (a partly written last line stays unread)."""
    with _open(path) as handle:
        handle.seek(offset)
        data = handle.read(limit)
        more = len(data) == limit
        if more and b"\n" not in data:  # one absurdly long line: read on to its end
            data += handle.readline()
            more = data.endswith(b"\n")
    return data[: data.rfind(b"\n") + 1], not more


def ingest_visit_log(
    path: str | os.PathLike[str],
    *,
    dry_run: bool = False,
    chunk_bytes: int = CHUNK_BYTES,
    settle_seconds: float = SETTLE_SECONDS,
) -> dict[str, int]:
    """Add the visits of nginx's visit log at ``path`` to ``CatalogItem.visit_count``.

    Returns {"lines", "visits", "items", "malformed", "unknown", "lost_files"} for this run
    (``unknown``: lines of item ids that no longer exist; ``lost_files``: rotated files that
    could not be found again, whose unread lines are therefore not counted).

    1. Lock the path's ``VisitLogCursor`` row (select_for_update; SQLite transactions are
       IMMEDIATE), so two runs (cron and beat) never read the same lines.
    2. Find the file the cursor points into: the log itself when its first line still has
       the cursor's fingerprint; otherwise the log was rotated, and the file is the rotated
       sibling (``name.1``, ``name.1.gz``, ``name-DATE``) with that fingerprint (renamed:
       same inode; copytruncate: a copy). Finish it, then start the new log at 0 — but
       only once the rotated file has not been written for ``settle_seconds`` (nginx
       writes to a renamed file until logrotate's USR1 makes it reopen the log). If no
       sibling matches, count it in ``lost_files`` and start the new log at 0.
    3. Read up to ``chunk_bytes`` of complete lines from the offset (a partly written last
       line is left for the next run), count them, and in ONE transaction add the counts
       and move the cursor past those lines. A crash before the commit leaves both
       unchanged (the lines are read again); after it, both are stored. The counts go
       straight to the database rather than to the Redis buffer because only one database
       transaction can make "counted" and "offset saved" a single event.
    4. Repeat until the log has no unread complete line.

    Idempotent: a second run finds nothing new. ``dry_run`` counts without writing.
    """
    from gongkai.search.models import VisitLogCursor

    log_path = Path(path)
    key = os.path.abspath(log_path)
    result = dict.fromkeys(("lines", "visits", "items", "malformed", "unknown", "lost_files"), 0)
    items: set[int] = set()
    if dry_run:
        preview = VisitLogCursor.objects.filter(path=key).first() or VisitLogCursor(path=key)
    else:
        VisitLogCursor.objects.get_or_create(path=key)
    done = False
    while not done:
        with transaction.atomic():
            cursor = (
                preview if dry_run else VisitLogCursor.objects.select_for_update().get(path=key)
            )
            done = _ingest_step(
                cursor, log_path, chunk_bytes, settle_seconds, result, items, dry_run=dry_run
            )
    result["items"] = len(items)
    return result


def _ingest_step(
    cursor: Any,
    log_path: Path,
    chunk_bytes: int,
    settle_seconds: float,
    result: dict[str, int],
    items: set[int],
    *,
    dry_run: bool,
) -> bool:
    """One transaction of ``ingest_visit_log``; True when there is nothing more to read."""
    if not log_path.exists():
        return True
    current_fp = _fingerprint(log_path)
    source = log_path
    rotated = not _holds(cursor, log_path, current_fp)
    if rotated:
        found = next(
            (p for p in _rotated_candidates(log_path) if _holds(cursor, p, _fingerprint(p))),
            None,
        )
        if found is None:
            log.warning(
                "visit log %s was rotated and the rotated file (from byte %d) was not found; "
                "its unread lines are not counted",
                log_path,
                cursor.offset,
            )
            result["lost_files"] += 1
            cursor.lost_files += 1
            _move(cursor, log_path, current_fp, dry_run=dry_run)
            return False
        source = found
    if not cursor.fingerprint:
        cursor.fingerprint = _fingerprint(source)
        cursor.inode = source.stat().st_ino
    try:
        data, at_end = _read_chunk(source, cursor.offset, chunk_bytes)
    except EOFError:  # a truncated .gz: take it as ended
        data, at_end = b"", True
    counts, malformed = parse_visit_lines(data)
    lines = sum(counts.values())
    result["lines"] += lines
    result["malformed"] += malformed
    items.update(counts)
    if not dry_run:
        written = _write(dict(counts))
        result["visits"] += written
        result["unknown"] += lines - written
    else:
        result["visits"] += lines
    cursor.offset += len(data)
    cursor.lines += lines
    cursor.malformed += malformed
    if rotated and at_end and time.time() - source.stat().st_mtime >= settle_seconds:
        _move(cursor, log_path, current_fp, dry_run=dry_run)  # saves
        return False
    if not dry_run:
        cursor.save()
    return at_end


def _move(cursor: Any, log_path: Path, fingerprint: str, *, dry_run: bool) -> None:
    """Point the cursor at the start of the (new) log file."""
    cursor.fingerprint = fingerprint
    try:
        cursor.inode = log_path.stat().st_ino
    except OSError:
        cursor.inode = 0
    cursor.offset = 0
    if not dry_run:
        cursor.save()
