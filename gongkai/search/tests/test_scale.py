"""What keeps search fast at a million documents, checked at toy scale on both databases:
SQLite ranks without FTS5's full-index IDF pass for common units, and PostgreSQL searches
the newest buckets of ids first. The contract must not change: same matches, same counts."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.search import api, backends
from gongkai.search.api import SearchDoc, SearchQuery, index_documents, search
from gongkai.search.models import SearchEntry
from gongkai.test import BaseTestCase


def doc(key: str, title: str, body: str) -> SearchDoc:
    return SearchDoc(key=key, kind="catalog", agency_id=None, title=title, body_text=body)


class CommonTermRankingTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        backends._df_cache.clear()
        self.addCleanup(backends._df_cache.clear)

    def test_common_units_rank_title_matches_first_then_the_newest(self) -> None:
        index_documents(
            doc(f"d:{i}", f"工作通知{i}" if i % 3 == 0 else f"文件{i}", "工作安排。")
            for i in range(12)
        )
        with (
            mock.patch.object(backends, "SELECTIVE_DF", 3),  # SQLite: "工作" is now common
            mock.patch.object(backends, "PG_TS_RANK_MAX", 3),  # PostgreSQL: too many for ts_rank
        ):
            keys = [h.key for h in search(SearchQuery(q="工作", per_page=50)).hits]
        titled = [f"d:{i}" for i in (9, 6, 3, 0)]
        self.assertEqual(keys[:4], titled)
        self.assertEqual(keys[4:], [f"d:{i}" for i in range(11, -1, -1) if i % 3])

    def test_selective_units_rank_by_bm25_even_beside_common_ones(self) -> None:
        index_documents(
            [
                doc("a", "文件甲", "工作。人参产业。"),
                doc("b", "文件乙", "工作。人参产业发展，人参产业园区，人参产业基金。"),
                *[doc(f"f:{i}", f"文件{i}", "工作安排。") for i in range(8)],
            ]
        )
        with mock.patch.object(backends, "SELECTIVE_DF", 3):
            keys = [h.key for h in search(SearchQuery(q="工作 人参产业")).hits]
        self.assertEqual(keys, ["b", "a"])

    def test_a_repeated_search_runs_a_fixed_number_of_queries(self) -> None:
        index_documents(doc(f"d:{i}", f"文件{i}", "工作。") for i in range(5))
        search(SearchQuery(q="工作"))
        if connection.vendor == "sqlite":  # the selectivity count is remembered
            self.assertIn('{t b} : "工作"', backends._df_cache)
        # SQLite: newest matches, bm25 over selective units, title bonus, the page's rows.
        # PostgreSQL: no window (fewer than two buckets, as the first search saw), so the
        # top id and the full query between two set_config calls, all four in one round trip,
        # which also ranks these few matches by ts_rank; the page's rows.
        with self.assertNumQueries(2 if connection.vendor == "postgresql" else 4):
            search(SearchQuery(q="工作"))


class NewestWindowsTest(BaseTestCase):
    """PostgreSQL searches buckets of ids newest first; tiny buckets make every window
    run. On SQLite the same assertions check the plain path."""

    def setUp(self) -> None:
        super().setUp()
        patcher = mock.patch.object(backends, "PG_BUCKET", 3)
        patcher.start()
        self.addCleanup(patcher.stop)
        backends._pg_rare.clear()  # which searches went to the bitmap (another test's data)
        self.addCleanup(backends._pg_rare.clear)
        index_documents(
            doc(f"d:{i:02d}", f"文件{i}", "工作安排。" + ("冰雪运动。" if i < 2 else ""))
            for i in range(40)
        )

    def test_old_matches_are_found_behind_the_windows(self) -> None:
        page = search(SearchQuery(q="冰雪运动", sort="date"))
        self.assertEqual(page.total, 2)
        self.assertEqual(sorted(h.key for h in page.hits), ["d:00", "d:01"])

    def test_counts_and_candidates_are_the_newest_matches(self) -> None:
        with mock.patch.object(api, "CANDIDATE_CAP", 5), mock.patch.object(api, "COUNT_CAP", 8):
            page = search(SearchQuery(q="工作", per_page=50))
        self.assertEqual((page.total, page.total_capped), (8, True))
        newest = sorted(SearchEntry.objects.values_list("id", flat=True), reverse=True)[:5]
        self.assertEqual(
            sorted(
                SearchEntry.objects.filter(key__in=[h.key for h in page.hits]).values_list(
                    "id", flat=True
                ),
                reverse=True,
            ),
            newest,
        )
        full = search(SearchQuery(q="工作", per_page=50))
        self.assertEqual((full.total, full.total_capped), (40, False))
        # Few enough wanted that the first window (2 buckets of 3 ids) answers alone.
        with mock.patch.object(api, "CANDIDATE_CAP", 2), mock.patch.object(api, "COUNT_CAP", 3):
            page = search(SearchQuery(q="工作", sort="date"))
        self.assertEqual((page.total, page.total_capped), (3, True))
        self.assertEqual([h.key for h in page.hits], ["d:39", "d:38"])

    def test_a_medium_term_is_answered_by_a_second_window_sized_by_its_density(self) -> None:
        index_documents(
            doc(f"m:{i:02d}", f"文件{i}", "社会救助。" if i % 2 == 0 else "其他。")
            for i in range(40)
        )
        newest = [  # the body is stored compressed: SQL cannot look inside it
            key
            for key, body in SearchEntry.objects.filter(key__startswith="m:")
            .order_by("-id")
            .values_list("key", "body_text")
            if "社会救助" in body
        ][:4]
        with (
            mock.patch.object(api, "CANDIDATE_CAP", 4),
            mock.patch.object(api, "COUNT_CAP", 6),
            CaptureQueriesContext(connection) as queries,
        ):
            page = search(SearchQuery(q="社会救助", sort="date"))
        self.assertEqual((page.total, page.total_capped), (6, True))
        self.assertEqual([h.key for h in page.hits], newest)
        if connection.vendor == "postgresql":  # two windows, no bitmap over every match
            searches = [q["sql"] for q in queries.captured_queries if "@@" in q["sql"]]
            self.assertEqual(len(searches), 2)
            self.assertTrue(all("~r" in q for q in searches))

    def test_a_rare_term_seen_before_goes_to_the_bitmap_at_once(self) -> None:
        first = search(SearchQuery(q="冰雪运动"))
        with CaptureQueriesContext(connection) as queries:
            again = search(SearchQuery(q="冰雪运动"))
        self.assertEqual(
            [(h.key, h.score) for h in again.hits], [(h.key, h.score) for h in first.hits]
        )
        self.assertEqual(again.total, 2)
        if connection.vendor == "postgresql":  # no top id, no window: one round trip
            self.assertEqual(len(queries.captured_queries), 2)  # the search, the page's rows
            self.assertNotIn("~r", queries.captured_queries[0]["sql"])
        # The hint is only a hint: the term is now common, the answer is still the newest
        # matches (the window's answer), and the next search uses the windows again.
        index_documents(doc(f"n:{i:02d}", f"新文件{i}", "冰雪运动。") for i in range(12))
        with mock.patch.object(api, "CANDIDATE_CAP", 4), mock.patch.object(api, "COUNT_CAP", 6):
            page = search(SearchQuery(q="冰雪运动", sort="date"))
            self.assertEqual((page.total, page.total_capped), (6, True))
            self.assertEqual([h.key for h in page.hits], ["n:11", "n:10", "n:09", "n:08"])
            with CaptureQueriesContext(connection) as queries:
                later = search(SearchQuery(q="冰雪运动", sort="date"))
        self.assertEqual([h.key for h in later.hits], [h.key for h in page.hits])
        if connection.vendor == "postgresql":
            self.assertTrue(any("~r" in q["sql"] for q in queries.captured_queries))

    @pytest.mark.postgres  # SQLite has no bucket lexemes
    def test_the_migration_backfills_bucket_lexemes(self) -> None:
        from importlib import import_module

        migration = import_module("gongkai.search.migrations.0006_pg_buckets")
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE search_searchentry SET doc = ts_delete(doc, ARRAY(SELECT lexeme FROM "
                "unnest(doc) WHERE lexeme LIKE '~r%%'))"
            )
        # Without them nothing is lost (the windows find nothing, the full query finds all) …
        self.assertEqual(search(SearchQuery(q="工作")).total, 40)
        with connection.cursor() as cur:
            cur.execute(migration.UP)
            cur.execute(
                "SELECT count(*) FROM search_searchentry "
                "WHERE doc @@ ('~r' || (id / 10000)::text)::tsquery"
            )
            # … and the migration gives every row its bucket (10,000 ids, as in the backend).
            self.assertEqual(cur.fetchone()[0], 40)
