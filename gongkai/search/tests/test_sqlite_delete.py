"""SQLite deletes an FTS row by computing its tokens again from the entry (issue 18,
migration 0008): with the custom words of the time it was indexed, and only when the row's
CRC-32 still matches — otherwise the statement fails instead of corrupting the index."""

from __future__ import annotations

import re
from unittest import mock

from django.core.management import call_command
from django.db import connection

from gongkai.audit.models import AuditEntry
from gongkai.search import backends, segment
from gongkai.search.api import SearchDoc, SearchQuery, index_documents, remove_documents, search
from gongkai.search.models import SearchEntry
from gongkai.test import BaseTestCase


def doc(key: str, title: str, body: str) -> SearchDoc:
    return SearchDoc(key=key, kind="catalog", agency_id=None, title=title, body_text=body)


def keys(q: str) -> list[str]:
    return [h.key for h in search(SearchQuery(q=q, per_page=50)).hits]


def search_checks(*, with_databases: bool = True) -> set[str]:
    """The ids of the search app's system check messages (``checks.py``)."""
    from django.core.checks import run_checks

    found = run_checks(databases=["default"] if with_databases else None)
    return {str(m.id) for m in found if str(m.id).startswith("gongkai.search.")}


class SqliteRegeneratedDeleteTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only (the FTS5 delete path)")
        backends._df_cache.clear()
        self.addCleanup(backends._df_cache.clear)

    def integrity(self) -> None:
        with connection.cursor() as cur:
            cur.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
            cur.execute("SELECT count(*) FROM search_fts_extra")
            self.assertEqual(cur.fetchone()[0], SearchEntry.objects.count())

    def test_a_custom_word_removed_since_indexing_still_deletes_the_row_exactly(self) -> None:
        custom = re.compile("璟珩科技")
        with mock.patch.object(segment.custom_words, "regex", return_value=custom):
            index_documents([doc("a", "璟珩科技公司通报", "璟珩科技的供暖项目。")])
            index_documents([doc("b", "其他通报", "供暖项目。")])
        self.assertEqual(keys("璟珩科技"), ["a"])
        # The custom word is gone (custom.txt edited, an agency renamed): the replacement
        # and the removal still delete exactly the tokens the rows were written with.
        index_documents([doc("a", "新标题", "改写后的正文。")])
        self.assertEqual(keys("璟珩科技"), [])
        self.assertEqual(keys("改写后"), ["a"])
        remove_documents(["b"])
        self.assertEqual(keys("供暖"), [])
        self.integrity()

    def test_an_entry_changed_outside_the_api_is_refused_then_rebuilt(self) -> None:
        index_documents([doc("a", "供暖通知", "冬季供暖安排。"), doc("b", "防汛通知", "防汛。")])
        SearchEntry.objects.filter(key="a").update(body_text="绕过接口改写的正文。")
        a_id = SearchEntry.objects.get(key="a").pk
        with self.assertRaises(backends.SegmenterChangedError) as caught:  # CRC-32 differs
            backends.SqliteBackend().forget([a_id])
        self.assertEqual(caught.exception.entry_ids, [a_id])
        self.assertEqual(keys("冬季"), ["a"])  # the index was left as it was
        call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertTrue(AuditEntry.objects.filter(action="search.index.rebuilt").exists())
        self.assertEqual(keys("供暖"), ["a"])  # the title still holds it
        self.assertEqual(keys("绕过接口"), ["a"])
        self.assertEqual(keys("冬季"), [])
        remove_documents(["a"])
        self.assertEqual(keys("供暖"), [])
        self.assertEqual(keys("防汛"), ["b"])
        self.integrity()

    def test_a_stale_row_with_the_text_of_another_row_is_still_refused(self) -> None:
        # The last regenerated row is remembered: a row now holding the same text but
        # written with other tokens must not borrow it (its CRC-32 differs).
        index_documents([doc("a", "供暖通知", "冬季供暖安排。"), doc("b", "防汛通知", "防汛。")])
        SearchEntry.objects.filter(key="b").update(title="供暖通知", body_text="冬季供暖安排。")
        ids = dict(SearchEntry.objects.values_list("key", "id"))
        with self.assertRaises(backends.SegmenterChangedError) as caught:
            backends.SqliteBackend().forget([ids["a"], ids["b"]])
        self.assertEqual(caught.exception.entry_ids, [ids["b"]])
        self.assertEqual(keys("防汛"), ["b"])  # b's row is as it was, a's is gone
        self.assertEqual(keys("冬季"), [])

    def test_a_refused_row_is_kept_and_marked_stale_and_the_write_succeeds(self) -> None:
        from gongkai.search.checks import index_warnings

        index_documents(
            [doc("a", "供暖通知", "冬季供暖安排。"), doc("b", "防汛通知", "防汛安排。")]
        )
        SearchEntry.objects.filter(key="a").update(body_text="绕过接口改写的正文。")
        with self.assertLogs("gongkai.search.api", "ERROR") as logs:
            # One call, two documents: "b" is replaced, "a" keeps its old row.
            index_documents(
                [doc("a", "供暖通知更新", "新的正文。"), doc("b", "防汛通知", "抗旱。")]
            )
        self.assertIn("search_reindex", logs.output[0])
        self.integrity()  # the refused statement was rolled back to its savepoint
        self.assertEqual(SearchEntry.objects.get(key="a").body_text, "新的正文。")  # saved
        self.assertEqual(keys("冬季"), ["a"])  # the old row: still found by its old text
        self.assertEqual(keys("新的正文"), [])  # the new text waits for the reindex
        self.assertEqual(keys("抗旱"), ["b"])
        self.assertEqual(keys("防汛安排"), [])
        health = backends.SqliteBackend.health()
        assert health is not None
        self.assertEqual((health["stale"], health["stale_keys"]), (1, ["a"]))
        self.assertEqual([w[0] for w in index_warnings()], ["gongkai.search.W002"])
        # Removing it: the entry goes, the orphaned FTS row shows nothing.
        with self.assertLogs("gongkai.search.api", "ERROR"):
            self.assertEqual(remove_documents(["a"]), 1)
        self.assertFalse(SearchEntry.objects.filter(key="a").exists())
        self.assertEqual(keys("冬季"), [])
        call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(index_warnings(), [])
        self.assertEqual(keys("抗旱"), ["b"])
        self.integrity()

    def test_an_upgraded_segmenter_is_reported_until_the_reindex(self) -> None:
        index_documents([doc("a", "供暖通知", "冬季供暖安排。")])
        self.assertEqual(search_checks(), set())
        real_fields = segment.document_fields

        def upgraded(*args, **kwargs):  # type: ignore[no-untyped-def]
            t, b, g, c = real_fields(*args, **kwargs)
            return t, [*b, "新词"], g, c  # another dictionary: one token more

        with (
            mock.patch.object(segment, "fingerprint", return_value="format 1; rjieba 9.9"),
            mock.patch.object(segment, "document_fields", side_effect=upgraded),
        ):
            self.assertEqual(search_checks(), {"gongkai.search.W001"})
            self.assertEqual(search_checks(with_databases=False), set())  # a database check
            with self.assertLogs("gongkai.search.api", "ERROR"):
                index_documents([doc("a", "供暖通知", "夏季检修安排。")])
            self.assertEqual(keys("冬季"), ["a"])
            self.assertEqual(search_checks(), {"gongkai.search.W001", "gongkai.search.W002"})
            call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
            self.assertEqual(search_checks(), set())
            self.assertEqual(keys("检修"), ["a"])
            self.assertEqual(keys("冬季"), [])

    def test_the_segmenter_version_is_recorded(self) -> None:
        index_documents([doc("a", "供暖通知", "")])
        with connection.cursor() as cur:
            cur.execute("SELECT value FROM search_fts_meta WHERE key = 'segmenter'")
            self.assertEqual(cur.fetchone()[0], segment.fingerprint())
