"""Buffered visit counting: no database write per visit, nothing lost across a flush."""

from __future__ import annotations

import gzip
import shutil
import tempfile
import threading
import time
import uuid
from io import StringIO
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext

from gongkai.search import visits
from gongkai.search.models import VisitLogCursor
from gongkai.search.tests.factories import make_item
from gongkai.test import BaseTestCase


class InProcessVisitsTest(BaseTestCase):
    def setUp(self) -> None:
        visits.flush_visits()  # start from an empty buffer

    def test_it_counts_without_writing_to_the_database(self) -> None:
        item = make_item(self.agency_a)
        with self.assertNumQueries(0):
            for _ in range(5):
                visits.record_visit(item.pk)
        self.assertEqual(visits.pending_visits(item.pk), 5)
        item.refresh_from_db()
        self.assertEqual(item.visit_count, 0)

    def test_it_flushes_in_batches(self) -> None:
        items = [make_item(self.agency_a, title=f"条目{i}") for i in range(3)]
        for n, item in enumerate(items, start=1):
            for _ in range(n):
                visits.record_visit(item.pk)
        self.assertEqual(visits.flush_visits(), {"items": 3, "visits": 6})
        self.assertEqual(
            [
                i.visit_count
                for i in type(items[0]).objects.filter(pk__in=[i.pk for i in items]).order_by("pk")
            ],
            [1, 2, 3],
        )
        self.assertEqual(visits.flush_visits(), {"items": 0, "visits": 0})  # safe to run twice

    def test_it_loses_no_count_across_concurrent_flushes(self) -> None:
        item = make_item(self.agency_a)
        per_thread, threads_n = 2000, 4
        stop = threading.Event()

        def hammer() -> None:
            for _ in range(per_thread):
                visits.record_visit(item.pk)

        threads = [threading.Thread(target=hammer) for _ in range(threads_n)]
        for t in threads:
            t.start()
        flushed = 0
        while any(t.is_alive() for t in threads):
            flushed += visits.flush_visits()["visits"]
        stop.set()
        flushed += visits.flush_visits()["visits"]
        item.refresh_from_db()
        self.assertEqual(flushed, per_thread * threads_n)
        self.assertEqual(item.visit_count, per_thread * threads_n)

    def test_it_puts_counts_back_when_the_write_fails(self) -> None:
        item = make_item(self.agency_a)
        visits.record_visit(item.pk)
        from unittest import mock

        with (
            mock.patch.object(visits, "_write", side_effect=RuntimeError("db down")),
            self.assertRaises(RuntimeError),
        ):
            visits.flush_visits()
        self.assertEqual(visits.pending_visits(item.pk), 1)
        visits.flush_visits()
        item.refresh_from_db()
        self.assertEqual(item.visit_count, 1)

    def test_it_has_a_management_command_with_dry_run(self) -> None:
        item = make_item(self.agency_a)
        visits.record_visit(item.pk)
        from io import StringIO

        out = StringIO()
        call_command("flush_visits", "--dry-run", stdout=out)
        self.assertIn("待写入：1 条信息，1 次访问", out.getvalue())
        call_command("flush_visits", stdout=out)
        item.refresh_from_db()
        self.assertEqual(item.visit_count, 1)


@pytest.mark.redis
class RedisVisitsTest(BaseTestCase):
    def setUp(self) -> None:
        import os

        import redis

        self.url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
        try:
            redis.Redis.from_url(self.url).ping()
        except Exception:  # noqa: BLE001
            from gongkai.lib.testing import require_system

            require_system(
                "Redis (TEST_REDIS_URL)", False, "start redis-server (.ci/run does this)"
            )
        redis.Redis.from_url(self.url).delete(visits.LIVE_KEY)

    def test_it_loses_no_count_across_flushes_in_redis(self) -> None:
        item = make_item(self.agency_a)
        with override_settings(REDIS_URL=self.url):
            per_thread, threads_n = 500, 4

            def hammer() -> None:
                for _ in range(per_thread):
                    visits.record_visit(item.pk)

            threads = [threading.Thread(target=hammer) for _ in range(threads_n)]
            for t in threads:
                t.start()
            flushed = 0
            while any(t.is_alive() for t in threads):
                flushed += visits.flush_visits()["visits"]
            for t in threads:
                t.join()
            flushed += visits.flush_visits()["visits"]
        item.refresh_from_db()
        self.assertEqual(flushed, per_thread * threads_n)
        self.assertEqual(item.visit_count, per_thread * threads_n)


class VisitLogTest(BaseTestCase):
    """``ingest_visit_log``: nginx's visit log counted once, across runs, crashes and rotation."""

    def setUp(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="gk-visit-log-"))
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.log = self.dir / "gongkai-visits.log"
        self.a = make_item(self.agency_a, title="甲")
        self.b = make_item(self.agency_a, title="乙")

    def write(self, *item_ids: int, path: Path | None = None, status: int = 200) -> None:
        with (path or self.log).open("ab") as f:
            for item_id in item_ids:
                f.write(f"{time.time():.3f} {uuid.uuid4().hex} {item_id} {status}\n".encode())

    def counts(self) -> tuple[int, int]:
        self.a.refresh_from_db()
        self.b.refresh_from_db()
        return self.a.visit_count, self.b.visit_count

    def ingest(self, **kwargs: Any) -> dict[str, int]:
        return visits.ingest_visit_log(self.log, settle_seconds=0, **kwargs)

    def test_it_parses_lines_and_skips_malformed_ones(self) -> None:
        good = f"1764300000.123 {'a' * 32} 42 200\n1764300000.124 {'b' * 32} 42 304\n"
        bad = (
            "garbage\n"
            f"1764300000.125 {'c' * 32} 42 404\n"  # only 200/304 count
            f"1764300000.126 {'d' * 32} abc 200\n"
            f"1764300000 {'e' * 32} 42 200\n"
            "\xff\xfe\n"
        )
        counts, malformed = visits.parse_visit_lines((good + bad).encode("latin-1"))
        self.assertEqual((dict(counts), malformed), ({42: 2}, 5))

    def test_it_counts_and_resumes_at_the_saved_offset(self) -> None:
        self.write(self.a.pk, self.a.pk, self.b.pk)
        with CaptureQueriesContext(connection) as queries:
            result = self.ingest()
        updates = [q for q in queries if q["sql"].startswith('UPDATE "publishing_catalogitem"')]
        self.assertEqual(len(updates), 2)  # one per distinct count (+2, +1), not per line
        self.assertEqual((result["lines"], result["visits"], result["items"]), (3, 3, 2))
        self.assertEqual(self.counts(), (2, 1))
        self.write(self.b.pk)
        self.assertEqual(self.ingest()["visits"], 1)
        self.assertEqual(self.counts(), (2, 2))
        cursor = VisitLogCursor.objects.get()
        self.assertEqual((cursor.offset, cursor.lines), (self.log.stat().st_size, 4))

    def test_it_is_idempotent_when_run_twice(self) -> None:
        self.write(self.a.pk)
        self.ingest()
        self.assertEqual(self.ingest()["lines"], 0)
        call_command("ingest_visit_log", "--log", str(self.log), stdout=StringIO())
        self.assertEqual(self.counts(), (1, 0))

    def test_it_leaves_a_partly_written_line_for_the_next_run(self) -> None:
        self.write(self.a.pk)
        with self.log.open("ab") as f:
            f.write(f"1764300000.123 {'f' * 32} {self.b.pk} 2".encode())
        self.assertEqual(self.ingest()["lines"], 1)
        with self.log.open("ab") as f:
            f.write(b"00\n")
        self.assertEqual(self.ingest()["lines"], 1)  # the line, now complete
        self.assertEqual(self.ingest()["lines"], 0)
        self.assertEqual(self.counts(), (1, 1))

    def test_it_keeps_the_offset_when_the_counts_cannot_be_stored(self) -> None:
        self.write(self.a.pk, self.b.pk)
        with (
            mock.patch.object(visits, "_write", side_effect=RuntimeError("db down")),
            self.assertRaises(RuntimeError),
        ):
            self.ingest()
        self.assertEqual(VisitLogCursor.objects.get().offset, 0)  # rolled back with the counts
        self.ingest()
        self.assertEqual(self.counts(), (1, 1))

    def test_it_commits_in_chunks_and_skips_malformed_lines(self) -> None:
        self.write(*([self.a.pk] * 50))
        with self.log.open("ab") as f:
            f.write(b"not a visit\n")
        self.write(*([self.b.pk] * 50))
        result = self.ingest(chunk_bytes=300)
        self.assertEqual((result["visits"], result["malformed"]), (100, 1))
        self.assertEqual(self.counts(), (50, 50))
        self.assertEqual(VisitLogCursor.objects.get().malformed, 1)

    def test_it_follows_a_renamed_log(self) -> None:
        """logrotate's default: rename to .1 (nginx writes on until USR1), create a new log."""
        self.write(self.a.pk)
        self.ingest()
        self.write(self.a.pk, self.a.pk)  # not yet read when the log is rotated
        self.log.rename(self.dir / "gongkai-visits.log.1")
        self.write(self.b.pk, path=self.dir / "gongkai-visits.log.1")  # before nginx reopened
        self.write(self.b.pk, self.b.pk)  # the new log
        result = self.ingest()
        self.assertEqual((result["visits"], result["lost_files"]), (5, 0))
        self.assertEqual(self.counts(), (3, 3))
        self.write(self.a.pk)
        self.assertEqual(self.ingest()["visits"], 1)
        self.assertEqual(self.ingest()["visits"], 0)

    def test_it_waits_for_nginx_to_leave_a_renamed_log(self) -> None:
        self.write(self.a.pk)
        self.ingest()
        self.log.rename(self.dir / "gongkai-visits.log.1")
        self.write(self.b.pk)
        self.assertEqual(visits.ingest_visit_log(self.log, settle_seconds=60)["visits"], 0)
        self.write(self.a.pk, path=self.dir / "gongkai-visits.log.1")  # still written to
        self.assertEqual(visits.ingest_visit_log(self.log, settle_seconds=60)["visits"], 1)
        self.assertEqual(self.ingest()["visits"], 1)  # settled: on to the new log
        self.assertEqual(self.counts(), (2, 1))

    def test_it_follows_a_copied_and_truncated_log(self) -> None:
        """logrotate's copytruncate: same inode, emptied; the copy has the unread lines."""
        self.write(self.a.pk)
        self.ingest()
        self.write(self.a.pk, self.b.pk)
        shutil.copyfile(self.log, self.dir / "gongkai-visits.log.1")
        with self.log.open("r+b") as f:
            f.truncate(0)
        self.write(self.b.pk)
        result = self.ingest()
        self.assertEqual((result["visits"], result["lost_files"]), (3, 0))
        self.assertEqual(self.counts(), (2, 2))

    def test_it_reads_a_rotated_log_that_was_already_compressed(self) -> None:
        self.write(self.a.pk)
        self.ingest()
        self.write(self.b.pk)
        with (
            self.log.open("rb") as src,
            gzip.open(self.dir / "gongkai-visits.log.1.gz", "wb") as dst,
        ):
            shutil.copyfileobj(src, dst)
        self.log.unlink()
        self.write(self.b.pk)
        self.assertEqual(self.ingest()["visits"], 2)
        self.assertEqual(self.counts(), (1, 2))

    def test_it_starts_the_new_log_when_the_old_one_is_gone(self) -> None:
        self.write(self.a.pk)
        self.ingest()
        self.write(self.a.pk)
        self.log.unlink()  # rotated and deleted before it was read: those lines are lost
        self.write(self.b.pk)
        result = self.ingest()
        self.assertEqual((result["visits"], result["lost_files"]), (1, 1))
        self.assertEqual(self.counts(), (1, 1))
        self.assertEqual(VisitLogCursor.objects.get().lost_files, 1)

    def test_it_follows_a_log_rotated_while_it_was_empty(self) -> None:
        self.log.touch()
        self.ingest()  # no line yet: the cursor knows only the inode
        self.write(self.a.pk)
        self.log.rename(self.dir / "gongkai-visits.log.1")
        self.write(self.b.pk)
        self.assertEqual(self.ingest()["visits"], 2)
        self.assertEqual(self.counts(), (1, 1))

    def test_it_counts_unknown_items_apart_and_has_a_dry_run(self) -> None:
        self.write(self.a.pk, 987654321)
        out = StringIO()
        call_command("ingest_visit_log", "--log", str(self.log), "--dry-run", stdout=out)
        self.assertIn("待计入：2 条信息，2 次访问", out.getvalue())
        self.assertFalse(VisitLogCursor.objects.exists())
        self.assertEqual(self.counts(), (0, 0))
        result = self.ingest()
        self.assertEqual((result["visits"], result["unknown"]), (1, 1))

    def test_it_runs_as_a_celery_task(self) -> None:
        from gongkai.search.tasks import ingest_visit_log_task

        self.write(self.b.pk)
        self.assertEqual(ingest_visit_log_task.delay(str(self.log)).get()["visits"], 1)
        with override_settings(PORTAL_VISIT_LOG=""):
            self.assertEqual(ingest_visit_log_task.delay().get(), {})
        self.assertEqual(self.counts(), (0, 1))


@pytest.mark.postgres
class ConcurrentVisitLogTest(TransactionTestCase):
    """Runs at the same moment (cron and beat) take turns on the cursor row: no line twice."""

    def test_it_counts_each_line_once_across_parallel_runs(self) -> None:
        from django.db import connection as conn

        from gongkai.agencies.models import Region
        from gongkai.test import make_agency

        region = Region.objects.create(code="220500", name="通化市", level="city")
        item = make_item(make_agency("th-mzj", "通化市民政局", region))
        directory = Path(tempfile.mkdtemp(prefix="gk-visit-log-"))
        self.addCleanup(shutil.rmtree, directory, True)
        log = directory / "gongkai-visits.log"
        lines = [f"{time.time():.3f} {uuid.uuid4().hex} {item.pk} 200\n" for _ in range(3000)]
        log.write_text("".join(lines))
        barrier = threading.Barrier(4)
        errors: list[BaseException] = []

        def run() -> None:
            try:
                barrier.wait()
                visits.ingest_visit_log(log, chunk_bytes=4096)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                conn.close()

        threads = [threading.Thread(target=run) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        item.refresh_from_db()
        self.assertEqual(item.visit_count, 3000)
        self.assertEqual(VisitLogCursor.objects.get().lines, 3000)
