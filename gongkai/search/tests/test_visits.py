"""Buffered visit counting: no database write per visit, nothing lost across a flush."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.test import override_settings

from gongkai.search import visits
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
            pytest.skip("Redis is not running (TEST_REDIS_URL)")
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
