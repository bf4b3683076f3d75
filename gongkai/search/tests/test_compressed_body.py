"""The entry's body is stored zlib-compressed (issue 18, migration 0009) and still reads,
searches, snippets, serializes and deletes as plain text."""

from __future__ import annotations

import zlib

from django.core import serializers
from django.core.exceptions import FieldError
from django.db import connection

from gongkai.search.api import SearchDoc, SearchQuery, index_documents, remove_documents, search
from gongkai.search.models import SearchEntry
from gongkai.test import BaseTestCase

BODY = "各县（市、区）人民政府：为落实农机购置补贴政策，现将有关事项通知如下。" * 30


class CompressedBodyTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        index_documents(
            [SearchDoc(key="c:1", kind="catalog", agency_id=None, title="补贴通知", body_text=BODY)]
        )

    def test_the_column_holds_compressed_bytes_and_the_model_reads_text(self) -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT body_text FROM search_searchentry WHERE key = %s", ["c:1"])
            stored = bytes(cur.fetchone()[0])
        self.assertEqual(zlib.decompress(stored).decode(), BODY)
        self.assertLess(len(stored), len(BODY.encode()) / 4)
        self.assertEqual(SearchEntry.objects.get(key="c:1").body_text, BODY)
        self.assertEqual(list(SearchEntry.objects.values_list("body_text", flat=True)), [BODY])

    def test_search_and_snippets_see_the_text(self) -> None:
        page = search(SearchQuery(q="农机购置补贴"))
        self.assertEqual(page.total, 1)
        self.assertIn("<mark>", page.hits[0].snippet_html)

    def test_lookups_inside_the_compressed_value_are_refused(self) -> None:
        with self.assertRaises(FieldError):
            list(SearchEntry.objects.filter(body_text__contains="补贴"))
        self.assertTrue(SearchEntry.objects.filter(body_text=BODY).exists())

    def test_it_serializes_and_loads_as_text(self) -> None:
        data = serializers.serialize("json", SearchEntry.objects.all())
        self.assertIn("农机购置补贴", data)
        SearchEntry.objects.all().delete()
        for obj in serializers.deserialize("json", data):
            obj.save()
        self.assertEqual(SearchEntry.objects.get(key="c:1").body_text, BODY)

    def test_an_update_behind_the_api_stores_compressed_text_and_removal_still_works(self) -> None:
        SearchEntry.objects.filter(key="c:1").update(body_text=BODY)
        self.assertEqual(SearchEntry.objects.get(key="c:1").body_text, BODY)
        self.assertEqual(remove_documents(["c:1"]), 1)
        self.assertEqual(search(SearchQuery(q="农机购置补贴")).total, 0)
