"""PostgreSQL results frozen on a fixed corpus (issue 18): a change of the index format, the
indexing path or the query plans must give exactly the same results as before.

``frozen_pg.json`` was written from the code as it was before the issue-18 changes (index
size, bulk indexing, RUM): for every query of a fixed set, over the first 1,500 documents of
``bench/corpus.py`` (seed 20240101) plus a few hand-made documents for the rare and
substring classes, the total, whether it was capped, the keys of the first page by relevance
(50) and by date (20), a filtered page, and the whole match set (``match_ids``). Buckets are
100 ids wide here so that the windowed paths (first window, second window, bitmap) all run.

To re-freeze on purpose (a deliberate change of results, explained in the commit):
``GONGKAI_FREEZE_WRITE=1 DATABASE_URL=postgres://… pytest gongkai/search/tests/test_frozen_pg.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from unittest import mock

from django.db import connection
from django.test import TestCase

from gongkai.search import api, backends, segment
from gongkai.search.api import SearchQuery, index_documents, search
from gongkai.search.models import SearchEntry
from gongkai.search.tests.frozen_corpus import CORPUS_SIZE, EXTRA_DOCS, digest, frozen_corpus

FROZEN = Path(__file__).with_name("frozen_pg.json")

QUERIES = [
    # the benchmark's classes (bench/search_bench.py)
    "量子通信", "冰雪运动", "人参产业", "葡萄酒庄", "数据要素",
    "乡村振兴", "养老服务", "公共卫生", "社会救助", "消防安全",
    "工作", "发展", "人民政府", "申请",
    "补贴", "供暖", "防汛", "改造",
    "农机购置补贴", "城乡居民最低生活保障", "高标准农田建设", "老旧小区改造",
    "通政发〔2015〕3号", "通民发〔2020〕12号", "东政发〔2013〕7号",
    "璟珩", "购置补", "5G专网", "玥琰",
    "养老服务 补贴", "乡村振兴 资金", "数字政府 方案", "防汛 通知",
    # more shapes: one character, a prefix-like chunk, mixed script, three clauses, no match
    "通", "民政", "2020", "补贴 通知 工作", "不存在的词语组合", "最低生活保障 发放",
]  # fmt: skip


class FrozenPostgresResultsTest(TestCase):
    patch: Any

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        if connection.vendor != "postgresql":
            return
        cls.patch = mock.patch.object(backends, "PG_BUCKET", 100)
        cls.patch.start()
        docs = frozen_corpus()
        for i in range(0, len(docs), 500):  # the bulk path, as search_reconcile calls it
            index_documents(docs[i : i + 500])
        for d in docs[-3:]:  # and the one-document path, replacing existing entries
            index_documents([d])
        with connection.cursor() as cur:
            cur.execute("ANALYZE search_searchentry")

    @classmethod
    def tearDownClass(cls) -> None:
        if connection.vendor == "postgresql":
            cls.patch.stop()
        super().tearDownClass()

    def results(self) -> dict[str, Any]:
        keys = dict(SearchEntry.objects.values_list("id", "key"))
        max_id = max(keys)
        agency = (
            SearchEntry.objects.exclude(agency_id=None)
            .order_by("id")
            .values_list("agency_id", flat=True)[0]
        )
        out: dict[str, Any] = {}
        backend = backends.get_backend()
        for q in QUERIES:
            by_rank = search(SearchQuery(q=q, per_page=50))
            by_date = search(SearchQuery(q=q, sort="date"))
            filtered = search(SearchQuery(q=q, agency_id=agency, year=2020))
            matched = [keys[i] for i in backend.match_ids(segment.plan_query(q), max_id=max_id)]
            out[q] = {
                "total": by_rank.total,
                "capped": by_rank.total_capped,
                "relevance": [h.key for h in by_rank.hits],
                "date": [h.key for h in by_date.hits],
                "filtered_total": filtered.total,
                "filtered": [h.key for h in filtered.hits],
                "matches": len(matched),
                "matches_digest": digest(matched),
            }
        return out

    def test_results_are_those_frozen_before_the_index_changed(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only (the frozen results are the PostgreSQL backend's)")
        self.assertEqual(SearchEntry.objects.count(), CORPUS_SIZE + len(EXTRA_DOCS))
        got = self.results()
        if os.environ.get("GONGKAI_FREEZE_WRITE") == "1":
            FROZEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", "utf-8")
        frozen = json.loads(FROZEN.read_text("utf-8"))
        self.assertEqual(list(got), list(frozen))
        for q in QUERIES:
            with self.subTest(q=q):
                self.assertEqual(got[q], frozen[q])
        # The set must exercise every path: capped common terms, empty, a few, the cap.
        totals = [v["total"] for v in got.values()]
        self.assertIn(0, totals)
        self.assertTrue(any(v["capped"] for v in got.values()))
        self.assertTrue(any(0 < t <= backends.PG_TS_RANK_MAX for t in totals))
        self.assertTrue(any(backends.PG_TS_RANK_MAX < t < api.COUNT_CAP for t in totals))

    def test_server_side_binding_gives_the_same_results(self) -> None:
        """With the ``server_side_binding`` option the bitmap window runs as five statements
        (one string of several statements is refused then); the results do not change."""
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL only")
        frozen = json.loads(FROZEN.read_text("utf-8"))
        with mock.patch.object(backends, "_client_side_binding", return_value=False) as binding:
            got = self.results()
        self.assertTrue(binding.called)
        self.assertEqual(got, frozen)
