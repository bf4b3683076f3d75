"""Shared rate limits: windows, bans, the two stores, the state outside the process."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, TestCase, TransactionTestCase, override_settings

from gongkai.lib import ratelimit
from gongkai.lib.models import RateCounter

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


class WindowTests(TestCase):
    store = "db"

    def setUp(self) -> None:
        cache.clear()
        self.enterContext(override_settings(RATELIMIT_STORE=self.store))

    def test_it_counts_inside_a_window_and_restarts_after_it(self) -> None:
        counts = [ratelimit.hit("t.s", "a", window=60, now=at(i)) for i in range(3)]
        self.assertEqual(counts, [1, 2, 3])
        self.assertEqual(ratelimit.count("t.s", "a", now=at(59)), 3)
        self.assertEqual(ratelimit.count("t.s", "a", now=at(61)), 0)
        self.assertEqual(ratelimit.hit("t.s", "a", window=60, now=at(61)), 1)

    def test_it_keeps_subjects_and_scopes_apart(self) -> None:
        ratelimit.hit("t.s", "a", window=60, now=T0)
        self.assertEqual(ratelimit.count("t.s", "b", now=T0), 0)
        self.assertEqual(ratelimit.count("t.other", "a", now=T0), 0)

    def test_allow_says_no_past_the_limit(self) -> None:
        answers = [ratelimit.allow("t.s", "a", limit=3, window=60, now=at(i)) for i in range(5)]
        self.assertEqual(answers, [True, True, True, False, False])
        self.assertTrue(ratelimit.exceeded("t.s", "a", limit=3, now=at(5)))

    def test_it_bans_for_a_time(self) -> None:
        ratelimit.block("t.ban", "a", seconds=30, now=T0)
        self.assertEqual(ratelimit.blocked_for("t.ban", "a", now=at(10)), 20)
        self.assertEqual(ratelimit.blocked_for("t.ban", "a", now=at(31)), 0)
        ratelimit.block("t.ban", "a", seconds=30, now=T0)
        ratelimit.reset("t.ban", "a")
        self.assertEqual(ratelimit.blocked_for("t.ban", "a", now=at(1)), 0)


class CacheWindowTests(WindowTests):
    """The same rules on the cache store (Redis in production, LocMem here)."""

    store = "cache"


class DatabaseStoreTests(TestCase):
    def test_it_stores_no_subject_in_clear(self) -> None:
        ratelimit.hit("login.ip", "203.0.113.9", window=60)
        key = RateCounter.objects.get().key
        self.assertTrue(key.startswith("login.ip:"))
        self.assertNotIn("203.0.113.9", key)

    def test_it_survives_the_process_cache(self) -> None:
        ratelimit.hit("t.s", "a", window=60, now=T0)
        cache.clear()  # what a second worker process would see: its own empty cache
        self.assertEqual(ratelimit.hit("t.s", "a", window=60, now=at(1)), 2)

    def test_it_purges_dead_rows(self) -> None:
        ratelimit.hit("t.s", "a", window=60, now=T0)
        ratelimit.hit("t.s", "b", window=600, now=T0)
        self.assertEqual(ratelimit.purge(now=at(120)), 1)
        self.assertEqual(RateCounter.objects.count(), 1)


@pytest.mark.postgres
class ConcurrentHitTests(TransactionTestCase):
    """Eight connections hitting one bucket at once: every hit is counted exactly once."""

    def test_it_counts_every_concurrent_hit(self) -> None:
        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (SQLite serialises writers anyway)")
        results: list[int] = []
        lock = threading.Lock()

        def worker() -> None:
            from django.db import connections

            try:
                for _ in range(5):
                    n = ratelimit.hit("t.race", "a", window=60)
                    with lock:
                        results.append(n)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), list(range(1, 41)))
        self.assertEqual(ratelimit.count("t.race", "a"), 40)


class ClientIpTests(TestCase):
    def request(self, remote: str, xff: str | None = None, real: str | None = None):  # type: ignore[no-untyped-def]
        extra: dict[str, Any] = {"REMOTE_ADDR": remote}
        if xff is not None:
            extra["HTTP_X_FORWARDED_FOR"] = xff
        if real is not None:
            extra["HTTP_X_REAL_IP"] = real
        return RequestFactory().get("/", **extra)

    @override_settings(TRUSTED_PROXIES=[])
    def test_it_ignores_forwarded_headers_without_trusted_proxies(self) -> None:
        self.assertEqual(ratelimit.client_ip(self.request("127.0.0.1", "1.2.3.4")), "127.0.0.1")

    @override_settings(TRUSTED_PROXIES=["127.0.0.1"])
    def test_it_walks_past_two_local_nginx_layers(self) -> None:
        # edge nginx appends the client, the cache layer appends the edge (127.0.0.1)
        r = self.request("127.0.0.1", "198.51.100.7, 127.0.0.1")
        self.assertEqual(ratelimit.client_ip(r), "198.51.100.7")

    @override_settings(TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"])
    def test_it_ignores_what_the_client_put_in_front(self) -> None:
        r = self.request("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.2.3.4")
        self.assertEqual(ratelimit.client_ip(r), "198.51.100.7")

    @override_settings(TRUSTED_PROXIES=["127.0.0.1"])
    def test_it_ignores_headers_from_an_untrusted_peer(self) -> None:
        r = self.request("203.0.113.5", "127.0.0.1", real="1.1.1.1")
        self.assertEqual(ratelimit.client_ip(r), "203.0.113.5")

    @override_settings(TRUSTED_PROXIES=["127.0.0.1"])
    def test_it_stops_at_garbage_and_uses_x_real_ip_alone(self) -> None:
        self.assertEqual(
            ratelimit.client_ip(self.request("127.0.0.1", "<script>, 127.0.0.1")), "127.0.0.1"
        )
        self.assertEqual(
            ratelimit.client_ip(self.request("127.0.0.1", real="198.51.100.8")), "198.51.100.8"
        )

    @override_settings(TRUSTED_PROXIES=["::1", "127.0.0.0/8", "not-an-ip"])
    def test_it_handles_ipv6_ports_and_bad_entries(self) -> None:
        r = self.request("::1", "[2001:db8::5]:443, 127.0.0.2")
        self.assertEqual(ratelimit.client_ip(r), "2001:db8::5")
        self.assertTrue(ratelimit.is_trusted_proxy("127.9.9.9"))
        self.assertFalse(ratelimit.is_trusted_proxy("not-an-ip"))
        self.assertFalse(ratelimit.is_trusted_proxy(None))
