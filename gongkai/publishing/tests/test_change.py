"""Change and deletion of published items: the five steps of 人员更换与信息删改流程."""

from __future__ import annotations

from typing import Any

from gongkai.audit.models import AuditEntry
from gongkai.publishing import services
from gongkai.publishing.models import CatalogItem, ChangeRequest, ChangeStep, Revision
from gongkai.publishing.services import PublishingError
from gongkai.publishing.tests.factories import published
from gongkai.test import BaseTestCase


def run_change(
    case: Any, item: CatalogItem, fields: dict[str, Any] | None, kind: str = "change"
) -> ChangeRequest:
    cr = services.change_request_create(
        item=item, by=case.lisi, kind=kind, reason="原文号录入错误，申请更正", fields=fields
    )
    for who in (case.sunba, case.chenzd, case.chuwg, case.zhoujiu):
        cr = services.change_request_step(request=cr, by=who, accept=True, comment="同意")
    return cr


class ChangeTest(BaseTestCase):
    def test_it_runs_a_change_in_five_steps_and_keeps_history(self) -> None:
        item = published(self)
        old_title = item.title
        cr = services.change_request_create(
            item=item,
            by=self.lisi,
            kind="change",
            reason="名称有误，申请更正",
            fields={"title": "更正后的名称"},
        )
        self.assertEqual(cr.status, ChangeRequest.Status.SUBMITTED)
        item.refresh_from_db()
        self.assertEqual(item.title, old_title)  # nothing changes before execution
        for who, status in (
            (self.sunba, "approved"),
            (self.chenzd, "reviewed"),
            (self.chuwg, "executed"),
            (self.zhoujiu, "verified"),
        ):
            cr = services.change_request_step(request=cr, by=who, accept=True, comment="同意")
            self.assertEqual(cr.status, status)
            if status == "executed":
                item.refresh_from_db()
                self.assertEqual(item.title, "更正后的名称")
        self.assertEqual(
            list(cr.steps.values_list("step", flat=True)),
            ["submit", "approve", "review", "execute", "verify"],
        )
        titles = list(item.revisions.order_by("number").values_list("title", "status"))
        self.assertEqual(titles, [(old_title, "published"), ("更正后的名称", "published")])
        for step in ("submitted", "approve", "review", "execute", "verify"):
            self.assertTrue(
                AuditEntry.objects.filter(action=f"publishing.change.change.{step}").exists(), step
            )
        self.assertAudited("publishing.item.changed")

    def test_it_runs_a_deletion_in_five_steps(self) -> None:
        item = published(self)
        cr = run_change(self, item, None, kind="delete")
        self.assertEqual(cr.status, ChangeRequest.Status.VERIFIED)
        item.refresh_from_db()
        self.assertEqual(item.status, CatalogItem.Status.WITHDRAWN)
        self.assertEqual(item.withdrawal_reason, "原文号录入错误，申请更正")
        self.assertFalse(CatalogItem.objects.public().filter(pk=item.pk).exists())
        self.assertTrue(CatalogItem.objects.for_user(self.lisi).filter(pk=item.pk).exists())
        self.assertEqual(item.revisions.count(), 1)
        self.assertAudited("publishing.item.withdrawn")
        self.assertAudited("publishing.change.delete.verify")

    def test_each_step_needs_its_role(self) -> None:
        item = published(self)
        cr = services.change_request_create(
            item=item, by=self.lisi, kind="delete", reason="信息已过时效"
        )
        with self.assertRaisesMessage(PublishingError, "分管领导"):
            services.change_request_step(request=cr, by=self.chenzd, accept=True)
        services.change_request_step(request=cr, by=self.sunba, accept=True)
        with self.assertRaisesMessage(PublishingError, "指导科"):
            services.change_request_step(request=cr, by=self.chuwg, accept=True)
        services.change_request_step(request=cr, by=self.chenzd, accept=True)
        with self.assertRaisesMessage(PublishingError, "网管科"):
            services.change_request_step(request=cr, by=self.zhoujiu, accept=True)
        services.change_request_step(request=cr, by=self.chuwg, accept=True)
        with self.assertRaisesMessage(PublishingError, "部门负责人"):
            services.change_request_step(request=cr, by=self.weiwg, accept=True)
        with self.assertRaisesMessage(PublishingError, "另行提交"):
            services.change_request_step(request=cr, by=self.zhoujiu, accept=False, comment="不对")

    def test_a_refusal_closes_the_request_and_keeps_the_revision(self) -> None:
        item = published(self)
        cr = services.change_request_create(
            item=item,
            by=self.lisi,
            kind="change",
            reason="申请修改名称",
            fields={"title": "新名称"},
        )
        with self.assertRaisesMessage(PublishingError, "意见"):
            services.change_request_step(request=cr, by=self.sunba, accept=False)
        cr = services.change_request_step(
            request=cr, by=self.sunba, accept=False, comment="名称无需修改"
        )
        self.assertEqual(cr.status, ChangeRequest.Status.REFUSED)
        self.assertEqual(
            Revision.objects.get(pk=cr.revision_id or 0).status, Revision.Status.DISCARDED
        )
        item.refresh_from_db()
        self.assertNotEqual(item.title, "新名称")
        self.assertEqual(ChangeStep.objects.filter(request=cr, accepted=False).count(), 1)
        # a new request is possible after the refusal
        services.change_request_create(
            item=item, by=self.lisi, kind="delete", reason="信息已过时效"
        )

    def test_it_refuses_a_second_open_request_and_unpublished_items(self) -> None:
        item = published(self)
        services.change_request_create(
            item=item, by=self.lisi, kind="delete", reason="信息已过时效"
        )
        with self.assertRaisesMessage(PublishingError, "办理中"):
            services.change_request_create(
                item=item, by=self.lisi, kind="delete", reason="信息已过时效"
            )
        with self.assertRaisesMessage(PublishingError, "相同"):
            other = published(self, title="另一条")
            services.change_request_create(
                item=other, by=self.lisi, kind="change", reason="没有改动", fields={}
            )

    def test_it_refuses_a_requester_from_another_agency(self) -> None:
        item = published(self)
        with self.assertRaises(PublishingError):
            services.change_request_create(
                item=item, by=self.zhaoliu, kind="delete", reason="信息已过时效"
            )

    def test_execution_of_a_change_is_stopped_by_the_scanner(self) -> None:
        item = published(self)
        cr = services.change_request_create(
            item=item,
            by=self.lisi,
            kind="change",
            reason="补充联系人",
            fields={"body": "<p>联系人手机13943512345</p>"},
        )
        services.change_request_step(request=cr, by=self.sunba, accept=True)
        services.change_request_step(request=cr, by=self.chenzd, accept=True)
        with self.assertRaisesMessage(PublishingError, "手机号码"):
            services.change_request_step(request=cr, by=self.chuwg, accept=True)
        cr.refresh_from_db()
        self.assertEqual(cr.status, ChangeRequest.Status.REVIEWED)
        services.scan_override(
            revision=Revision.objects.get(pk=cr.revision_id or 0),
            by=self.wangwu,
            reason="单位值班手机，可以公开",
        )
        services.change_request_step(request=cr, by=self.chuwg, accept=True)
        item.refresh_from_db()
        self.assertIn("13943512345", item.body)


class AttachmentChangeTest(BaseTestCase):
    def test_a_change_adds_and_removes_attachments_only_when_executed(self) -> None:
        from gongkai.publishing.tests.factories import approved

        rev = approved(self)
        old = services.attachment_add(
            item=rev.item, by=self.lisi, name="旧名单.txt", data="旧名单".encode()
        )
        # the attachment came after 终审, so 终审 sees it again before publication
        services.review_record(revision=rev, by=self.sunba, decision="approve")
        item = services.item_publish(revision=rev, by=self.lisi)
        cr = services.change_request_create(
            item=item, by=self.lisi, kind="change", reason="更换名单附件",
            add_files=[("新名单.txt", "新名单 联系电话13943512345".encode())],
            remove_attachment_ids=[old.pk],
        )  # fmt: skip
        self.assertEqual(list(item.attachments.filter(removed_at__isnull=True)), [old])
        services.change_request_step(request=cr, by=self.sunba, accept=True)
        services.change_request_step(request=cr, by=self.chenzd, accept=True)
        with self.assertRaisesMessage(PublishingError, "附件《新名单.txt》"):
            services.change_request_step(request=cr, by=self.chuwg, accept=True)
        services.scan_override(
            revision=Revision.objects.get(pk=cr.revision_id or 0), by=self.wangwu,
            reason="名单中的号码是单位值班电话",
        )  # fmt: skip
        services.change_request_step(request=cr, by=self.chuwg, accept=True)
        live = list(
            item.attachments.filter(removed_at__isnull=True).values_list("original_name", flat=True)
        )
        self.assertEqual(live, ["新名单.txt"])
        self.assertEqual(item.attachments.count(), 2)  # the old file stays for the record

    def test_it_refuses_a_disguised_file_and_foreign_attachment_ids(self) -> None:
        item = published(self)
        with self.assertRaisesMessage(PublishingError, "不符"):
            services.change_request_create(
                item=item,
                by=self.lisi,
                kind="change",
                reason="补充附件",
                add_files=[("a.pdf", b"MZ\x90")],
            )
        with self.assertRaisesMessage(PublishingError, "不属于"):
            services.change_request_create(
                item=item,
                by=self.lisi,
                kind="change",
                reason="移除附件",
                remove_attachment_ids=[999],
            )
        self.assertFalse(ChangeRequest.objects.exists())


class CleanupTest(BaseTestCase):
    def test_it_marks_an_item_repealed_with_a_new_revision(self) -> None:
        import datetime as dt

        item = published(self)
        with self.assertRaisesMessage(PublishingError, "日期"):
            services.item_set_validity(
                item=item, by=self.lisi, validity="repealed", invalid_on=None
            )
        services.item_set_validity(
            item=item, by=self.lisi, validity="repealed", invalid_on=dt.date(2026, 11, 20)
        )
        item.refresh_from_db()
        self.assertEqual(item.validity, "repealed")
        self.assertEqual(item.revisions.count(), 2)
        self.assertAudited("publishing.item.validity")

    def test_it_reviews_withheld_information_and_converts_it(self) -> None:
        item = published(self, disclosure_mode="withheld", disclosure_reason="涉及第三方商业秘密")
        self.assertFalse(CatalogItem.objects.public().filter(pk=item.pk).exists())
        self.assertIn(item, CatalogItem.objects.withheld_review_due())
        services.withheld_review_record(
            item=item, by=self.wushi, convert=False, comment="情况未变化，继续不公开"
        )
        self.assertNotIn(item, CatalogItem.objects.withheld_review_due())
        with self.assertRaises(PublishingError):
            services.withheld_review_record(
                item=item, by=self.lisi, convert=True, comment="已经可以公开"
            )
        services.withheld_review_record(
            item=item, by=self.wushi, convert=True, comment="第三方已同意公开"
        )
        item.refresh_from_db()
        self.assertEqual(item.disclosure_mode, "proactive")
        self.assertTrue(CatalogItem.objects.public().filter(pk=item.pk).exists())
        self.assertAudited("publishing.item.converted_to_proactive")
