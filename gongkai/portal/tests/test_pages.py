"""Portal pages over the catalog: columns, filters, item page, print, attachments, guides."""

from __future__ import annotations

import datetime as dt
import tempfile

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from gongkai.publishing.models import Attachment, CatalogItem, Guide, Topic
from gongkai.search import visits
from gongkai.search.tests.factories import make_item
from gongkai.test import BaseTestCase

MEDIA = tempfile.mkdtemp(prefix="gk-portal-media-")


class PortalPagesTest(BaseTestCase):
    topic: Topic
    item: CatalogItem
    notice: CatalogItem
    withdrawn: CatalogItem
    expired: CatalogItem
    on_request: CatalogItem
    draft: CatalogItem

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.topic = Topic.objects.filter(code__regex=r"^\d{4}$").first()  # type: ignore[assignment]
        cls.item = make_item(
            cls.agency_a,
            title="关于做好农机购置补贴工作的通知",
            doc_number="通政发〔2012〕12号",
            keywords="农机 补贴",
            topic=cls.topic,
            published_at=timezone.make_aware(dt.datetime(2024, 3, 5, 9, 7)),
        )
        cls.notice = make_item(cls.agency_b, title="财政局预算公开通知公告", column="notice")
        cls.withdrawn = make_item(
            cls.agency_a, title="已撤回的信息", status="withdrawn", withdrawn_at=timezone.now()
        )
        cls.expired = make_item(
            cls.agency_a, title="已下线的信息", expire_at=timezone.now() - dt.timedelta(minutes=1)
        )
        cls.on_request = make_item(
            cls.agency_a, title="依申请公开的信息", disclosure_mode="on_request"
        )
        cls.draft = make_item(cls.agency_a, title="草稿信息", status="draft", published_at=None)

    def setUp(self) -> None:
        cache.clear()  # the page cache outlives each test's rolled-back rows

    def test_it_shows_the_home_page_with_latest_items(self) -> None:
        response = self.client.get(reverse("portal:home"))
        self.assertContains(response, "关于做好农机购置补贴工作的通知")
        self.assertContains(response, "财政局预算公开通知公告")
        for hidden in ("已撤回的信息", "已下线的信息", "依申请公开的信息", "草稿信息"):
            self.assertNotContains(response, hidden)

    def test_it_lists_columns_with_only_public_items(self) -> None:
        response = self.client.get(reverse("portal:catalog"))
        self.assertContains(response, "关于做好农机购置补贴工作的通知")
        self.assertContains(response, "2024-03-05 09:07")
        self.assertNotContains(response, "财政局预算公开通知公告")  # a 通知公告 item
        self.assertNotContains(response, "已撤回的信息")
        self.assertContains(self.client.get(reverse("portal:notices")), "财政局预算公开通知公告")
        self.assertContains(self.client.get(reverse("portal:news")), "本栏目暂无信息")
        self.assertContains(self.client.get(reverse("portal:rules")), "本栏目暂无信息")

    def test_it_filters_the_catalog_by_agency_topic_genre_and_year(self) -> None:
        url = reverse("portal:catalog")
        self.assertContains(self.client.get(url, {"agency": "th-mzj"}), "农机购置补贴")
        self.assertNotContains(self.client.get(url, {"agency": "th-czj"}), "农机购置补贴")
        self.assertContains(self.client.get(url, {"topic": self.topic.code[:2]}), "农机购置补贴")
        self.assertContains(
            self.client.get(url, {"genre": "notice", "year": "2024"}), "农机购置补贴"
        )
        self.assertNotContains(self.client.get(url, {"year": "2020"}), "农机购置补贴")

    def test_it_rejects_unknown_filters_with_a_message(self) -> None:
        url = reverse("portal:catalog")
        for params in (
            {"agency": "nope"},
            {"genre": "xx"},
            {"year": "abc"},
            {"topic": "1' OR 1=1"},
        ):
            response = self.client.get(url, params)
            self.assertEqual(response.status_code, 400, params)
            self.assertContains(response, "筛选条件无效", status_code=400)

    @override_settings(PORTAL_PAGE_CACHE=False)
    def test_it_lists_a_page_in_one_query_once_the_count_is_cached(self) -> None:
        url = reverse("portal:catalog")
        self.client.get(url)  # caches the site profile, the filter options and the count
        with self.assertNumQueries(1):  # the 20 rows: no COUNT(*), no query per row
            response = self.client.get(url, {"page": "1"})
        self.assertContains(response, "共 1 条")
        self.assertContains(
            response,
            f'<a href="/xxgk/{self.item.pk}/">关于做好农机购置补贴工作的通知</a>\n'
            f'  <span class="item-meta"><span>{self.agency_a.short_name or self.agency_a.name}'
            '</span><span>通政发〔2012〕12号</span><time datetime="2024-03-05T09:07:00+08:00">'
            "2024-03-05 09:07</time></span>",
            html=False,
        )

    @override_settings(PORTAL_PAGE_CACHE=False)
    def test_it_recounts_after_a_change_and_when_visibility_changes_by_the_clock(self) -> None:
        from unittest import mock

        from gongkai.portal import caching

        url = reverse("portal:catalog")
        self.assertContains(self.client.get(url), "共 1 条")
        self.assertContains(self.client.get(url, {"agency": "th-czj"}), "共 0 条")
        later = make_item(self.agency_b, expire_at=timezone.now() + dt.timedelta(hours=1))
        caching.content_changed([f"catalog:{later.pk}"])  # what publishing's hook does
        self.assertContains(self.client.get(url), "共 2 条")
        self.assertContains(self.client.get(url, {"agency": "th-czj"}), "共 1 条")
        scheduled = make_item(self.agency_b, published_at=timezone.now() + dt.timedelta(hours=2))
        caching.content_changed([f"catalog:{scheduled.pk}"])
        self.assertContains(self.client.get(url), "共 2 条")
        for hours, expected in ((1.5, "共 1 条"), (3, "共 2 条")):
            future = timezone.now() + dt.timedelta(hours=hours)
            with (
                mock.patch("django.utils.timezone.now", return_value=future),
                mock.patch.object(caching.time, "time", return_value=future.timestamp()),
            ):
                self.assertContains(self.client.get(url), expected)

    def test_it_survives_absurd_page_numbers(self) -> None:
        for page in ("999999999999", "-1", "abc", "0"):
            self.assertEqual(
                self.client.get(reverse("portal:catalog"), {"page": page}).status_code, 200
            )

    def test_it_shows_the_item_page_with_metadata(self) -> None:
        response = self.client.get(reverse("portal:item", kwargs={"pk": self.item.pk}))
        for text in (
            "索引号",
            self.item.index_number,
            "主题分类",
            "发布机构",
            "通化市民政局",
            "生成日期",
            "文号",
            "通政发〔2012〕12号",
            "主题词",
            "有效性",
            "有效",
            "访问次数",
            "2024-03-05 09:07",
        ):
            self.assertContains(response, text)

    def test_it_hides_items_that_are_not_public(self) -> None:
        for item in (self.withdrawn, self.expired, self.on_request, self.draft):
            self.assertEqual(
                self.client.get(reverse("portal:item", kwargs={"pk": item.pk})).status_code, 404
            )
            self.assertEqual(
                self.client.get(reverse("portal:item_print", kwargs={"pk": item.pk})).status_code,
                404,
            )

    def test_the_compiled_item_query_equals_the_orm_query(self) -> None:
        from gongkai.portal import views

        att = Attachment(
            item=self.notice, original_name="表.pdf", size=8, sha256="0" * 64,
            content_type="application/pdf",
        )  # fmt: skip
        att.file.save("b.pdf", ContentFile(b"%PDF-1.4"), save=True)
        items = (self.item, self.notice, self.withdrawn, self.expired, self.on_request, self.draft)
        for item in items:
            orm = next(iter(views._item_queryset(item.pk)), None)
            compiled = views._compiled_item_query.get(item.pk)
            self.assertEqual(compiled is None, orm is None, item.title)
            if orm is None or compiled is None:
                continue
            for field in views.ITEM_PAGE_FIELDS:
                obj_a, obj_b = orm, compiled
                *path, name = field.split("__")
                for step in path:
                    obj_a, obj_b = getattr(obj_a, step), getattr(obj_b, step)
                    if obj_a is None:
                        break
                if obj_a is None:  # no topic (or parent): neither path may invent one
                    self.assertIsNone(obj_b, field)
                else:
                    self.assertEqual(getattr(obj_b, name), getattr(obj_a, name), field)
            self.assertEqual(compiled.has_attachments, orm.has_attachments)  # type: ignore[attr-defined]
        self.assertTrue(views._compiled_item_query.get(self.notice.pk).has_attachments)  # type: ignore[union-attr]
        # "now" is bound per call: an item becomes invisible once its expiry passes.
        CatalogItem.objects.filter(pk=self.item.pk).update(
            expire_at=timezone.now() + dt.timedelta(milliseconds=50)
        )
        self.assertIsNotNone(views._compiled_item_query.get(self.item.pk))
        import time

        time.sleep(0.1)
        self.assertIsNone(views._compiled_item_query.get(self.item.pk))

    def test_it_counts_visits_without_writing_on_the_request(self) -> None:
        visits.flush_visits()
        url = reverse("portal:item", kwargs={"pk": self.item.pk})
        self.client.get(url)
        self.client.get(url)
        self.assertEqual(visits.pending_visits(self.item.pk), 2)
        self.client.get(reverse("portal:item", kwargs={"pk": self.withdrawn.pk}))
        self.assertEqual(visits.pending_visits(self.withdrawn.pk), 0)
        visits.flush_visits()
        self.item.refresh_from_db()
        self.assertEqual(self.item.visit_count, 2)

    def test_it_sanitises_the_body(self) -> None:
        CatalogItem.objects.filter(pk=self.item.pk).update(
            body='<p>正文</p><script>alert(1)</script><img src=x onerror="alert(2)">'
        )
        response = self.client.get(reverse("portal:item", kwargs={"pk": self.item.pk}))
        self.assertContains(response, "<p>正文</p>")
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "onerror")

    def test_it_has_a_print_view(self) -> None:
        response = self.client.get(reverse("portal:item_print", kwargs={"pk": self.item.pk}))
        self.assertContains(response, "打印")
        self.assertContains(response, "通政发〔2012〕12号")
        self.assertNotContains(response, 'class="main-nav"')

    @override_settings(MEDIA_ROOT=MEDIA, PORTAL_PAGE_CACHE=False)
    def test_it_renders_the_item_page_in_one_query(self) -> None:
        url = reverse("portal:item", kwargs={"pk": self.item.pk})
        self.client.get(url)  # warms the site-profile cache
        with self.assertNumQueries(1):
            response = self.client.get(url)
        parent = self.topic.parent
        self.assertContains(
            response, f"{parent.name}\\{self.topic.name}" if parent else self.topic.name
        )
        self.assertContains(response, "通化市民政局")
        self.assertContains(response, "农机 补贴")
        self.assertContains(response, "2024-03-05 09:07")
        self.assertNotContains(response, "附件")
        att = Attachment(
            item=self.item, original_name="补贴申请表.pdf", size=8, sha256="0" * 64,
            content_type="application/pdf", extracted_text="不显示的提取文本",
        )  # fmt: skip
        att.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=True)
        with self.assertNumQueries(2):
            response = self.client.get(url)
        self.assertContains(response, "补贴申请表.pdf")
        Attachment.objects.filter(pk=att.pk).update(removed_at=timezone.now())
        with self.assertNumQueries(1):
            response = self.client.get(url)
        self.assertNotContains(response, "补贴申请表.pdf")

    @override_settings(MEDIA_ROOT=MEDIA)
    def test_it_downloads_attachments_of_public_items_only(self) -> None:
        att = Attachment(
            item=self.item,
            original_name="补贴申请表.pdf",
            size=8,
            sha256="0" * 64,
            content_type="application/pdf",
        )
        att.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=True)
        page = self.client.get(reverse("portal:item", kwargs={"pk": self.item.pk}))
        url = reverse("portal:attachment", kwargs={"pk": self.item.pk, "att": att.pk})
        self.assertContains(page, url)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4")  # type: ignore[attr-defined]
        self.assertIn("attachment", response["Content-Disposition"])
        Attachment.objects.filter(pk=att.pk).update(removed_at=timezone.now())
        self.assertEqual(self.client.get(url).status_code, 404)
        other = reverse("portal:attachment", kwargs={"pk": self.withdrawn.pk, "att": att.pk})
        self.assertEqual(self.client.get(other).status_code, 404)

    def test_it_shows_each_agencys_guide(self) -> None:
        Guide.objects.create(
            agency=self.agency_a,
            version=1,
            classification="机构职能类",
            arrangement="按主题",
            access_methods="网站查阅",
            office_name="民政局办公室",
            office_address="通化市新华大街1号",
            office_hours="工作日 8:30-16:30",
            office_phone="0435-1234567",
        )
        listing = self.client.get(reverse("portal:guides"))
        self.assertContains(listing, "通化市民政局政府信息公开指南")
        response = self.client.get(reverse("portal:guide", kwargs={"code": "th-mzj"}))
        self.assertContains(response, "民政局办公室")
        self.assertContains(response, "0435-1234567")
        self.assertEqual(
            self.client.get(reverse("portal:guide", kwargs={"code": "th-czj"})).status_code, 404
        )

    def test_it_shows_the_configurable_footer(self) -> None:
        from gongkai.agencies.models import SiteProfile

        SiteProfile.objects.update_or_create(
            pk=1,
            defaults={
                "site_code": "2205000001",
                "icp_record": "吉ICP备12345678号",
                "police_record": "吉公网安备 22050202000001号",
            },
        )
        cache.delete("site_profile")
        response = self.client.get(reverse("portal:rules"))
        for text in ("主办单位", "2205000001", "吉ICP备12345678号", "吉公网安备"):
            self.assertContains(response, text)

    def test_it_toggles_elder_mode_in_a_cookie(self) -> None:
        response = self.client.post(reverse("portal:elder_toggle"), {"next": "/xxgk/"})
        self.assertRedirects(response, "/xxgk/", fetch_redirect_response=False)
        self.assertEqual(response.cookies["elder"].value, "1")
        self.assertContains(self.client.get("/xxgk/"), 'class="elder ')
        self.assertEqual(
            self.client.post(reverse("portal:elder_toggle"), {"next": "https://evil.example/"})[
                "Location"
            ],
            "/",
        )
        self.assertEqual(self.client.get(reverse("portal:elder_toggle")).status_code, 405)


class ItemVisitCountingTest(BaseTestCase):
    """Django counts item views only where nginx's visit log does not (see portal-cache.conf)."""

    def setUp(self) -> None:
        cache.clear()
        visits.flush_visits()

    def test_it_does_not_count_what_nginx_logs(self) -> None:
        item = make_item(self.agency_a)
        url = reverse("portal:item", kwargs={"pk": item.pk})
        self.client.get(url, HTTP_X_GONGKAI_VISIT_COUNTED="log")
        self.assertEqual(visits.pending_visits(item.pk), 0)
        self.client.get(url)  # no nginx in front
        self.assertEqual(visits.pending_visits(item.pk), 1)

    def test_it_counts_gets_of_visitors_but_not_staff(self) -> None:
        item = make_item(self.agency_a)
        url = reverse("portal:item", kwargs={"pk": item.pk})
        self.client.head(url)
        self.client.force_login(self.lisi)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(visits.pending_visits(item.pk), 0)
        self.client.logout()
        self.client.cookies["sessionid"] = "an-applicants-session"
        self.client.get(url)
        self.assertEqual(visits.pending_visits(item.pk), 1)

    def test_it_has_no_mirror_endpoint_any_more(self) -> None:
        item = make_item(self.agency_a)
        self.assertEqual(self.client.get(f"/xxgk/{item.pk}/visit/").status_code, 404)
