"""Search page, feeds, sitemap and HTTP caching of the portal."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from gongkai.publishing.models import CatalogItem
from gongkai.search.api import index_documents
from gongkai.search.tests.factories import make_item
from gongkai.test import BaseTestCase


def index_item(item: CatalogItem) -> None:
    """Index as publishing does on publish (its ``search_doc_for`` masks personal data)."""
    from gongkai.publishing.services import search_doc_for

    index_documents([search_doc_for(item)])


class PortalSearchTest(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.item = make_item(
            self.agency_a, title="关于做好农机购置补贴工作的通知", doc_number="通政发〔2012〕12号"
        )
        self.other = make_item(self.agency_b, title="财政局预算执行情况", body="<p>预算</p>")
        index_item(self.item)
        index_item(self.other)

    def test_it_searches_and_highlights(self) -> None:
        response = self.client.get(reverse("portal:search"), {"q": "农机购置补贴"})
        self.assertContains(response, "<mark>农机购置补贴</mark>")
        self.assertContains(response, "找到 1 条结果")

    def test_it_finds_doc_numbers(self) -> None:
        self.assertContains(
            self.client.get(reverse("portal:search"), {"q": "通政发〔2012〕12号"}), "关于做好"
        )

    def test_it_filters_by_agency_and_sorts(self) -> None:
        url = reverse("portal:search")
        self.assertNotContains(self.client.get(url, {"q": "补贴", "agency": "th-czj"}), "关于做好")
        self.assertContains(
            self.client.get(url, {"q": "补贴", "agency": "th-mzj", "sort": "date"}), "关于做好"
        )
        self.assertContains(self.client.get(url, {"agency": "th-czj"}), "财政局预算执行情况")

    def test_it_helps_when_nothing_matches(self) -> None:
        response = self.client.get(reverse("portal:search"), {"q": "航天飞机"})
        self.assertContains(response, "没有找到符合条件的信息")
        self.assertContains(response, "提出政府信息公开申请")

    def test_it_rejects_bad_input_with_400_and_a_message(self) -> None:
        url = reverse("portal:search")
        cases = [
            ({"q": "补" * 5000}, "检索词过长"),
            ({"q": "补贴", "page": "99999999"}, "页码"),
            ({"q": "补贴", "agency": "nope"}, "没有这个发布机构"),
            ({"q": "补贴", "sort": "evil"}, "排序"),
            ({"q": "补贴", "date_from": "2024-02-30"}, "日期"),
            (
                {"q": "补贴", "date_from": "2024-05-01", "date_to": "2024-01-01"},
                "起始日期不能晚于截止日期",
            ),
        ]
        for params, text in cases:
            response = self.client.get(url, params)
            self.assertEqual(response.status_code, 400, params)
            self.assertContains(response, text, status_code=400)

    def test_it_treats_operators_as_text(self) -> None:
        for q in ['补贴" OR 1=1 --', "NEAR(补贴)", "*", "'); DROP TABLE search_fts; --"]:
            self.assertEqual(
                self.client.get(reverse("portal:search"), {"q": q}).status_code, 200, q
            )

    def test_it_never_shows_items_that_stopped_being_public(self) -> None:
        # expired but not yet swept from the index by the scheduler
        CatalogItem.objects.filter(pk=self.item.pk).update(
            expire_at=timezone.now() - dt.timedelta(seconds=1)
        )
        cache.clear()
        self.assertNotContains(self.client.get(reverse("portal:search"), {"q": "农机"}), "关于做好")


class FeedsAndSitemapTest(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.item = make_item(self.agency_a, title="民政局通知一")
        self.hidden = make_item(
            self.agency_a, title="撤回的通知", status="withdrawn", withdrawn_at=timezone.now()
        )

    def test_it_serves_rss_and_atom_per_column_and_agency(self) -> None:
        rss = self.client.get(reverse("portal:feed", kwargs={"column": "catalog", "fmt": "rss"}))
        self.assertEqual(rss.status_code, 200)
        root = ET.fromstring(rss.content)
        titles = [t.text for t in root.iter("title")]
        self.assertIn("民政局通知一", titles)
        self.assertNotIn("撤回的通知", titles)
        atom = self.client.get(
            reverse("portal:feed", kwargs={"column": "catalog", "fmt": "atom"}),
            {"agency": "th-mzj"},
        )
        self.assertIn("http://www.w3.org/2005/Atom", atom.content.decode())
        self.assertIn("民政局通知一", atom.content.decode())
        other = self.client.get(
            reverse("portal:feed", kwargs={"column": "catalog", "fmt": "rss"}), {"agency": "th-czj"}
        )
        self.assertNotIn("民政局通知一", other.content.decode())

    def test_it_rejects_malformed_feed_parameters(self) -> None:
        self.assertEqual(self.client.get("/feeds/nope/rss.xml").status_code, 404)
        self.assertEqual(self.client.get("/feeds/catalog/json.xml").status_code, 404)
        self.assertEqual(
            self.client.get("/feeds/catalog/rss.xml", {"agency": "<script>"}).status_code, 404
        )
        self.assertEqual(
            self.client.get("/feeds/catalog/rss.xml", {"agency": "nope"}).status_code, 404
        )

    def test_it_serves_a_sitemap(self) -> None:
        index = self.client.get(reverse("portal:sitemap"))
        self.assertEqual(index["Content-Type"], "application/xml; charset=utf-8")
        self.assertIn("/sitemap-1.xml", index.content.decode())
        page = self.client.get("/sitemap-1.xml").content.decode()
        ET.fromstring(page)
        self.assertIn(f"/xxgk/{self.item.pk}/", page)
        self.assertNotIn(f"/xxgk/{self.hidden.pk}/", page)
        self.assertEqual(self.client.get("/sitemap-99.xml").status_code, 404)


class CachingTest(BaseTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.item = make_item(self.agency_a, title="缓存测试条目")

    def test_it_sends_validators_and_answers_304(self) -> None:
        url = reverse("portal:item", kwargs={"pk": self.item.pk})
        first = self.client.get(url)
        self.assertIn("public", first["Cache-Control"])
        self.assertTrue(first["ETag"])
        self.assertTrue(first["Last-Modified"])
        again = self.client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        self.assertEqual(again.status_code, 304)
        since = self.client.get(
            reverse("portal:home"),
            HTTP_IF_MODIFIED_SINCE=self.client.get(reverse("portal:home"))["Last-Modified"],
        )
        self.assertEqual(since.status_code, 304)

    def test_it_serves_anonymous_pages_from_the_cache_and_invalidates_on_change(self) -> None:
        url = reverse("portal:catalog")
        self.assertEqual(self.client.get(url)["X-Portal-Cache"], "miss")
        self.assertEqual(self.client.get(url)["X-Portal-Cache"], "hit")
        new = make_item(self.agency_a, title="新发布的条目")
        self.assertNotContains(self.client.get(url), "新发布的条目")  # still the cached page
        with self.captureOnCommitCallbacks(execute=True):
            index_item(new)  # publishing indexes on publish: that invalidates the portal
        response = self.client.get(url)
        self.assertEqual(response["X-Portal-Cache"], "miss")
        self.assertContains(response, "新发布的条目")

    def test_it_keeps_signed_in_pages_private(self) -> None:
        self.login(self.lisi)
        response = self.client.get(reverse("portal:home"))
        self.assertIn("private", response["Cache-Control"])
        self.assertNotIn("X-Portal-Cache", response)

    def test_it_caches_the_elder_variant_separately(self) -> None:
        url = reverse("portal:home")
        self.client.get(url)
        self.client.cookies["elder"] = "1"
        self.assertContains(self.client.get(url), 'class="elder ')
