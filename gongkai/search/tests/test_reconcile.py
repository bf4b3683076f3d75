"""index_reconcile: the catalog part of the index equals CatalogItem.objects.public()."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from gongkai.publishing.models import CatalogItem
from gongkai.search.api import SearchQuery, search
from gongkai.search.models import SearchEntry
from gongkai.search.services import index_reconcile
from gongkai.search.tests.factories import make_item
from gongkai.test import BaseTestCase


class ReconcileTest(BaseTestCase):
    def test_it_indexes_missing_items_and_removes_non_public_ones(self) -> None:
        public = make_item(self.agency_a, title="需要补充索引的条目")
        gone = make_item(self.agency_a, title="已过期的条目")
        index_reconcile()
        self.assertEqual(
            [h.key for h in search(SearchQuery(q="补充索引")).hits], [f"catalog:{public.pk}"]
        )
        CatalogItem.objects.filter(pk=gone.pk).update(
            expire_at=timezone.now() - dt.timedelta(seconds=1)
        )
        self.assertEqual(index_reconcile(), {"removed": 1, "indexed": 0})
        self.assertFalse(SearchEntry.objects.filter(key=f"catalog:{gone.pk}").exists())
        self.assertEqual(search(SearchQuery(q="已过期")).total, 0)
        self.assertAudited("search.index.reconciled")
        self.assertEqual(index_reconcile(), {"removed": 0, "indexed": 0})  # idempotent

    def test_it_never_indexes_personal_data(self) -> None:
        make_item(
            self.agency_a,
            title="低保名单公示",
            body="<p>申请人身份证号220502198001011234，电话13912345678。</p>",
        )
        index_reconcile()
        entry = SearchEntry.objects.get()
        self.assertNotIn("220502198001011234", entry.body_text)
        self.assertNotIn("13912345678", entry.body_text)
        self.assertEqual(search(SearchQuery(q="13912345678")).total, 0)

    def test_it_has_a_dry_run_command(self) -> None:
        make_item(self.agency_a)
        out = StringIO()
        call_command("search_reconcile", "--dry-run", stdout=out)
        self.assertIn("索引 1 条（未执行）", out.getvalue())
        self.assertFalse(SearchEntry.objects.exists())
