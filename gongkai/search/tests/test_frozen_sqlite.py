"""SQLite results frozen on a fixed corpus (issue 18): a change of the FTS5 table, the
indexing path or the delete path must give exactly the same results as before.

``frozen_sqlite.json`` was written from the code as it was before the issue-18 SQLite changes
(index size, bulk indexing): for every query of a fixed set, over the first 1,500 documents of
``bench/corpus.py`` (seed 20240101) plus a few hand-made documents for the rare and substring
classes, after the index went through every write path (bulk batches, one-document calls that
replace an entry with the same text, replacements with a different text, removals), the total,
whether it was capped, the keys and scores of the first page by relevance (50), the keys by
date (20), a filtered page, and the whole match set (``match_ids``). ``SELECTIVE_DF`` is 60
here so that both ranking paths run (bm25 over selective units, title clauses for common ones).

To re-freeze on purpose (a deliberate change of results, explained in the commit):
``GONGKAI_FREEZE_WRITE=1 pytest gongkai/search/tests/test_frozen_sqlite.py``.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any
from unittest import mock

from django.db import connection
from django.test import TestCase

from gongkai.search import api, backends, segment
from gongkai.search.api import (
    SearchQuery,
    index_documents,
    remove_documents,
    search,
)
from gongkai.search.models import SearchEntry
from gongkai.search.tests.frozen_corpus import CORPUS_SIZE, EXTRA_DOCS, digest, frozen_corpus

FROZEN = Path(__file__).with_name("frozen_sqlite.json")
SELECTIVE_DF = 60

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
    # more shapes: one character, mixed script, three clauses, no match, replaced text
    "通", "民政", "2020", "补贴 通知 工作", "不存在的词语组合", "最低生活保障 发放",
    "替换后的正文", "琮璜",
]  # fmt: skip


class FrozenSqliteResultsTest(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        if connection.vendor != "sqlite":
            return
        # The custom words include the agency names, cached per process: another test class
        # may have loaded them while its agencies existed. Load them from this database.
        segment.custom_words.invalidate()
        docs = frozen_corpus()
        for i in range(0, len(docs), 500):  # the bulk path, as search_reconcile calls it
            index_documents(docs[i : i + 500])
        for d in docs[-3:]:  # the one-document path, replacing entries with the same text
            index_documents([d])
        # Replacements with a different text (the old FTS row must be deleted exactly) …
        changed = [
            dataclasses.replace(d, body_text=d.body_text[: len(d.body_text) // 2] + "替换后的正文")
            for d in docs[100:110]
        ]
        index_documents(changed[:5])
        for d in changed[5:]:
            index_documents([d])
        index_documents([dataclasses.replace(docs[120], title="琮璜调研报告", body_text="")])
        # … and removals (by the api and by a plain delete of the entry rows).
        remove_documents([d.key for d in docs[200:206]])
        SearchEntry.objects.filter(key__in=[d.key for d in docs[300:304]]).delete()
        with connection.cursor() as cur:
            cur.execute("ANALYZE")

    @classmethod
    def tearDownClass(cls) -> None:
        segment.custom_words.invalidate()
        super().tearDownClass()

    def results(self) -> dict[str, Any]:
        keys = dict(SearchEntry.objects.values_list("id", "key"))
        max_id = max(keys)
        agency = SearchEntry.objects.exclude(agency_id=None).values_list("agency_id", flat=True)[0]
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
                "scores": [round(h.score, 3) for h in by_rank.hits],
                "date": [h.key for h in by_date.hits],
                "filtered_total": filtered.total,
                "filtered": [h.key for h in filtered.hits],
                "matches": len(matched),
                "matches_digest": digest(matched),
            }
        return out

    def test_results_are_those_frozen_before_the_index_changed(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only (the frozen results are the FTS5 backend's)")
        self.assertEqual(SearchEntry.objects.count(), CORPUS_SIZE + len(EXTRA_DOCS) - 10)
        backends._df_cache.clear()
        self.addCleanup(backends._df_cache.clear)
        scores = backends.SqliteBackend._scores
        with (
            mock.patch.object(backends, "SELECTIVE_DF", SELECTIVE_DF),
            mock.patch.object(
                backends.SqliteBackend, "_scores", autospec=True, side_effect=scores
            ) as scored,
        ):
            got = self.results()
        # bm25 both from the candidate pass (the units are the MATCH expression's phrases)
        # and from a statement of its own: the frozen scores hold for both.
        fused = {c.kwargs.get("bm25") is not None for c in scored.call_args_list}
        self.assertEqual(fused, {True, False})
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
        self.assertTrue(any(0 < t <= SELECTIVE_DF for t in totals))
        self.assertTrue(any(SELECTIVE_DF < t < api.COUNT_CAP for t in totals))
        self.assertGreater(got["替换后的正文"]["total"], 0)
        self.assertGreater(got["琮璜"]["total"], 0)

    def test_the_fts_index_is_consistent_after_every_write_path(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only")
        with connection.cursor() as cur:
            cur.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
            # Every entry has exactly one FTS row and no FTS row outlives its entry.
            cur.execute("SELECT count(*) FROM search_fts_docsize")
            self.assertEqual(cur.fetchone()[0], SearchEntry.objects.count())
            cur.execute(
                "SELECT count(*) FROM search_fts_docsize WHERE id NOT IN "
                "(SELECT id FROM search_searchentry)"
            )
            self.assertEqual(cur.fetchone()[0], 0)
        # A removed document is not found by its own rare words any more.
        removed = frozen_corpus()[200]
        self.assertNotIn(
            removed.key, [h.key for h in search(SearchQuery(q=removed.title, per_page=50)).hits]
        )
