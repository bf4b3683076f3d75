"""The entry workflow: 框架录入 → 一校 → 二校 → 终审 → 详细信息录入并发布."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.publishing import services
from gongkai.publishing.models import CatalogItem, Review, ReviewStage, Revision
from gongkai.publishing.services import PublishingError
from gongkai.publishing.tests.factories import approved, detail_entry, fields, published
from gongkai.test import BaseTestCase


class EntryWorkflowTest(BaseTestCase):
    def test_it_takes_an_item_through_the_default_chain(self) -> None:
        rev = services.item_create(agency=self.agency_a, by=self.lisi, fields=fields())
        services.revision_submit(revision=rev, by=self.lisi)
        rev.refresh_from_db()
        self.assertEqual(rev.stage and rev.stage.name, "一校")
        services.review_record(revision=rev, by=self.wangwu, decision="approve")
        services.review_record(revision=rev, by=self.qianqi, decision="approve")
        rev.refresh_from_db()
        self.assertEqual(rev.stage and rev.stage.name, "终审")
        services.review_record(revision=rev, by=self.sunba, decision="approve", comment="同意发布")
        rev.refresh_from_db()
        self.assertEqual(rev.status, Revision.Status.APPROVED)
        item = services.item_publish(revision=rev, by=self.lisi)
        self.assertEqual(item.status, CatalogItem.Status.PUBLISHED)
        self.assertTrue(CatalogItem.objects.public().filter(pk=item.pk).exists())
        self.assertEqual(item.title, fields()["title"])
        self.assertEqual(
            [r.stage_name for r in Review.objects.filter(revision=rev)], ["一校", "二校", "终审"]
        )
        for action in (
            "publishing.item.created",
            "publishing.revision.submitted",
            "publishing.review.approve",
            "publishing.item.published",
        ):
            self.assertAudited(action)

    def test_it_refuses_self_review(self) -> None:
        rev = services.item_create(agency=self.agency_a, by=self.lisi, fields=fields())
        services.revision_submit(revision=rev, by=self.lisi)
        # lisi is no proofreader; give the author the role to test the own-entry rule
        from gongkai.accounts.models import Membership, Role

        Membership.objects.create(user=self.lisi, agency=self.agency_a, role=Role.PROOFREADER)
        lisi = type(self.lisi).objects.get(pk=self.lisi.pk)
        with self.assertRaisesMessage(PublishingError, "不能审核自己录入的信息"):
            services.review_record(revision=rev, by=lisi, decision="approve")

    def test_it_refuses_reviewing_twice_in_a_row(self) -> None:
        rev = services.item_create(agency=self.agency_a, by=self.lisi, fields=fields())
        services.revision_submit(revision=rev, by=self.lisi)
        services.review_record(revision=rev, by=self.wangwu, decision="approve")
        with self.assertRaisesMessage(PublishingError, "连续审核"):
            services.review_record(revision=rev, by=self.wangwu, decision="approve")

    def test_it_refuses_a_reviewer_without_the_stage_role(self) -> None:
        rev = services.item_create(agency=self.agency_a, by=self.lisi, fields=fields())
        services.revision_submit(revision=rev, by=self.lisi)
        with self.assertRaisesMessage(PublishingError, "一校"):
            services.review_record(revision=rev, by=self.sunba, decision="approve")
        with self.assertRaises(PublishingError):
            services.review_record(revision=rev, by=self.zhaoliu, decision="approve")

    def test_it_returns_to_the_author_with_the_comment(self) -> None:
        rev = services.item_create(agency=self.agency_a, by=self.lisi, fields=fields())
        services.revision_submit(revision=rev, by=self.lisi)
        with self.assertRaisesMessage(PublishingError, "退回意见"):
            services.review_record(revision=rev, by=self.wangwu, decision="return")
        services.review_record(revision=rev, by=self.wangwu, decision="return", comment="文号有误")
        rev.refresh_from_db()
        self.assertEqual(rev.status, Revision.Status.RETURNED)
        self.assertEqual(rev.return_comment, "文号有误")
        services.revision_update(
            revision=rev, by=self.lisi, fields={"doc_number": "通民发〔2026〕13号"}
        )
        services.revision_submit(revision=rev, by=self.lisi)
        rev.refresh_from_db()
        self.assertEqual(rev.stage and rev.stage.name, "一校")
        # wangwu returned in the previous round; reviewing the new round is allowed
        services.review_record(revision=rev, by=self.wangwu, decision="approve")

    def test_it_uses_the_agencys_own_stages(self) -> None:
        ReviewStage.objects.create(agency=self.agency_a, order=1, name="审核", role="approver")
        rev = services.item_create(agency=self.agency_a, by=self.lisi, fields=fields())
        services.revision_submit(revision=rev, by=self.lisi)
        services.review_record(revision=rev, by=self.sunba, decision="approve")
        rev.refresh_from_db()
        self.assertEqual(rev.status, Revision.Status.APPROVED)

    def test_it_freezes_frame_fields_after_final_review(self) -> None:
        rev = approved(self)
        with self.assertRaisesMessage(PublishingError, "名称"):
            services.revision_update(revision=rev, by=self.lisi, fields={"title": "另一个名称"})
        services.revision_update(
            revision=rev, by=self.lisi, fields={"body": "<p>详细内容</p><script>alert(1)</script>"}
        )
        rev.refresh_from_db()
        self.assertEqual(rev.body, "<p>详细内容</p>")

    def test_it_refuses_a_future_formation_date_and_missing_title(self) -> None:
        with self.assertRaisesMessage(PublishingError, "生成日期不能晚于今天"):
            services.item_create(
                agency=self.agency_a,
                by=self.lisi,
                fields=fields(formed_on=timezone.localdate() + dt.timedelta(days=2)),
            )
        with self.assertRaisesMessage(PublishingError, "名称不能为空"):
            services.item_create(agency=self.agency_a, by=self.lisi, fields=fields(title="  "))
        self.assertFalse(CatalogItem.objects.exists())

    def test_it_refuses_entry_by_a_non_clerk(self) -> None:
        with self.assertRaisesMessage(PublishingError, "录入员"):
            services.item_create(agency=self.agency_a, by=self.wangwu, fields=fields())
        with self.assertRaises(PublishingError):
            services.item_create(agency=self.agency_a, by=self.zhaoliu, fields=fields())

    def test_reviews_are_immutable(self) -> None:
        rev = services.item_create(agency=self.agency_a, by=self.lisi, fields=fields())
        services.revision_submit(revision=rev, by=self.lisi)
        review = services.review_record(
            revision=rev, by=self.wangwu, decision="approve", comment="好"
        )
        review.comment = "改了"
        with self.assertRaises(ValueError):
            review.save()
        with self.assertRaises(ValueError):
            review.delete()


class IndexNumberTest(BaseTestCase):
    def test_it_uses_the_org_code_and_a_yearly_serial_by_default(self) -> None:
        a = published(self)
        b = published(self, title="第二条")
        year = timezone.localtime(a.published_at).year
        self.assertEqual(a.index_number, f"{self.agency_a.org_code}/{year}-00001")
        self.assertEqual(b.index_number, f"{self.agency_a.org_code}/{year}-00002")
        self.assertEqual(len(a.index_number), 20)

    @override_settings(INDEX_NUMBER_PREFIX="uscc", INDEX_NUMBER_SERIAL="YYYYMM-NNNNN")
    def test_it_uses_the_uscc_and_a_monthly_serial_when_configured(self) -> None:
        a = published(self)
        month = timezone.localtime(a.published_at).strftime("%Y%m")
        self.assertEqual(a.index_number, f"{self.agency_a.uscc}/{month}-00001")

    def test_it_never_changes_the_index_number(self) -> None:
        from gongkai.publishing.tests.test_change import run_change

        item = published(self)
        number = item.index_number
        run_change(self, item, {"title": "更正后的名称"})
        item.refresh_from_db()
        self.assertEqual(item.index_number, number)
        self.assertEqual(item.title, "更正后的名称")

    def test_it_counts_formation_to_publication_workdays(self) -> None:
        rev = approved(self, formed_on=dt.date(2026, 9, 1))
        now = timezone.make_aware(dt.datetime(2026, 10, 15, 10, 0))
        item = services.item_publish(revision=rev, by=self.lisi, now=now)
        # 2026-09-02 … 2026-10-15: September 21 WD after the 1st, 国庆 1–8 Oct (调休 9-20 and 10-10)
        from gongkai.workdays.calendar import workdays_between

        self.assertEqual(
            item.publish_workdays, workdays_between(dt.date(2026, 9, 1), dt.date(2026, 10, 15))
        )
        self.assertGreater(item.publish_workdays or 0, 20)
        self.assertTrue(item.is_late)
        self.assertIn(item, CatalogItem.objects.late())


class ScheduleTest(BaseTestCase):
    def test_it_publishes_and_expires_on_schedule(self) -> None:
        rev = approved(self)
        now = timezone.now()
        item = services.item_publish(
            revision=rev,
            by=self.lisi,
            publish_at=now + dt.timedelta(hours=2),
            expire_at=now + dt.timedelta(days=3),
            now=now,
        )
        self.assertEqual(item.status, CatalogItem.Status.SCHEDULED)
        self.assertEqual(item.index_number, "")
        self.assertFalse(CatalogItem.objects.public().exists())
        self.assertEqual(
            services.catalog_run_schedule(now=now + dt.timedelta(hours=1))["published"], 0
        )
        result = services.catalog_run_schedule(now=now + dt.timedelta(hours=3))
        self.assertEqual(result["published"], 1)
        item.refresh_from_db()
        self.assertTrue(item.index_number)
        self.assertTrue(
            CatalogItem.objects.public(now=now + dt.timedelta(hours=3)).filter(pk=item.pk).exists()
        )
        self.assertEqual(
            services.catalog_run_schedule(now=now + dt.timedelta(hours=4))["published"], 0
        )
        services.catalog_run_schedule(now=now + dt.timedelta(days=4))
        item.refresh_from_db()
        self.assertIsNotNone(item.expired_at)
        self.assertFalse(CatalogItem.objects.public(now=now + dt.timedelta(days=4)).exists())
        self.assertAudited("publishing.item.expired")

    def test_it_cancels_a_schedule(self) -> None:
        rev = approved(self)
        now = timezone.now()
        item = services.item_publish(
            revision=rev, by=self.lisi, publish_at=now + dt.timedelta(days=1), now=now
        )
        with self.assertRaises(PublishingError):
            services.item_unschedule(item=item, by=self.wangwu)
        services.item_unschedule(item=item, by=self.lisi)
        self.assertEqual(
            services.catalog_run_schedule(now=now + dt.timedelta(days=2))["published"], 0
        )
        item = services.item_publish(revision=rev, by=self.lisi, now=now)
        self.assertEqual(item.status, CatalogItem.Status.PUBLISHED)
        self.assertAudited("publishing.item.unscheduled")

    def test_it_refuses_an_expiry_before_publication(self) -> None:
        rev = approved(self)
        now = timezone.now()
        with self.assertRaisesMessage(PublishingError, "下线时间"):
            services.item_publish(
                revision=rev, by=self.lisi, expire_at=now - dt.timedelta(hours=1), now=now
            )


class ScanGateTest(BaseTestCase):
    PLANTED = "<p>申请人张某，身份证号220502198001011230，电话13943512345。</p>"

    def test_it_blocks_publication_on_a_planted_id_number(self) -> None:
        from gongkai.lib.codes import id_check_char

        body17 = "22050219800101123"
        planted = f"<p>申请人身份证号{body17}{id_check_char(body17)}。</p>"
        rev = detail_entry(self, approved(self), body=planted)
        with self.assertRaisesMessage(PublishingError, "身份证号"):
            services.item_publish(revision=rev, by=self.lisi)
        rev.refresh_from_db()
        self.assertEqual(rev.scan_findings[0]["kind"], "id_number")
        self.assertNotIn(body17, rev.scan_findings[0]["context"])
        self.assertFalse(CatalogItem.objects.exclude(index_number="").exists())

    def test_it_publishes_after_an_audited_override(self) -> None:
        rev = detail_entry(self, approved(self), body="<p>联系电话13943512345</p>")
        with self.assertRaises(PublishingError):
            services.item_publish(revision=rev, by=self.lisi)
        with self.assertRaisesMessage(PublishingError, "理由"):
            services.scan_override(revision=rev, by=self.wangwu, reason="")
        with self.assertRaises(PublishingError):
            services.scan_override(revision=rev, by=self.lisi, reason="这是单位办公电话")
        services.scan_override(
            revision=rev, by=self.wangwu, reason="这是单位对外办公电话，可以公开"
        )
        item = services.item_publish(revision=rev, by=self.lisi)
        self.assertEqual(item.status, CatalogItem.Status.PUBLISHED)
        entry = AuditEntry.objects.get(action="publishing.scan.overridden")
        self.assertIn("办公电话", entry.message)

    def test_an_edit_after_override_needs_a_new_override(self) -> None:
        rev = detail_entry(self, approved(self), body="<p>电话13943512345</p>")
        services.scan_override(revision=rev, by=self.wangwu, reason="单位办公电话可以公开")
        rev = detail_entry(self, rev, body="<p>电话13943512345，机密★10年</p>")
        with self.assertRaisesMessage(PublishingError, "密级标志"):
            services.item_publish(revision=rev, by=self.lisi)
