"""A search index row that cannot be replaced (SQLite: the segmenter changed, or the entry's
text was edited outside the search api) never fails a publishing request: the change and
the withdrawal go through over HTTP, the old row is kept and marked stale, the system check
and the console page 检索索引 say to run ``search_reindex``, and that fixes the index.

The index is written in ``transaction.on_commit``; ``captureOnCommitCallbacks(execute=True)``
runs those callbacks as the request's commit would, so an error there fails the test."""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from gongkai.publishing.models import CatalogItem, ChangeRequest
from gongkai.publishing.tests.factories import published
from gongkai.publishing.tests.test_views import frame_post
from gongkai.search import backends
from gongkai.search.api import SearchQuery, search
from gongkai.search.checks import index_warnings
from gongkai.search.models import SearchEntry
from gongkai.test import BaseTestCase


def found(q: str) -> list[str]:
    return [h.key for h in search(SearchQuery(q=q, per_page=50)).hits]


class StaleSearchRowTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        if connection.vendor != "sqlite":
            self.skipTest("SQLite only (the FTS5 delete path)")
        backends._df_cache.clear()
        self.addCleanup(backends._df_cache.clear)
        with self.captureOnCommitCallbacks(execute=True):
            self.item = published(self)
        self.key = f"catalog:{self.item.pk}"
        self.assertEqual(found("低保标准"), [self.key])
        # Edited behind the api's back: the row's tokens no longer follow from the entry.
        SearchEntry.objects.filter(key=self.key).update(body_text="绕过接口改写的正文。")

    def steps(self, cr: ChangeRequest) -> None:
        """审核 sunba → 审查 chenzd → 执行 chuwg (网管科; the item changes) → 核验 zhoujiu."""
        for user in (self.sunba, self.chenzd, self.chuwg, self.zhoujiu):
            self.login(user)
            with self.captureOnCommitCallbacks(execute=True):
                response = self.client.post(
                    reverse("publishing:change_step", args=[cr.pk]),
                    {"accept": "1", "comment": "同意"},
                )
            self.assertEqual(response.status_code, 302, user.username)

    def test_it_changes_the_item_keeps_the_old_row_and_reindex_fixes_it(self) -> None:
        self.login(self.lisi)
        data = frame_post(
            self.agency_a.pk,
            title="通化市民政局关于调整城乡特困供养标准的通知",
            kind="change",
            reason="名称错误需更正",
        )
        data.pop("agency")
        data["body"] = "<p>特困供养标准自2027年起调整。</p>"
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("publishing:change_create", args=[self.item.pk]), data
            )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        with self.assertLogs("gongkai.search.api", "ERROR"):
            self.steps(ChangeRequest.objects.get())
        self.item.refresh_from_db()
        self.assertEqual(self.item.title, "通化市民政局关于调整城乡特困供养标准的通知")
        entry = SearchEntry.objects.get(key=self.key)
        self.assertIn("特困供养", entry.title)  # the entry holds the new text…
        self.assertEqual(found("低保标准"), [self.key])  # …the old row still matches
        self.assertEqual(found("特困供养"), [])
        self.assertEqual([w[0] for w in index_warnings()], ["gongkai.search.W002"])
        self.login(self.chuwg)
        page = self.client.get(reverse("search:status"))
        self.assertContains(page, "gongkai.search.W002")
        self.assertContains(page, "manage.py search_reindex")

        call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(index_warnings(), [])
        self.assertEqual(found("特困供养"), [self.key])
        self.assertEqual(found("低保标准"), [])
        self.assertNotContains(self.client.get(reverse("search:status")), "gongkai.search.W002")

    def test_it_withdraws_the_item_and_search_no_longer_shows_it(self) -> None:
        self.login(self.lisi)
        response = self.client.post(
            reverse("publishing:change_create", args=[self.item.pk]),
            {"kind": "delete", "reason": "该信息已过时效"},
        )
        self.assertEqual(response.status_code, 302)
        with self.assertLogs("gongkai.search.api", "ERROR"):
            self.steps(ChangeRequest.objects.get())
        self.item.refresh_from_db()
        self.assertEqual(self.item.status, CatalogItem.Status.WITHDRAWN)
        self.assertFalse(SearchEntry.objects.filter(key=self.key).exists())
        self.assertEqual(found("低保标准"), [])  # its orphaned row shows nothing
        self.assertEqual([w[0] for w in index_warnings()], ["gongkai.search.W002"])
        self.assertEqual(self.fts_rows("低保"), 1)  # orphaned until the reindex
        call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(index_warnings(), [])
        self.assertEqual(self.fts_rows("低保"), 0)

    @staticmethod
    def fts_rows(bigram: str) -> int:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [f'g : "{bigram}"']
            )
            return int(cur.fetchone()[0])
