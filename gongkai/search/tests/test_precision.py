"""Precision: a query term matches only where its characters are adjacent (issue 19).

The ground truth is the benchmark's: ``LIKE '%term%'`` over title, 文号 and body, every
whitespace-separated term AND-ed. The engine's match set must equal it (recall 1.0, no extra
matches) on a corpus built to tempt the old word path: characters of a query scattered over a
document, the words of a phrase in the wrong order or apart, and a phrase whose bigrams meet
across punctuation. Runs on SQLite and PostgreSQL (CI runs both).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.search import segment
from gongkai.search.api import SearchDoc, SearchQuery, index_documents, reindex_entries, search
from gongkai.search.backends import get_backend
from gongkai.search.models import SearchEntry
from gongkai.test import BaseTestCase

TZ = timezone.get_default_timezone()

BODIES = [
    "璟珩同志任通化市民政局副局长。",  # the name, adjacent
    "璟瑜同志和李珩同志参加会议。",  # 璟 and 珩 apart: must not match 璟珩
    "珩璟两字顺序相反。",  # reversed
    "申领农机购置补贴的条件和程序。",  # the phrase
    "购置农机，给予补贴。",  # its words scattered: must not match 农机购置补贴
    "补贴农机购置费用。",  # its words out of order
    "本地5G专网建设方案。",
    "专网建设与5G基站。",  # 5G and 专网 apart
    "养老服务中心开展服务，发放补贴。",
    "服务养老，补贴到人。",  # 养老服务 split across punctuation order
    "乙购，置补贴。",  # 购置补 meets only across the comma: bigrams 购置? no; 置补 yes
    "甲乙购置，补贴丙丁。",  # 购置补 across a comma: 购置 | 补贴
    "依据通政发〔2015〕3号文件执行。",
    "通政发〔2016〕3号和2015年的规定。",  # the 文号's runs scattered
    "玥琰",
    "琰玥",
]
QUERIES = [
    "璟珩",
    "农机购置补贴",
    "购置补",
    "5G专网",
    "养老服务",
    "养老服务 补贴",
    "玥琰",
    "补贴",
    "通政发〔2015〕3号",
]


def like_truth(q: str) -> set[int]:
    """LIKE '%term%' semantics (every term in title, 文号 or body; case-insensitive), over the
    entries' text as the ORM reads it: the stored body is compressed, SQL cannot scan it."""
    terms = [t.lower() for t in q.split()]
    return {
        pk
        for pk, *fields in SearchEntry.objects.values_list("id", "title", "doc_number", "body_text")
        if all(any(t in (f or "").lower() for f in fields) for t in terms)
    }


class PrecisionTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        index_documents(
            [
                SearchDoc(
                    key=f"catalog:{i}",
                    kind="catalog",
                    agency_id=cls.agency_a.pk,
                    title=f"第{i}号材料",
                    body_text=body,
                    published_at=dt.datetime(2024, 1, 1 + i % 28, tzinfo=TZ),
                    url=f"/xxgk/{i}/",
                )
                for i, body in enumerate(BODIES, start=1)
            ]
        )

    def assert_exact(self) -> None:
        backend = get_backend()
        max_id = SearchEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        for q in QUERIES:
            truth = like_truth(q)
            found = backend.match_ids(segment.plan_query(q), max_id=max_id)
            self.assertTrue(truth, q)
            self.assertEqual(found, truth, f"{q}: missing {truth - found}, extra {found - truth}")
            self.assertEqual(search(SearchQuery(q=q)).total, len(truth), q)

    def test_it_matches_exactly_the_documents_holding_the_adjacent_characters(self) -> None:
        self.assert_exact()

    def test_it_never_matches_a_name_by_its_scattered_characters(self) -> None:
        page = search(SearchQuery(q="璟珩"))
        self.assertEqual([h.url for h in page.hits], ["/xxgk/1/"])

    def test_it_stays_exact_after_reindexing_from_the_stored_entries(self) -> None:
        self.assertEqual(reindex_entries(batch=5), len(BODIES))
        self.assert_exact()
