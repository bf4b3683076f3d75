"""The demo loader: realistic, idempotent."""

from __future__ import annotations

from django.test import TestCase

from gongkai.publishing.models import CatalogItem, Guide, Revision


class DemoTest(TestCase):
    def test_it_loads_twice_without_duplicates(self) -> None:
        from gongkai.accounts import demo as accounts_demo
        from gongkai.agencies import demo as agencies_demo
        from gongkai.publishing import demo

        agencies_demo.load()
        accounts_demo.load()
        first = demo.load()
        self.assertGreaterEqual(first["catalog_items"], 30)
        self.assertTrue(CatalogItem.objects.filter(published_at__year=2012).exists())
        self.assertEqual(
            set(CatalogItem.objects.values_list("column", flat=True)),
            {"catalog", "notice", "news", "rules"},
        )
        self.assertTrue(Revision.objects.filter(status="in_review").exists())
        self.assertTrue(Guide.objects.filter(agency__code="th-mzj").exists())
        self.assertTrue(CatalogItem.objects.withheld_review_due().exists())
        self.assertFalse(CatalogItem.objects.public().filter(disclosure_mode="withheld").exists())
        items = list(
            CatalogItem.objects.exclude(index_number="").values_list("index_number", flat=True)
        )
        self.assertEqual(len(items), len(set(items)))
        second = demo.load()
        self.assertEqual(first, second)
