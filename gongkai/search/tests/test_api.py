"""The search API on the configured database (CI runs it on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.utils import timezone

from gongkai.search import api
from gongkai.search.api import (
    SearchDoc,
    SearchQuery,
    SearchQueryError,
    index_documents,
    remove_documents,
    search,
)
from gongkai.test import BaseTestCase

TZ = timezone.get_default_timezone()


def at(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 9, 30, tzinfo=TZ)


class SearchApiTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        index_documents(
            [
                SearchDoc(
                    key="catalog:1",
                    kind="catalog",
                    agency_id=cls.agency_a.pk,
                    title="关于做好2024年农机购置补贴工作的通知",
                    body_text="各县区农业农村局：为落实农机购置补贴政策，现将有关事项通知如下。联系人张三丰。",
                    doc_number="通政发〔2012〕12号",
                    topic_code="0301",
                    genre="notice",
                    validity="valid",
                    published_at=at(2024, 3, 5),
                    url="/xxgk/1/",
                ),
                SearchDoc(
                    key="catalog:2",
                    kind="catalog",
                    agency_id=cls.agency_b.pk,
                    title="通化市财政局2023年度部门预算公开",
                    body_text="部门预算包括一般公共预算，其中补贴资金300万元。5G基站建设补助。",
                    topic_code="0102",
                    genre="plan",
                    validity="valid",
                    published_at=at(2023, 6, 1),
                    url="/xxgk/2/",
                ),
                SearchDoc(
                    key="news:3",
                    kind="news",
                    agency_id=cls.agency_a.pk,
                    title="民政局开展最低生活保障专项检查",
                    body_text="检查组走访低保家庭，核查补贴发放。<script>alert(1)</script>",
                    validity="invalid",
                    published_at=at(2022, 1, 10),
                    url="/gzdt/3/",
                ),
            ]
        )

    def keys(self, **kwargs: object) -> list[str]:
        return [h.key for h in search(SearchQuery(**kwargs)).hits]  # type: ignore[arg-type]

    def test_it_finds_two_character_words(self) -> None:
        self.assertEqual(set(self.keys(q="补贴")), {"catalog:1", "catalog:2", "news:3"})

    def test_it_finds_phrases(self) -> None:
        self.assertEqual(self.keys(q="农机购置补贴"), ["catalog:1"])

    def test_it_finds_doc_numbers_in_any_bracket_style(self) -> None:
        self.assertEqual(self.keys(q="通政发〔2012〕12号"), ["catalog:1"])
        self.assertEqual(self.keys(q="通政发[2012]12号"), ["catalog:1"])

    def test_it_does_not_match_doc_numbers_by_their_parts(self) -> None:
        index_documents(
            [
                SearchDoc(
                    key="x:1",
                    kind="catalog",
                    agency_id=None,
                    title="2012年工作总结",
                    body_text="见12号文件",
                )
            ]
        )
        self.assertEqual(self.keys(q="通政发〔2012〕12号"), ["catalog:1"])

    def test_it_finds_substrings_that_are_not_words(self) -> None:
        self.assertEqual(self.keys(q="三丰"), ["catalog:1"])
        self.assertEqual(self.keys(q="算公"), ["catalog:2"])

    def test_it_finds_mixed_latin_and_digits(self) -> None:
        self.assertEqual(self.keys(q="5G基站"), ["catalog:2"])
        self.assertEqual(self.keys(q="300万元"), ["catalog:2"])

    def test_it_treats_operators_as_text(self) -> None:
        for q in [
            '补贴" OR "',
            "补贴 NEAR(",
            "补贴 AND",
            "'; DROP TABLE search_fts; --",
            "*补贴*",
            "补贴:*",
            "a & b | !c",
        ]:
            page = search(SearchQuery(q=q))  # must not raise
            self.assertIsInstance(page.total, int, q)
        self.assertEqual(self.keys(q='"补贴" (通知)'), ["catalog:1"])

    def test_it_gives_a_message_when_nothing_matches(self) -> None:
        page = search(SearchQuery(q="航天飞机"))
        self.assertEqual(page.total, 0)
        self.assertIn("没有找到", page.message)
        self.assertIn("没有可检索", search(SearchQuery(q="!!! ***")).message)

    def test_it_rejects_overlong_queries_and_absurd_pages(self) -> None:
        with self.assertRaisesMessage(SearchQueryError, "检索词过长"):
            search(SearchQuery(q="补" * 5000))
        with self.assertRaises(SearchQueryError):
            search(SearchQuery(q="补贴", page=10**9))
        with self.assertRaises(SearchQueryError):
            search(SearchQuery(q="补贴", sort="name"))

    def test_it_filters(self) -> None:
        self.assertEqual(
            set(self.keys(q="补贴", agency_id=self.agency_a.pk)), {"catalog:1", "news:3"}
        )
        self.assertEqual(self.keys(q="补贴", topic_code="0102"), ["catalog:2"])
        self.assertEqual(self.keys(q="补贴", genre="notice"), ["catalog:1"])
        self.assertEqual(self.keys(q="补贴", year=2023), ["catalog:2"])
        self.assertEqual(self.keys(q="补贴", validity="invalid"), ["news:3"])
        self.assertEqual(self.keys(q="补贴", kind="news"), ["news:3"])
        self.assertEqual(
            self.keys(q="补贴", date_from=dt.date(2023, 6, 1), date_to=dt.date(2024, 3, 5)),
            ["catalog:1", "catalog:2"],
        )
        self.assertEqual(self.keys(genre="plan"), ["catalog:2"])

    def test_it_sorts_by_date_and_ranks_title_matches_first(self) -> None:
        self.assertEqual(self.keys(q="补贴", sort="date"), ["catalog:1", "catalog:2", "news:3"])
        self.assertEqual(self.keys(q="最低生活保障")[0], "news:3")
        self.assertEqual(self.keys(q="预算")[0], "catalog:2")

    def test_it_paginates(self) -> None:
        first = search(SearchQuery(q="补贴", sort="date", per_page=2))
        second = search(SearchQuery(q="补贴", sort="date", per_page=2, page=2))
        self.assertEqual((first.total, first.num_pages, first.has_next), (3, 2, True))
        self.assertEqual([h.key for h in second.hits], ["news:3"])

    def test_it_highlights_and_escapes_snippets(self) -> None:
        hit = search(SearchQuery(q="核查补贴")).hits[0]
        self.assertIn("<mark>核查补贴</mark>", hit.snippet_html)
        self.assertIn("&lt;script&gt;", hit.snippet_html)
        self.assertNotIn("<script>", hit.snippet_html)
        self.assertIn("<mark>", search(SearchQuery(q="农机")).hits[0].title_html)

    def test_it_replaces_and_removes_documents(self) -> None:
        index_documents(
            [SearchDoc(key="catalog:1", kind="catalog", agency_id=None, title="已更新的标题")]
        )
        self.assertEqual(self.keys(q="农机购置"), [])
        self.assertEqual(self.keys(q="已更新"), ["catalog:1"])
        self.assertEqual(remove_documents(["catalog:1", "nope"]), 1)
        self.assertEqual(self.keys(q="已更新"), [])
        self.assertNotIn("catalog:1", self.keys(q="补贴"))

    def test_it_keeps_the_contentless_index_exact_across_replace_and_delete(self) -> None:
        from django.db import connection

        from gongkai.search.models import SearchEntry

        def scores() -> dict[str, float]:
            return {h.key: round(h.score, 6) for h in search(SearchQuery(q="补贴 通知")).hits}

        index_documents(
            [SearchDoc(key="catalog:1", kind="catalog", agency_id=None, title="补贴发放的通知")]
        )
        index_documents(
            [SearchDoc(key="x:4", kind="news", agency_id=None, title="补贴通知", body_text="通知")]
        )
        SearchEntry.objects.filter(key="x:4").delete()  # the trigger removes its FTS row
        index_documents([SearchDoc(key="x:5", kind="news", agency_id=None, title="关于补贴的通知")])
        after_changes = scores()
        self.assertEqual(set(after_changes), {"catalog:1", "x:5"})
        if connection.vendor == "sqlite":
            with connection.cursor() as cur:
                cur.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
                cur.execute("SELECT COUNT(*) FROM search_fts_extra")
                self.assertEqual(cur.fetchone()[0], SearchEntry.objects.count())
        # Re-indexing the same documents from scratch gives the same scores: no stale
        # postings or document statistics were left behind by the replacements and deletes.
        docs = [
            SearchDoc(
                key=e.key, kind=e.kind, agency_id=e.agency_id, title=e.title,
                body_text=e.body_text, doc_number=e.doc_number, index_number=e.index_number,
                published_at=e.published_at,
            )
            for e in SearchEntry.objects.order_by("id")
        ]  # fmt: skip
        SearchEntry.objects.all().delete()
        index_documents(docs)
        self.assertEqual(scores(), after_changes)

    def test_it_bounds_the_candidate_set_for_common_terms(self) -> None:
        index_documents(
            SearchDoc(
                key=f"bulk:{i}",
                kind="catalog",
                agency_id=None,
                title=f"常见词文件{i}",
                body_text="工作",
            )
            for i in range(30)
        )
        with mock.patch.object(api, "CANDIDATE_CAP", 10), mock.patch.object(api, "COUNT_CAP", 20):
            page = search(SearchQuery(q="工作", per_page=50))
        self.assertTrue(page.total_capped)
        self.assertEqual(page.total, 20)
        self.assertEqual(len(page.hits), 10)  # only the 10 newest candidates are ranked
        self.assertTrue(all(h.key.startswith("bulk:") for h in page.hits))


class SearchFuzzTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        index_documents(
            [
                SearchDoc(
                    key="k:1",
                    kind="catalog",
                    agency_id=None,
                    title="补贴 AND OR NOT NEAR",
                    body_text='"*^-:()',
                )
            ]
        )

    def test_it_never_fails_on_arbitrary_input(self) -> None:
        from hypothesis import HealthCheck, given, settings
        from hypothesis import strategies as st

        alphabet = st.sampled_from(
            list("补贴农机通政发〔〕[]()\"'*^:-+&|!~<>;%_\\ \t\nANDORNOTnearabc0129０１ＡＢ")
        )

        @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
        @given(st.text(alphabet=alphabet, max_size=100))
        def check(q: str) -> None:
            page = search(SearchQuery(q=q))
            self.assertGreaterEqual(page.total, 0)
            for hit in page.hits:
                self.assertNotIn("<script", hit.snippet_html)

        check()
