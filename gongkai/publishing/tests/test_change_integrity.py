"""Change and deletion steps bind to what they approve: an amended 申请书 or a republished
item sends the request back to 分管领导审批 with a diff, and a proposal changed behind the
service's back is never executed (docs/workflows.md, “变更与删除的内容绑定”)."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.urls import reverse

from gongkai.audit.models import AuditEntry
from gongkai.publishing import integrity, services
from gongkai.publishing.flows import CHANGE_WORKFLOW
from gongkai.publishing.models import (
    CONTENT_FIELDS,
    CatalogItem,
    ChangeRequest,
    ChangeStep,
    Revision,
)
from gongkai.publishing.services import PublishingError
from gongkai.publishing.tests.factories import published
from gongkai.publishing.tests.test_flows import accepted
from gongkai.test import BaseTestCase


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def item_post(item: CatalogItem, **overrides: str) -> dict[str, str]:
    """The change form filled with the item's current content, then ``overrides``."""
    data: dict[str, str] = {}
    for name in CONTENT_FIELDS:
        value = item.topic_id if name == "topic" else getattr(item, name)
        data[name] = "" if value is None else str(value)
    data.update(overrides)
    return data


class ChangeAmendOverHttpTest(BaseTestCase):
    def step(self, user: Any, cr: ChangeRequest, accept: str = "1") -> Any:
        self.login(user)
        return self.client.post(
            reverse("publishing:change_step", args=[cr.pk]),
            {"accept": accept, "comment": "同意" if accept == "1" else "不同意"},
            follow=True,
        )

    def test_an_amendment_after_approvals_goes_back_to_the_first_step_with_the_diff(
        self,
    ) -> None:
        item = published(self)
        # 1. the clerk files the change (new body) over HTTP
        self.login(self.lisi)
        body = "<p>各县（市、区）民政局：现将2026年低保标准通知如下。</p><p>城市低保每月760元。</p>"
        response = self.client.post(
            reverse("publishing:change_create", args=[item.pk]),
            item_post(item, kind="change", reason="补充低保标准金额", body=body),
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:1500])
        cr = ChangeRequest.objects.get()
        self.assertEqual(cr.binding, ChangeRequest.Binding.BOUND)
        # 2. 分管领导 sees the diff against the published content, approves; 指导科 approves
        self.login(self.sunba)
        page = self.client.get(reverse("publishing:change", args=[cr.pk]))
        self.assertContains(page, 'id="change-diff"')
        self.assertContains(page, "申请变更的内容与已发布的内容相比")
        self.assertContains(page, "<ins>+ 城市低保每月760元。</ins>", html=False)
        self.step(self.sunba, cr)
        self.step(self.chenzd, cr)
        cr.refresh_from_db()
        self.assertEqual(cr.status, ChangeRequest.Status.REVIEWED)
        # 3. the requester edits the proposal after both approvals
        self.login(self.lisi)
        page = self.client.get(reverse("publishing:change", args=[cr.pk]))
        self.assertContains(page, reverse("publishing:change_amend", args=[cr.pk]))
        self.assertEqual(
            self.client.get(reverse("publishing:change_amend", args=[cr.pk])).status_code, 200
        )
        amended = body.replace("760元", "800元")
        response = self.client.post(
            reverse("publishing:change_amend", args=[cr.pk]),
            item_post(item, reason="补充低保标准金额（更正金额）", body=amended),
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:1500])
        cr.refresh_from_db()
        self.assertEqual(cr.status, ChangeRequest.Status.SUBMITTED)
        self.assertEqual(cr.steps.order_by("-id").first().step, ChangeStep.Step.AMEND)  # type: ignore[union-attr]
        self.assertAudited("publishing.change.change.amended")
        # 4. 网管科 is not offered (and refused) the execution; nothing went live
        self.login(self.chuwg)
        self.assertNotContains(
            self.client.get(reverse("publishing:change", args=[cr.pk])), "网管科执行变更</h3>"
        )
        self.assertIn("分管领导", messages_of(self.step(self.chuwg, cr)))
        item.refresh_from_db()
        self.assertNotIn("低保每月", item.body)
        # 5. 分管领导 sees what changed since the last approval, and approves again
        self.login(self.sunba)
        page = self.client.get(reverse("publishing:change", args=[cr.pk]))
        self.assertContains(page, "分管领导审批</h3>")
        self.assertContains(page, "自“指导科审核”")
        self.assertContains(page, "<del>- 城市低保每月760元。</del>", html=False)
        self.assertContains(page, "<ins>+ 城市低保每月800元。</ins>", html=False)
        self.assertContains(page, "<ins>+ 补充低保标准金额（更正金额）</ins>", html=False)
        for user in (self.sunba, self.chenzd, self.chuwg, self.zhoujiu):
            self.step(user, cr)
        cr.refresh_from_db()
        self.assertEqual(cr.status, ChangeRequest.Status.VERIFIED)
        item.refresh_from_db()
        self.assertIn("城市低保每月800元", item.body)
        # every step carries its hashes, and the chain verifies
        steps = list(cr.steps.order_by("id"))
        self.assertEqual(
            [s.step for s in steps],
            ["submit", "approve", "review", "amend", "approve", "review", "execute", "verify"],
        )
        self.assertTrue(all(len(s.content_hash) == 64 for s in steps))
        self.assertNotEqual(steps[2].proposed_hash, steps[4].proposed_hash)
        self.assertEqual(steps[4].proposed_hash, steps[6].proposed_hash)
        self.assertTrue(integrity.verify_change(cr, content=False).ok)
        page = self.client.get(reverse("publishing:change", args=[cr.pk]))
        self.assertContains(page, "执行的变更与执行时已发布的内容相比")

    def test_it_refuses_to_execute_a_proposal_forged_in_the_database(self) -> None:
        item = published(self)
        cr = services.change_request_create(
            item=item, by=self.lisi, kind="change", reason="更正名称", fields={"title": "新名称"}
        )
        self.step(self.sunba, cr)
        self.step(self.chenzd, cr)
        Revision.objects.filter(pk=cr.revision_id or 0).update(body="<p>未经审批的正文</p>")
        self.login(self.chuwg)
        page = self.client.get(reverse("publishing:change", args=[cr.pk]))
        self.assertContains(page, 'id="change-integrity"')
        self.assertContains(page, "“指导科审核”办理后申请变更的内容已被修改")
        self.assertNotContains(page, '<option value="1"', html=False)  # 不同意 only
        response = self.step(self.chuwg, cr)
        self.assertIn("办理记录与当前内容不一致，不能执行", messages_of(response))
        cr.refresh_from_db()
        self.assertEqual(cr.status, ChangeRequest.Status.REVIEWED)
        item.refresh_from_db()
        self.assertNotIn("未经审批", item.body)
        self.assertNotEqual(item.title, "新名称")
        entry = AuditEntry.objects.get(action="publishing.change.change.blocked")
        self.assertEqual(entry.actor_id, self.chuwg.pk)
        self.assertIn("不能执行", entry.message)
        # the network section can still refuse it
        self.step(self.chuwg, cr, accept="0")
        cr.refresh_from_db()
        self.assertEqual(cr.status, ChangeRequest.Status.REFUSED)


class DeletionChainTest(BaseTestCase):
    def step(self, user: Any, cr: ChangeRequest) -> Any:
        self.login(user)
        return self.client.post(
            reverse("publishing:change_step", args=[cr.pk]),
            {"accept": "1", "comment": "同意"},
            follow=True,
        )

    def test_a_deletion_binds_the_published_content_and_the_reason(self) -> None:
        item = published(self)
        self.login(self.lisi)
        self.client.post(
            reverse("publishing:change_create", args=[item.pk]),
            {"kind": "delete", "reason": "该信息已过时效"},
        )
        cr = ChangeRequest.objects.get()
        submit = cr.steps.get()
        self.assertEqual(submit.proposed_hash, "")
        self.assertEqual(submit.content["reason"], "该信息已过时效")
        self.assertEqual(submit.published_hash, integrity.content_hash(integrity.snapshot(item)))
        self.step(self.sunba, cr)
        # 1. the item is republished by another path (信息清理): back to 分管领导审批
        self.login(self.lisi)
        self.client.post(
            reverse("publishing:validity", args=[item.pk]),
            {"validity": "repealed", "invalid_on": "2026-11-20"},
        )
        item.refresh_from_db()
        self.assertEqual(item.validity, "repealed")
        cr.refresh_from_db()
        self.assertEqual(cr.status, ChangeRequest.Status.SUBMITTED)
        self.assertAudited("publishing.change.delete.reopened")
        self.login(self.sunba)
        page = self.client.get(reverse("publishing:change", args=[cr.pk]))
        self.assertContains(page, "已发布内容的变化")
        self.assertContains(page, "<ins>+ repealed</ins>", html=False)
        # 2. approved again; then the reason is changed behind the service's back
        self.step(self.sunba, cr)
        self.step(self.chenzd, cr)
        ChangeRequest.objects.filter(pk=cr.pk).update(reason="另一个未经审批的理由")
        response = self.step(self.chuwg, cr)
        self.assertIn("申请书已被修改", messages_of(response))
        item.refresh_from_db()
        self.assertEqual(item.status, CatalogItem.Status.PUBLISHED)
        self.assertAudited("publishing.change.delete.blocked")
        # 3. the requester amends the reason (the form has the reason only), and it runs
        self.login(self.lisi)
        form = self.client.get(reverse("publishing:change_amend", args=[cr.pk]))
        self.assertNotContains(form, 'name="body"')
        response = self.client.post(
            reverse("publishing:change_amend", args=[cr.pk]), {"reason": "该信息已废止，申请撤回"}
        )
        self.assertEqual(response.status_code, 302)
        for user in (self.sunba, self.chenzd, self.chuwg, self.zhoujiu):
            self.step(user, cr)
        cr.refresh_from_db()
        self.assertEqual(cr.status, ChangeRequest.Status.VERIFIED)
        item.refresh_from_db()
        self.assertEqual(item.status, CatalogItem.Status.WITHDRAWN)
        self.assertEqual(item.withdrawal_reason, "该信息已废止，申请撤回")


class ChangeBindingRulesTest(BaseTestCase):
    def test_a_forged_step_row_breaks_the_chain(self) -> None:
        item = published(self)
        cr = services.change_request_create(
            item=item, by=self.lisi, kind="delete", reason="信息已过时效"
        )
        cr = services.change_request_step(request=cr, by=self.sunba, accept=True, comment="同意")
        self.assertTrue(CHANGE_WORKFLOW.can("step", self.chenzd, cr))
        ChangeStep.objects.filter(request=cr, step="approve").update(comment="改过的意见")
        verdict = integrity.verify_change(cr)
        self.assertFalse(verdict.ok)
        self.assertIn("“分管领导审批”的办理记录校验值不符", "".join(verdict.problems))
        self.assertFalse(CHANGE_WORKFLOW.can("step", self.chenzd, cr))
        with self.assertRaisesMessage(PublishingError, "校验值不符"):
            services.change_request_step(request=cr, by=self.chenzd, accept=True)

    def test_amendment_guards(self) -> None:
        item = published(self)
        cr = services.change_request_create(
            item=item, by=self.lisi, kind="change", reason="更正名称", fields={"title": "新名称"}
        )
        with self.assertRaisesMessage(PublishingError, "申请人本人"):
            services.change_request_amend(request=cr, by=self.zhoujiu, reason="更正名称")
        with self.assertRaisesMessage(PublishingError, "没有改动"):
            services.change_request_amend(request=cr, by=self.lisi, reason="更正名称")
        with self.assertRaisesMessage(PublishingError, "相同"):
            services.change_request_amend(
                request=cr, by=self.lisi, reason="更正名称", fields={"title": item.title}
            )
        for who in (self.sunba, self.chenzd, self.chuwg):
            services.change_request_step(request=cr, by=who, accept=True)
        with self.assertRaisesMessage(PublishingError, "不能修改"):
            services.change_request_amend(
                request=cr, by=self.lisi, reason="再改名称", fields={"title": "又一个名称"}
            )
        self.assertEqual(cr.steps.filter(step="amend").count(), 0)

    def test_amend_buttons_agree_with_the_service_for_every_persona(self) -> None:
        item = published(self)
        cr = services.change_request_create(
            item=item, by=self.lisi, kind="delete", reason="信息已过时效"
        )
        for name, user in self.personas().items():
            can = CHANGE_WORKFLOW.can("amend", user, cr)
            ok = accepted(
                lambda u=user: services.change_request_amend(
                    request=cr, by=u, reason=f"信息已过时效（{u.username}）"
                )
            )
            self.assertEqual(can, ok, name)
        self.assertTrue(CHANGE_WORKFLOW.can("amend", self.lisi, cr))

    def test_the_migration_backfills_open_requests_and_marks_closed_ones_legacy(self) -> None:
        backfill = importlib.import_module(
            "gongkai.publishing.migrations.0004_change_step_content_binding"
        ).backfill
        item = published(self)
        other = published(self, title="另一条信息")
        open_cr = services.change_request_create(
            item=item, by=self.lisi, kind="change", reason="更正名称", fields={"title": "新名称"}
        )
        services.change_request_step(request=open_cr, by=self.sunba, accept=True)
        closed = services.change_request_create(
            item=other, by=self.lisi, kind="delete", reason="信息已过时效"
        )
        services.change_request_step(request=closed, by=self.sunba, accept=False, comment="不同意")
        # as before this release: no hashes anywhere
        ChangeStep.objects.update(
            content={}, published_hash="", proposed_hash="", content_hash="", chain_hash=""
        )
        self.assertFalse(integrity.verify_change(open_cr).ok)
        backfill(apps, None)
        open_cr.refresh_from_db()
        closed.refresh_from_db()
        self.assertEqual(open_cr.binding, ChangeRequest.Binding.BACKFILLED)
        self.assertEqual(closed.binding, ChangeRequest.Binding.LEGACY)
        self.assertTrue(integrity.verify_change(open_cr).ok)  # same formula as integrity
        self.assertTrue(integrity.verify_change(closed).legacy)
        Revision.objects.filter(pk=open_cr.revision_id or 0).update(title="伪造的名称")
        self.assertFalse(integrity.verify_change(ChangeRequest.objects.get(pk=open_cr.pk)).ok)

    def test_the_proposed_attachments_are_bound_and_a_swapped_file_is_not_executed(self) -> None:
        from gongkai.publishing.models import ChangeAttachment

        item = published(self)
        cr = services.change_request_create(
            item=item, by=self.lisi, kind="change", reason="补充名单附件",
            add_files=[("名单.txt", "第一版名单".encode())],
        )  # fmt: skip
        first = cr.steps.get().proposed_hash
        services.change_request_step(request=cr, by=self.sunba, accept=True)
        cr = services.change_request_amend(
            request=cr, by=self.lisi, reason="补充名单附件",
            add_files=[("说明.txt", "附件说明".encode())],
        )  # fmt: skip
        amend = cr.steps.order_by("-id").first()
        assert amend is not None
        self.assertEqual(amend.step, ChangeStep.Step.AMEND)
        self.assertNotEqual(amend.proposed_hash, first)
        names = [a["name"] for a in amend.content["proposed"]["attachments"]]
        self.assertEqual(sorted(names), ["名单.txt", "说明.txt"])
        for who in (self.sunba, self.chenzd):
            services.change_request_step(request=cr, by=who, accept=True)
        ChangeAttachment.objects.filter(request=cr, original_name="名单.txt").update(
            sha256="0" * 64
        )
        with self.assertRaisesMessage(PublishingError, "申请变更的内容已被修改"):
            services.change_request_step(request=cr, by=self.chuwg, accept=True)
        self.assertEqual(item.attachments.count(), 0)
