"""Console pages through HTTP: the flow, bad input, and who may see and do what."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from gongkai.publishing.models import CatalogItem, ChangeRequest, Guide, Revision, Topic
from gongkai.publishing.permissions import get_change_request_for_user, get_item_for_user
from gongkai.publishing.tests.factories import approved, published
from gongkai.test import BaseTestCase


def frame_post(agency_id: int, **overrides: str) -> dict[str, str]:
    data = {
        "agency": str(agency_id),
        "title": "通化市民政局2026年社会救助政策解读",
        "summary": "解读社会救助政策。",
        "body": "<p>政策解读正文</p>",
        "doc_number": "",
        "formed_on": "2026-11-02",
        "topic": str(Topic.objects.get(code="1703").pk),
        "genre": "notice",
        "keywords": "社会救助",
        "disclosure_mode": "proactive",
        "disclosure_reason": "",
        "scope": "public",
        "time_limit": "long_term",
        "validity": "valid",
        "effective_on": "",
        "invalid_on": "",
        "content_class": "public_interest",
        "art20_item": "",
        "art20_amount": "",
        "column": "catalog",
    }
    data.update(overrides)
    return data


class EntryViewsTest(BaseTestCase):
    def test_it_runs_the_entry_flow_over_http(self) -> None:
        self.login(self.lisi)
        response = self.client.post(reverse("publishing:create"), frame_post(self.agency_a.pk))
        item = CatalogItem.objects.get()
        self.assertRedirects(response, reverse("publishing:item", args=[item.pk]))
        rev = item.revisions.get()
        self.client.post(reverse("publishing:submit", args=[rev.pk]))
        for user in (self.wangwu, self.qianqi, self.sunba):
            self.login(user)
            page = self.client.get(reverse("publishing:queue"))
            self.assertContains(page, "政策解读")
            self.client.post(
                reverse("publishing:review", args=[rev.pk]),
                {"decision": "approve", "comment": "同意"},
            )
        self.login(self.lisi)
        page = self.client.get(reverse("publishing:item", args=[item.pk]))
        self.assertContains(page, "保密审查并发布")
        self.assertContains(page, "一校")
        self.client.post(
            reverse("publishing:publish", args=[rev.pk]), {"publish_at": "", "expire_at": ""}
        )
        item.refresh_from_db()
        self.assertEqual(item.status, "published")
        self.assertTrue(item.index_number.startswith(self.agency_a.org_code + "/"))

    def test_it_rerenders_bad_input_with_a_400(self) -> None:
        self.login(self.lisi)
        future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
        response = self.client.post(
            reverse("publishing:create"), frame_post(self.agency_a.pk, formed_on=future)
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "生成日期不能晚于今天", status_code=400)
        response = self.client.post(
            reverse("publishing:create"), frame_post(self.agency_a.pk, title="")
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(CatalogItem.objects.exists())

    def test_it_strips_scripts_from_rich_text(self) -> None:
        self.login(self.lisi)
        self.client.post(
            reverse("publishing:create"),
            frame_post(
                self.agency_a.pk,
                body='<p onclick="x()">正文</p><script>alert(1)</script><a href="javascript:x()">链接</a>',
            ),
        )
        rev = Revision.objects.get()
        self.assertNotIn("script", rev.body)
        self.assertNotIn("onclick", rev.body)
        self.assertNotIn("javascript", rev.body)

    def test_state_changing_views_reject_get(self) -> None:
        rev = approved(self)
        self.login(self.lisi)
        for name in ("submit", "review", "publish", "override", "scan"):
            self.assertEqual(
                self.client.get(reverse(f"publishing:{name}", args=[rev.pk])).status_code, 405, name
            )

    def test_a_viewer_cannot_write_and_an_outsider_cannot_see(self) -> None:
        rev = approved(self)
        self.login(self.fenger)
        self.assertEqual(
            self.client.get(reverse("publishing:item", args=[rev.item_id])).status_code, 200
        )
        self.assertEqual(
            self.client.post(reverse("publishing:publish", args=[rev.pk])).status_code, 403
        )
        self.login(self.zhaoliu)
        self.assertEqual(
            self.client.get(reverse("publishing:item", args=[rev.item_id])).status_code, 404
        )
        self.assertEqual(
            self.client.post(reverse("publishing:publish", args=[rev.pk])).status_code, 404
        )

    def test_a_wrong_status_becomes_a_message_not_a_500(self) -> None:
        item = published(self)
        rev = item.revisions.get()
        self.login(self.lisi)
        response = self.client.post(reverse("publishing:publish", args=[rev.pk]), follow=True)
        self.assertContains(response, "只有终审通过的信息可以发布")

    def test_it_uploads_and_refuses_a_disguised_attachment(self) -> None:
        rev = approved(self)
        self.login(self.lisi)
        fake = SimpleUploadedFile(
            "通知.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf"
        )
        response = self.client.post(
            reverse("publishing:attach", args=[rev.item_id]), {"file": fake}, follow=True
        )
        self.assertContains(response, "不符")
        good = SimpleUploadedFile(
            "名单.txt", "低保对象名单\n王某 13943512345".encode(), content_type="text/plain"
        )
        self.client.post(reverse("publishing:attach", args=[rev.item_id]), {"file": good})
        att = rev.item.attachments.get()
        self.assertIn("13943512345", att.extracted_text)
        response = self.client.post(reverse("publishing:publish", args=[rev.pk]), follow=True)
        self.assertContains(response, "手机号码")
        self.assertContains(response, "附件《名单.txt》")
        self.assertEqual(
            self.client.get(reverse("publishing:attachment", args=[att.pk])).status_code, 200
        )
        self.assertAudited("publishing.attachment.added")


class ChangeViewsTest(BaseTestCase):
    def test_it_runs_a_deletion_over_http(self) -> None:
        item = published(self)
        self.login(self.lisi)
        response = self.client.post(
            reverse("publishing:change_create", args=[item.pk]),
            {"kind": "delete", "reason": "该信息已过时效"},
        )
        cr = ChangeRequest.objects.get()
        self.assertRedirects(response, reverse("publishing:change", args=[cr.pk]))
        for user in (self.sunba, self.chenzd, self.chuwg, self.zhoujiu):
            self.login(user)
            page = self.client.get(reverse("publishing:change", args=[cr.pk]))
            self.assertContains(page, "提交")
            self.client.post(
                reverse("publishing:change_step", args=[cr.pk]), {"accept": "1", "comment": "同意"}
            )
        cr.refresh_from_db()
        self.assertEqual(cr.status, "verified")
        item.refresh_from_db()
        self.assertEqual(item.status, "withdrawn")

    def test_it_runs_a_change_over_http(self) -> None:
        from gongkai.publishing.tests.test_views import frame_post

        item = published(self)
        self.login(self.lisi)
        data = frame_post(
            self.agency_a.pk,
            title="更正后的名称",
            kind="change",
            reason="名称错误需更正",
            formed_on="2026-11-02",
        )
        data.pop("agency")
        data["body"] = item.body
        response = self.client.post(reverse("publishing:change_create", args=[item.pk]), data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        cr = ChangeRequest.objects.get()
        self.assertEqual(Revision.objects.get(pk=cr.revision_id or 0).title, "更正后的名称")
        page = self.client.get(reverse("publishing:change", args=[cr.pk]))
        self.assertContains(page, "更正后的名称")


class ChangeAttachmentViewTest(BaseTestCase):
    def test_it_uploads_a_file_with_a_change_request(self) -> None:
        from gongkai.publishing.models import ChangeAttachment

        item = published(self)
        self.login(self.lisi)
        data: dict[str, object] = dict(
            frame_post(self.agency_a.pk, kind="change", reason="补充附件", title=item.title)
        )
        data.pop("agency")
        data["body"] = item.body
        data["keywords"] = item.keywords
        data["summary"] = item.summary
        data["genre"] = item.genre
        data["content_class"] = item.content_class
        data["doc_number"] = item.doc_number
        data["new_file"] = SimpleUploadedFile("补充说明.txt", "补充说明".encode())
        response = self.client.post(reverse("publishing:change_create", args=[item.pk]), data)
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        cr = ChangeRequest.objects.get()
        self.assertEqual(ChangeAttachment.objects.get(request=cr).original_name, "补充说明.txt")
        self.assertContains(
            self.client.get(reverse("publishing:change", args=[cr.pk])), "新增：补充说明.txt"
        )


class GuideViewsTest(BaseTestCase):
    GUIDE = {
        "classification": "主动公开信息分为机构职能、政策文件、规划计划等。",
        "arrangement": "按主题分类和体裁分类编排。",
        "access_methods": "通过政府信息公开网、查阅点获取。",
        "office_name": "通化市民政局办公室",
        "office_address": "通化市东昌区新华大街1号",
        "office_hours": "工作日 8:30-16:30",
        "office_phone": "0435-3200000",
        "office_fax": "",
        "office_internet": "",
        "office_postcode": "134001",
        "other": "",
    }

    def test_it_versions_the_guide(self) -> None:
        self.login(self.wushi)
        url = reverse("publishing:guide_edit", args=[self.agency_a.pk])
        self.client.post(url, self.GUIDE)
        self.client.post(url, {**self.GUIDE, "office_hours": "工作日 8:30-17:00"})
        response = self.client.post(url, {**self.GUIDE, "office_hours": "工作日 8:30-17:00"})
        self.assertContains(response, "内容没有变化", status_code=400)
        current = Guide.objects.current_for(self.agency_a)
        self.assertEqual(current.version, 2)
        self.assertEqual(current.office_hours, "工作日 8:30-17:00")
        self.assertEqual(Guide.objects.filter(agency=self.agency_a).count(), 2)
        self.assertAudited("publishing.guide.saved")

    def test_it_refuses_an_incomplete_guide_and_outsiders(self) -> None:
        self.login(self.wushi)
        response = self.client.post(
            reverse("publishing:guide_edit", args=[self.agency_a.pk]),
            {**self.GUIDE, "office_phone": ""},
        )
        self.assertEqual(response.status_code, 400)
        self.login(self.zhaoliu)
        self.assertEqual(
            self.client.get(reverse("publishing:guide_edit", args=[self.agency_a.pk])).status_code,
            404,
        )
        self.login(self.fenger)
        self.assertEqual(
            self.client.get(reverse("publishing:guide_edit", args=[self.agency_a.pk])).status_code,
            403,
        )


class AccessParityTest(BaseTestCase):
    def test_list_matches_access_function_for_every_persona(self) -> None:
        a = published(self)
        b_rev = __import__("gongkai.publishing.services", fromlist=["x"]).item_create(
            agency=self.agency_b,
            by=self.zhaoliu,
            fields={"title": "财政局信息", "formed_on": dt.date(2026, 11, 1)},
        )
        from gongkai.publishing import services

        cr = services.change_request_create(
            item=a, by=self.lisi, kind="delete", reason="信息已过时效"
        )
        items = [a, b_rev.item]
        for name, user in self.personas().items():
            visible = set(CatalogItem.objects.for_user(user).values_list("pk", flat=True))
            for item in items:
                try:
                    get_item_for_user(user, item.pk)
                    allowed = True
                except Http404:
                    allowed = False
                self.assertEqual(allowed, item.pk in visible, f"{name} item {item.pk}")
            try:
                get_change_request_for_user(user, cr.pk)
                allowed = True
            except Http404:
                allowed = False
            self.assertEqual(
                allowed, ChangeRequest.objects.for_user(user).filter(pk=cr.pk).exists(), name
            )
        self.assertFalse(CatalogItem.objects.for_user(self.personas()["auditor"]).exists())
        self.assertTrue(
            CatalogItem.objects.for_user(self.personas()["chenzd"])
            .filter(pk=b_rev.item_id)
            .exists()
        )

    def test_pages_render_for_every_persona(self) -> None:
        published(self)
        for name, user in self.personas().items():
            self.client.force_login(user)
            for url in (
                "console:home",
                "publishing:list",
                "publishing:queue",
                "publishing:changes",
                "publishing:guides",
                "publishing:withheld",
            ):
                self.assertEqual(self.client.get(reverse(url)).status_code, 200, f"{name} {url}")


class SearchSyncTest(BaseTestCase):
    def test_it_indexes_on_publish_masked_and_removes_on_withdraw(self) -> None:
        from gongkai.publishing import services
        from gongkai.publishing.tests.factories import detail_entry
        from gongkai.publishing.tests.test_change import run_change
        from gongkai.search.api import SearchQuery, search
        from gongkai.search.models import SearchEntry

        rev = detail_entry(self, approved(self), body="<p>救助热线13943512345，低保标准提高</p>")
        services.scan_override(revision=rev, by=self.wangwu, reason="这是公开的救助热线号码")
        with self.captureOnCommitCallbacks(execute=True):
            item = services.item_publish(revision=rev, by=self.lisi)
        page = search(SearchQuery(q="低保"))
        self.assertEqual([h.key for h in page.hits], [f"catalog:{item.pk}"])
        entry = SearchEntry.objects.get(key=f"catalog:{item.pk}")
        self.assertNotIn("13943512345", str(entry.__dict__))
        with self.captureOnCommitCallbacks(execute=True):
            run_change(self, item, None, kind="delete")
        self.assertFalse(SearchEntry.objects.filter(key=f"catalog:{item.pk}").exists())
