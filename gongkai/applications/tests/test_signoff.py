"""审签: an optional sign-off stage of replies, configured per agency."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.flows import APPLICATION_WORKFLOW
from gongkai.applications.models import Application, Notice, ReplyDraft
from gongkai.applications.services import ApplicationError
from gongkai.applications.tests.test_services import MON, ServiceTestCase

S = Application.Status


class SignoffTest(ServiceTestCase):
    def setUp(self) -> None:
        super().setUp()
        services.reply_signoff_configure(agency=self.agency_a, by=self.wushi, required=True)

    def draft(self, app: Application, by: object = None) -> ReplyDraft:
        return services.reply_draft_submit(
            application=app, by=by or self.zhengyi, outcome="disclose", reply_text="见附件。",
            files=[SimpleUploadedFile("名单.txt", "名单".encode())], today=MON,
        )  # fmt: skip

    def test_it_is_configured_by_the_office_head_only(self) -> None:
        with self.assertRaisesMessage(ApplicationError, "信息公开工作机构负责人"):
            services.reply_signoff_configure(agency=self.agency_a, by=self.lisi, required=False)
        self.assertTrue(services.signoff_required(self.agency_a.pk))
        self.assertFalse(services.signoff_required(self.agency_b.pk))
        self.assertAudited("applications.signoff.configured")

    def test_it_refuses_a_direct_reply_and_issues_the_notice_only_when_signed(self) -> None:
        app = self.processing()
        with self.assertRaisesMessage(ApplicationError, "须经审签"):
            services.application_reply(
                application=app, by=self.zhengyi, outcome="disclose", reply_text="见附件。",
                today=MON,
            )  # fmt: skip
        before = Notice.objects.filter(application=app).count()
        draft = self.draft(app)
        app.refresh_from_db()
        self.assertEqual(app.status, S.PROCESSING)
        self.assertEqual(Notice.objects.filter(application=app).count(), before)
        self.assertFalse(app.attachments.exists())
        with self.assertRaisesMessage(ApplicationError, "已有待审签的答复"):
            self.draft(app)
        with self.assertRaisesMessage(ApplicationError, "信息公开工作机构负责人"):
            services.reply_draft_sign(draft=draft, by=self.zhengyi, today=MON)
        with self.assertRaisesMessage(ApplicationError, "须填写审签意见"):
            services.reply_draft_return(draft=draft, by=self.wushi, comment="", today=MON)
        services.reply_draft_return(draft=draft, by=self.wushi, comment="请补充法律依据", today=MON)
        draft = self.draft(app)
        notice = services.reply_draft_sign(draft=draft, by=self.wushi, comment="同意", today=MON)
        app.refresh_from_db()
        self.assertEqual(app.status, S.REPLIED)
        self.assertEqual(notice.application_id, app.pk)
        self.assertEqual([a.name for a in app.attachments.all()], ["名单.txt"])
        with app.attachments.get().file.open("rb") as fh:
            self.assertEqual(fh.read(), "名单".encode())  # the drafted file, unchanged
        draft.refresh_from_db()
        self.assertEqual((draft.status, draft.decided_by_id), ("signed", self.wushi.pk))
        for action in ("submitted", "returned", "signed"):
            self.assertAudited(f"applications.reply.{action}")

    def test_nobody_signs_their_own_draft(self) -> None:
        app = self.processing()
        draft = self.draft(app, by=self.wushi)
        with self.assertRaisesMessage(ApplicationError, "不能审签自己拟写的答复"):
            services.reply_draft_sign(draft=draft, by=self.wushi, today=MON)
        self.assertFalse(APPLICATION_WORKFLOW.can("sign_reply", self.wushi, app))

    def test_the_page_offers_the_steps_of_the_table_over_http(self) -> None:
        app = self.processing()
        self.login(self.zhengyi)
        page = self.client.get(reverse("applications:detail", args=[app.pk]))
        self.assertContains(page, "提交审签")
        self.assertNotContains(page, "作出答复并制发告知书</button>")
        response = self.client.post(
            reverse("applications:reply", args=[app.pk]),
            {"reply-outcome": "disclose", "reply-reply_text": "见附件。"},
            follow=True,
        )
        self.assertContains(response, "已提交审签")
        self.assertTrue(ReplyDraft.objects.filter(application=app, status="pending").exists())
        page = self.client.get(reverse("applications:detail", args=[app.pk]))
        self.assertContains(page, "待审签的答复")
        self.assertNotContains(page, 'value="sign"')
        self.assertNotContains(page, 'id="reply-form"')
        self.login(self.wushi)
        page = self.client.get(reverse("applications:detail", args=[app.pk]))
        self.assertContains(page, 'value="sign"')
        self.client.post(reverse("applications:signoff", args=[app.pk]), {"decision": "sign"})
        app.refresh_from_db()
        self.assertEqual(app.status, S.REPLIED)

    def test_the_settings_page_is_for_office_heads(self) -> None:
        self.login(self.zhengyi)
        self.assertEqual(self.client.get(reverse("applications:signoff_settings")).status_code, 403)
        self.login(self.wushi)
        self.assertContains(
            self.client.get(reverse("applications:signoff_settings")), "答复须经审签"
        )
        self.client.post(reverse("applications:signoff_settings"), {"agency": self.agency_a.pk})
        self.assertFalse(services.signoff_required(self.agency_a.pk))
