"""政策解读 / 热点回应: entry, 保密审查 before publication, the link from the document page,
and the console flag for important policies without an interpretation after 3 working days."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from gongkai.interaction import services
from gongkai.interaction.models import Interpretation
from gongkai.interaction.services import InteractionError
from gongkai.interaction.tests.helpers import at, policy_item
from gongkai.lib.testing import clock_at
from gongkai.test import BaseTestCase

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@override_settings(MEDIA_ROOT="/tmp/gongkai-test-media-interaction")
class InterpretationTest(BaseTestCase):
    def tearDown(self) -> None:
        from gongkai.search import visits

        visits.flush_visits()  # item-page visits are buffered per process: leave none behind
        super().tearDown()

    def test_it_enters_publishes_and_links_an_interpretation_from_its_document(self) -> None:
        item = policy_item(self, timezone.now() - dt.timedelta(days=1))
        self.login(self.lisi)
        response = self.client.post(
            reverse("interaction:interpretation_new"),
            {
                "agency": self.agency_a.pk,
                "kind": "policy",
                "title": "《通化市城乡最低生活保障办法》解读",
                "body": "一、制定背景\n二、主要内容",
                "items": item.index_number,
                "graphic": SimpleUploadedFile("tujie.png", PNG, content_type="image/png"),
                "graphic_alt": "低保申请流程：申请、审核、公示、发放",
                "video_url": "https://video.example.cn/dibao.mp4",
            },
        )
        obj = Interpretation.objects.get()
        self.assertRedirects(response, reverse("interaction:interpretation", kwargs={"pk": obj.pk}))
        self.assertEqual(list(obj.items.all()), [item])
        self.assertEqual(obj.status, "draft")
        self.assertEqual(self.client.get(public(obj)).status_code, 404)  # drafts are not public
        # the clerk may not publish; a leader may
        self.client.post(
            reverse("interaction:interpretation", kwargs={"pk": obj.pk}), {"action": "publish"}
        )
        obj.refresh_from_db()
        self.assertEqual(obj.status, "draft")
        self.login(self.sunba)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("interaction:interpretation", kwargs={"pk": obj.pk}), {"action": "publish"}
            )
        obj.refresh_from_db()
        self.assertEqual(obj.status, "published")
        self.assertAudited("interaction.interpretation.published", object_id=str(obj.pk))
        self.client.logout()
        page = self.client.get(reverse("portal:item", kwargs={"pk": item.pk}))
        self.assertContains(page, "相关解读")
        self.assertContains(page, public(obj))
        detail = self.client.get(public(obj))
        self.assertContains(detail, reverse("portal:item", kwargs={"pk": item.pk}))
        self.assertContains(detail, "低保申请流程")
        graphic = self.client.get(
            reverse("interaction_public:interpretation_graphic", kwargs={"pk": obj.pk})
        )
        self.assertEqual(graphic["Content-Type"], "image/png")
        listing = self.client.get(reverse("interaction_public:interpretations"), {"kind": "policy"})
        self.assertContains(listing, obj.title)
        found = self.client.get(reverse("portal:search"), {"q": "制定背景"})
        self.assertContains(found, public(obj))

    def test_it_refuses_a_disguised_graphic_and_an_unknown_document(self) -> None:
        self.login(self.lisi)
        data = {"agency": self.agency_a.pk, "kind": "policy", "title": "解读", "body": "正文"}
        bad = self.client.post(
            reverse("interaction:interpretation_new"),
            {
                **data,
                "graphic": SimpleUploadedFile("x.png", b"MZ\x90\x00exe", content_type="image/png"),
                "graphic_alt": "图",
            },
        )
        self.assertContains(bad, "不符", status_code=400)
        unknown = self.client.post(
            reverse("interaction:interpretation_new"), {**data, "items": "no-such-item"}
        )
        self.assertContains(unknown, "找不到已公开的文件", status_code=400)
        self.assertFalse(Interpretation.objects.exists())

    def test_it_blocks_publication_when_the_scan_finds_a_marking(self) -> None:
        obj = services.interpretation_save(
            by=self.lisi, agency=self.agency_a, kind="hotspot", title="回应", body="机密★1年 内容"
        )
        with self.assertRaisesMessage(InteractionError, "保密审查"):
            services.interpretation_publish(interpretation=obj, by=self.sunba)
        obj.refresh_from_db()
        self.assertEqual(obj.status, "draft")
        self.assertTrue(obj.scan_findings)

    def test_it_denies_another_agency(self) -> None:
        obj = services.interpretation_save(
            by=self.lisi, agency=self.agency_a, kind="policy", title="解读", body="正文"
        )
        self.login(self.zhaoliu)
        url = reverse("interaction:interpretation", kwargs={"pk": obj.pk})
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, {"action": "publish"}).status_code, 404)
        self.login(self.fenger)
        self.assertEqual(self.client.post(url, {"action": "publish"}).status_code, 403)

    def test_it_flags_important_policies_without_interpretation_after_3_working_days(self) -> None:
        published = at(dt.date(2012, 3, 5))  # Monday; due Thursday 8 March
        item = policy_item(self, published)
        policy_item(self, published, content_class="other", index_number="x-1", title="会议通知")
        flagged = services.policies_missing_interpretation(
            today=dt.date(2012, 3, 8), lookback_days=30
        )
        self.assertEqual(flagged, [])
        flagged = services.policies_missing_interpretation(
            today=dt.date(2012, 3, 9), lookback_days=30
        )
        self.assertEqual([i.pk for i in flagged], [item.pk])
        obj = services.interpretation_save(
            by=self.lisi,
            agency=self.agency_a,
            kind="policy",
            title="解读",
            body="正文",
            items=[item],
        )
        services.interpretation_publish(
            interpretation=obj, by=self.sunba, now=at(dt.date(2012, 3, 12))
        )
        self.assertEqual(
            services.policies_missing_interpretation(today=dt.date(2012, 3, 13), lookback_days=30),
            [],
        )
        self.assertEqual(
            services.interpretation_timeliness(2012),
            {"policies": 1, "interpreted": 1, "within_3_workdays": 0},
        )

    def test_it_lists_a_policy_whose_due_date_the_calendar_cannot_compute(self) -> None:
        # 2027 is not in the working-day table: the due date is unknown, so the policy is
        # listed (not silently dropped) once 3 calendar days have passed, without a date.
        patcher = clock_at(at(dt.date(2027, 1, 8), hour=12))  # public() hides future items
        patcher.start()
        self.addCleanup(patcher.stop)
        item = policy_item(self, at(dt.date(2027, 1, 4)))
        self.assertEqual(
            services.policies_missing_interpretation(today=dt.date(2027, 1, 7), lookback_days=30),
            [],
        )
        flagged = services.policies_missing_interpretation(
            today=dt.date(2027, 1, 8), lookback_days=30
        )
        self.assertEqual([i.pk for i in flagged], [item.pk])
        self.assertIsNone(flagged[0].interpretation_due)

    def test_it_shows_the_flag_in_the_console(self) -> None:
        # a fixed day inside the working-day calendar, so the due date is a real date
        patcher = clock_at(at(dt.date(2026, 6, 1)))
        patcher.start()
        self.addCleanup(patcher.stop)
        item = policy_item(self, timezone.now() - dt.timedelta(days=20))
        self.login(self.lisi)
        page = self.client.get(reverse("interaction:interpretations"))
        self.assertContains(page, item.title)
        home = self.client.get(reverse("console:home"))
        self.assertContains(home, "仍无政策解读")


def public(obj: Interpretation) -> str:
    return reverse("interaction_public:interpretation", kwargs={"pk": obj.pk})
