"""Reviews bind to the content they approved: edits after 终审 go back to review, reviewers
see the diff, and publication checks the hash chain against what is published."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gongkai.publishing import integrity, services
from gongkai.publishing.models import CatalogItem, Review, ReviewStage, Revision
from gongkai.publishing.services import PublishingError
from gongkai.publishing.tests.factories import approved, fields
from gongkai.publishing.tests.test_views import frame_post
from gongkai.test import BaseTestCase


def messages_of(response: object) -> str:
    return " ".join(str(m) for m in response.context["messages"])  # type: ignore[attr-defined]


class DoneWhenTest(BaseTestCase):
    def test_it_refuses_publication_after_an_edit_after_final_review_until_re_review(
        self,
    ) -> None:
        # 1. 框架录入 and submission by the clerk
        self.login(self.lisi)
        self.client.post(reverse("publishing:create"), frame_post(self.agency_a.pk))
        item = CatalogItem.objects.get()
        rev = item.revisions.get()
        self.client.post(reverse("publishing:submit", args=[rev.pk]))
        # 2. 一校 → 二校 → 终审 over HTTP
        for user in (self.wangwu, self.qianqi, self.sunba):
            self.login(user)
            self.client.post(
                reverse("publishing:review", args=[rev.pk]),
                {"decision": "approve", "comment": "同意"},
            )
        rev.refresh_from_db()
        self.assertEqual(rev.status, Revision.Status.APPROVED)
        # 3. 详细信息录入 after 终审 changes the body (and markup-like text in the summary)
        self.login(self.lisi)
        response = self.client.post(
            reverse("publishing:revision_edit", args=[rev.pk]),
            {
                "summary": "解读<b>新</b>政策",
                "body": "<p>政策解读正文</p><p>补充：低保标准提高到每月800元。</p>",
                "keywords": "社会救助",
            },
        )
        self.assertEqual(response.status_code, 302)
        rev.refresh_from_db()
        self.assertEqual(rev.status, Revision.Status.IN_REVIEW)
        self.assertEqual(rev.stage and rev.stage.name, "终审")
        self.assertAudited("publishing.revision.reopened")
        # 4. publication is refused, and the clerk is not offered the button
        page = self.client.get(reverse("publishing:item", args=[item.pk]))
        self.assertNotContains(page, "保密审查并发布")
        response = self.client.post(
            reverse("publishing:publish", args=[rev.pk]), {"publish_at": "", "expire_at": ""},
            follow=True,
        )  # fmt: skip
        self.assertIn("只有终审通过的信息可以发布", messages_of(response))
        item.refresh_from_db()
        self.assertEqual(item.status, CatalogItem.Status.DRAFT)
        self.assertFalse(CatalogItem.objects.public().exists())
        # 5. the 终审 reviewer sees the diff against what 终审 approved, escaped
        self.login(self.sunba)
        self.assertContains(self.client.get(reverse("publishing:queue")), "政策解读")
        page = self.client.get(reverse("publishing:item", args=[item.pk]))
        self.assertContains(page, 'id="review-diff"')
        self.assertContains(page, "与“终审”")
        self.assertContains(page, "<ins>+ 补充：低保标准提高到每月800元。</ins>", html=False)
        self.assertContains(page, "<del>- 解读社会救助政策。</del>", html=False)
        self.assertContains(page, "解读&lt;b&gt;新&lt;/b&gt;政策")
        self.assertNotContains(page, "<ins>+ 解读<b>新</b>政策</ins>", html=False)
        # 6. re-review, then publication succeeds
        self.client.post(
            reverse("publishing:review", args=[rev.pk]),
            {"decision": "approve", "comment": "复核同意"},
        )
        self.login(self.lisi)
        self.assertContains(
            self.client.get(reverse("publishing:item", args=[item.pk])), "保密审查并发布"
        )
        self.client.post(
            reverse("publishing:publish", args=[rev.pk]), {"publish_at": "", "expire_at": ""}
        )
        item.refresh_from_db()
        self.assertEqual(item.status, CatalogItem.Status.PUBLISHED)
        self.assertIn("每月800元", item.body)
        final = Review.objects.filter(revision=rev).order_by("-id").first()
        assert final is not None
        self.assertEqual(final.content_hash, integrity.content_hash(integrity.snapshot(rev)))


class ContentBindingTest(BaseTestCase):
    def test_it_stores_the_hash_of_body_metadata_and_attachments(self) -> None:
        rev = approved(self)
        reviews = list(rev.reviews.order_by("id"))
        self.assertEqual(len({r.content_hash for r in reviews}), 1)
        self.assertEqual(len(reviews[0].content_hash), 64)
        self.assertEqual(reviews[0].content["title"], rev.title)
        self.assertNotEqual(reviews[1].chain_hash, reviews[2].chain_hash)
        before = integrity.content_hash(integrity.snapshot(rev))
        services.attachment_add(item=rev.item, by=self.lisi, name="名单.txt", data=b"list")
        self.assertNotEqual(before, integrity.content_hash(integrity.snapshot(rev)))

    def test_it_sends_an_attachment_added_after_final_review_back_to_final_review(self) -> None:
        rev = approved(self)
        services.attachment_add(item=rev.item, by=self.lisi, name="名单.txt", data="名单".encode())
        rev.refresh_from_db()
        self.assertEqual((rev.status, rev.stage and rev.stage.name), ("in_review", "终审"))
        self.login(self.sunba)
        page = self.client.get(reverse("publishing:item", args=[rev.item_id]))
        self.assertContains(page, "<ins>+ 名单.txt", html=False)

    def test_it_sends_an_attachment_removal_after_final_review_back(self) -> None:
        rev = approved(self)
        att = services.attachment_add(item=rev.item, by=self.lisi, name="a.txt", data=b"a")
        services.review_record(revision=rev, by=self.sunba, decision="approve")
        rev.refresh_from_db()
        self.assertEqual(rev.status, Revision.Status.APPROVED)
        services.attachment_remove(attachment=att, by=self.lisi)
        rev.refresh_from_db()
        self.assertEqual(rev.status, Revision.Status.IN_REVIEW)

    def test_an_unchanged_save_keeps_the_approval(self) -> None:
        rev = approved(self)
        services.revision_update(revision=rev, by=self.lisi, fields={"body": rev.body})
        rev.refresh_from_db()
        self.assertEqual(rev.status, Revision.Status.APPROVED)

    def test_it_refuses_content_changed_behind_the_reviews(self) -> None:
        rev = approved(self)
        Revision.objects.filter(pk=rev.pk).update(body="<p>未经审核的正文</p>")
        with self.assertRaisesMessage(PublishingError, "“终审”审核通过后内容已被修改"):
            services.item_publish(revision=rev, by=self.lisi)
        self.assertFalse(CatalogItem.objects.public().exists())

    def test_it_refuses_a_frame_changed_behind_the_reviews(self) -> None:
        rev = approved(self)
        Revision.objects.filter(pk=rev.pk).update(title="改过的名称")
        with self.assertRaisesMessage(PublishingError, "“一校”审核通过后目录框架信息已被修改"):
            services.item_publish(revision=rev, by=self.lisi)

    def test_it_refuses_a_tampered_review_record(self) -> None:
        rev = approved(self)
        first = rev.reviews.order_by("id").first()
        assert first is not None
        Review.objects.filter(pk=first.pk).update(reviewer=self.qianqi)
        with self.assertRaisesMessage(PublishingError, "可能被篡改"):
            services.item_publish(revision=rev, by=self.lisi)

    def test_it_refuses_a_missing_stage(self) -> None:
        rev = approved(self)
        ReviewStage.objects.create(agency=None, order=99, name="保密审核", role="guidance")
        with self.assertRaisesMessage(PublishingError, "“保密审核”尚未审核通过"):
            services.item_publish(revision=rev, by=self.lisi)

    def test_an_edit_of_a_scheduled_item_cancels_the_schedule(self) -> None:
        rev = approved(self)
        later = timezone.now() + dt.timedelta(days=2)
        item = services.item_publish(revision=rev, by=self.lisi, publish_at=later)
        self.assertEqual(item.status, CatalogItem.Status.SCHEDULED)
        services.revision_update(revision=rev, by=self.lisi, fields={"summary": "改了"})
        item.refresh_from_db()
        self.assertEqual((item.status, item.publish_at), (CatalogItem.Status.DRAFT, None))
        result = services.catalog_run_schedule(now=later + dt.timedelta(hours=1))
        self.assertEqual(result["published"], 0)


class ButtonsFollowTheTableTest(BaseTestCase):
    def test_a_proofreader_who_did_the_previous_stage_is_offered_no_review(self) -> None:
        rev = services.item_create(agency=self.agency_a, by=self.lisi, fields=fields())
        services.revision_submit(revision=rev, by=self.lisi)
        services.review_record(revision=rev, by=self.wangwu, decision="approve")
        self.login(self.wangwu)
        self.assertNotContains(self.client.get(reverse("publishing:queue")), rev.title)
        page = self.client.get(reverse("publishing:item", args=[rev.item_id]))
        self.assertNotContains(page, 'name="decision" value="approve"')
        self.login(self.qianqi)
        self.assertContains(self.client.get(reverse("publishing:queue")), rev.title)
        page = self.client.get(reverse("publishing:item", args=[rev.item_id]))
        self.assertContains(page, 'name="decision" value="approve"')

    def test_a_requester_is_offered_no_step_on_their_own_change_request(self) -> None:
        from gongkai.publishing.tests.factories import published

        item = published(self)
        cr = services.change_request_create(
            item=item, by=self.sunba, kind="delete", reason="信息已过时，申请撤回"
        )
        self.login(self.sunba)
        page = self.client.get(reverse("publishing:change", args=[cr.pk]))
        self.assertNotContains(page, "分管领导审批</h3>")
        with self.assertRaisesMessage(PublishingError, "申请人不能审批自己的申请"):
            services.change_request_step(request=cr, by=self.sunba, accept=True)
