"""Art 35 要求说明理由, 撤回申请 and the clean-up of files of a failed step."""

from __future__ import annotations

import datetime as dt
import os
import tempfile

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import (
    Application,
    Notice,
    NoticeKind,
    NoticeTemplate,
    OutboxMessage,
)
from gongkai.applications.services import ApplicationError
from gongkai.applications.tests.factories import AppTestCase, at, person
from gongkai.lib.testing import clock_at
from gongkai.workdays.calendar import add_workdays

S = Application.Status
MON = dt.date(2026, 3, 2)  # a Monday with no holiday nearby


class ReasonsServiceTests(AppTestCase):
    def processing(self, day: dt.date = MON) -> Application:
        app, _ = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="in_person",
            data=person(),
            received_on=day,
            today=day,
            now=at(day),
        )
        return services.application_assign(
            application=app, by=self.lisi, handler=self.zhengyi, today=day
        )

    def test_it_asks_for_reasons_with_a_notice_and_keeps_the_clock_running(self) -> None:
        app = self.processing()
        due_before = app.due_on
        app = services.application_request_reasons(
            application=app, by=self.zhengyi, items="本月第30件申请的理由", today=MON
        )
        self.assertEqual(app.status, S.PROCESSING)
        self.assertEqual(app.reasons_requested_on, MON)
        self.assertEqual(app.reasons_due_on, add_workdays(MON, 5))
        self.assertEqual(app.due_on, due_before)  # not paused, not restarted
        notice = Notice.objects.get(application=app, kind=NoticeKind.REASONS)
        text = " ".join(p["text"] for p in notice.paragraphs)
        self.assertIn("本月第30件申请的理由", text)
        self.assertIn("第三十五条", text)
        self.assertIn("答复期限照常计算", text)
        self.assertEqual(notice.template.version, 1)
        self.assertAudited("applications.application.reasons_requested", object_id=str(app.pk))
        self.assertTrue(OutboxMessage.objects.filter(application=app, subject__contains="说明"))
        # the reasons arrive: still no effect on the clock
        later = add_workdays(MON, 2)
        app = services.application_receive_reasons(
            application=app, text="用于学术研究，需逐月比对", today=later
        )
        self.assertEqual(app.reasons_received_on, later)
        self.assertEqual(app.due_on, due_before)
        self.assertAudited("applications.application.reasons_received", object_id=str(app.pk))

    def test_it_caps_the_reasons_deadline_at_the_reply_deadline(self) -> None:
        app = self.processing()
        late_day = add_workdays(MON, 18)  # 2 working days before the reply deadline
        app = services.application_request_reasons(
            application=app, by=self.zhengyi, items="理由", today=late_day
        )
        self.assertEqual(app.reasons_due_on, app.due_on)
        other = self.processing()
        assert other.due_on is not None
        with self.assertRaisesMessage(ApplicationError, "不能晚于答复期限"):
            services.application_request_reasons(
                application=other,
                by=self.zhengyi,
                items="理由",
                due_on=other.due_on + dt.timedelta(days=1),
                today=MON,
            )

    def test_it_refuses_reasons_requests_out_of_order(self) -> None:
        app = self.processing()
        with self.assertRaisesMessage(ApplicationError, "承办人"):
            services.application_request_reasons(
                application=app, by=self.lisi, items="理由", today=MON
            )
        with self.assertRaisesMessage(ApplicationError, "请写明"):
            services.application_request_reasons(
                application=app, by=self.zhengyi, items="  ", today=MON
            )
        with self.assertRaisesMessage(ApplicationError, "没有要求说明理由"):
            services.application_receive_reasons(application=app, text="x", today=MON)
        services.application_request_reasons(
            application=app, by=self.zhengyi, items="理由", today=MON
        )
        with self.assertRaisesMessage(ApplicationError, "已经要求"):
            services.application_request_reasons(
                application=app, by=self.zhengyi, items="理由", today=MON
            )
        with self.assertRaisesMessage(ApplicationError, "尚未收到"):
            services.application_accept_reasons(application=app, by=self.zhengyi, today=MON)
        with self.assertRaisesMessage(ApplicationError, "只有本机关"):
            services.application_receive_reasons(
                application=app, text="x", by=self.fenger, today=MON
            )
        with self.assertRaisesMessage(ApplicationError, "不能晚于今天"):
            services.application_receive_reasons(
                application=app, text="x", received_on=MON + dt.timedelta(days=1), today=MON
            )
        services.application_receive_reasons(application=app, text="x", by=self.lisi, today=MON)
        with self.assertRaisesMessage(ApplicationError, "不能重复"):
            services.application_receive_reasons(application=app, text="y", today=MON)
        # 2008-era applications: Art 35 does not exist
        old, _ = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="in_person",
            data=person(),
            received_on=dt.date(2012, 3, 5),
            today=dt.date(2012, 3, 5),
            now=at(dt.date(2012, 3, 5)),
        )
        services.application_assign(
            application=old, by=self.lisi, handler=self.zhengyi, today=dt.date(2012, 3, 5)
        )
        with self.assertRaisesMessage(ApplicationError, "2008年版条例"):
            services.application_request_reasons(
                application=old, by=self.zhengyi, items="理由", today=dt.date(2012, 3, 5)
            )

    def test_it_rejects_as_excessive_only_after_the_reasons_step(self) -> None:
        app = self.processing()
        with self.assertRaisesMessage(ApplicationError, "须先要求申请人说明理由"):
            services.application_reply(
                application=app,
                by=self.zhengyi,
                outcome="reject_excessive",
                reply_text="x",
                today=MON,
            )
        services.application_request_reasons(
            application=app, by=self.zhengyi, items="理由", today=MON
        )
        with self.assertRaisesMessage(ApplicationError, "尚未届满"):
            services.application_reply(
                application=app,
                by=self.zhengyi,
                outcome="reject_excessive",
                reply_text="x",
                today=MON,
            )
        after = add_workdays(MON, 6)  # the reasons deadline passed without an answer
        notice = services.application_reply(
            application=app,
            by=self.zhengyi,
            outcome="reject_excessive",
            reply_text="申请人未在期限内说明理由。",
            today=after,
        )
        app.refresh_from_db()
        self.assertEqual(app.outcome, "reject_excessive")
        self.assertEqual(notice.kind, NoticeKind.EXCESSIVE)
        self.assertEqual(app.status, S.REPLIED)

    def test_it_continues_with_a_delayed_deadline_once_the_reasons_are_accepted(self) -> None:
        app = self.processing()
        services.application_request_reasons(
            application=app, by=self.zhengyi, items="理由", today=MON
        )
        day = add_workdays(MON, 1)
        services.application_receive_reasons(
            application=app, text="课题研究需要", by=self.lisi, today=day
        )
        app = services.application_accept_reasons(application=app, by=self.zhengyi, today=day)
        self.assertEqual(app.reasons_accepted_on, day)
        self.assertAudited("applications.application.reasons_accepted", object_id=str(app.pk))
        with self.assertRaisesMessage(ApplicationError, "已认可"):
            services.application_reply(
                application=app,
                by=self.zhengyi,
                outcome="reject_excessive",
                reply_text="x",
                today=day,
            )
        with self.assertRaisesMessage(ApplicationError, "已经认可"):
            services.application_accept_reasons(application=app, by=self.zhengyi, today=day)
        assert app.due_on is not None
        delayed = add_workdays(app.due_on, 10)
        app = services.application_set_delayed_due(
            application=app, by=self.wushi, due_on=delayed, reason="数量较大", today=day
        )
        self.assertEqual(app.due_on, delayed)
        services.application_reply(
            application=app, by=self.zhengyi, outcome="disclose", reply_text="见附件", today=day
        )

    def test_the_reasons_template_comes_from_a_data_migration(self) -> None:
        from importlib import import_module

        from django.apps import apps as global_apps

        NoticeTemplate.objects.filter(kind="reasons").delete()
        import_module("gongkai.applications.migrations.0005_reasons_notice_template").load(
            global_apps, None
        )
        self.assertEqual(
            set(
                NoticeTemplate.objects.filter(kind="reasons", is_current=True).values_list(
                    "era", flat=True
                )
            ),
            {"2008", "2019"},
        )


class WithdrawalServiceTests(AppTestCase):
    def test_it_closes_a_withdrawn_application_as_other_with_the_reason(self) -> None:
        app, _ = services.application_submit_online(
            agency=self.agency_a, data=person(), now=at(MON)
        )
        app = services.application_withdraw(application=app, reason="已通过其他途径获取", today=MON)
        self.assertEqual(app.status, S.CLOSED)
        self.assertEqual(app.outcome, "other")
        self.assertEqual(app.withdrawn_on, MON)
        self.assertEqual(app.closed_on, MON)
        self.assertEqual(app.withdrawal_reason, "已通过其他途径获取")
        self.assertAudited("applications.application.withdrawn", object_id=str(app.pk))
        mail = OutboxMessage.objects.filter(application=app, subject__contains="撤回").get()
        self.assertIn("已通过其他途径获取", mail.body)
        self.assertTrue(app.events.filter(kind="withdrawn", public=True).exists())

    def test_staff_record_a_withdrawal_by_letter(self) -> None:
        app, _ = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="letter",
            data=person(),
            received_on=MON,
            today=MON,
            now=at(MON),
        )
        day = add_workdays(MON, 3)
        with self.assertRaisesMessage(ApplicationError, "只有本机关"):
            services.application_withdraw(
                application=app, reason="不再需要", by=self.fenger, today=day
            )
        with self.assertRaisesMessage(ApplicationError, "不能早于申请提交日期"):
            services.application_withdraw(
                application=app,
                reason="不再需要",
                by=self.lisi,
                received_on=MON - dt.timedelta(days=3),
                today=day,
            )
        app = services.application_withdraw(
            application=app,
            reason="不再需要",
            by=self.lisi,
            received_on=add_workdays(MON, 2),
            today=day,
        )
        self.assertEqual(app.withdrawn_on, add_workdays(MON, 2))
        self.assertEqual(app.outcome, "other")

    def test_it_refuses_to_withdraw_without_a_reason_or_after_the_reply(self) -> None:
        app, _ = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="in_person",
            data=person(),
            received_on=MON,
            today=MON,
            now=at(MON),
        )
        with self.assertRaisesMessage(ApplicationError, "请填写撤回申请的理由"):
            services.application_withdraw(application=app, reason=" ", today=MON)
        services.application_assign(application=app, by=self.lisi, handler=self.zhengyi, today=MON)
        services.application_reply(
            application=app, by=self.zhengyi, outcome="disclose", reply_text="x", today=MON
        )
        with self.assertRaisesMessage(ApplicationError, "不能撤回"):
            services.application_withdraw(application=app, reason="不要了", today=MON)
        app.refresh_from_db()
        self.assertEqual(app.outcome, "disclose")


class PortalReasonsAndWithdrawalTests(AppTestCase):
    def setUp(self) -> None:
        cache.clear()
        # a fixed Monday inside the working-day calendar: the reply period and the reasons
        # request's deadline would otherwise run past its last year from December on
        patcher = clock_at(dt.datetime(2026, 6, 1, 10, 0, tzinfo=timezone.get_default_timezone()))
        patcher.start()
        self.addCleanup(patcher.stop)
        self.today = timezone.localdate()
        self.app, self.code = services.application_register(
            agency=self.agency_a, by=self.lisi, channel="in_person", data=person(), today=self.today
        )
        services.application_assign(
            application=self.app, by=self.lisi, handler=self.zhengyi, today=self.today
        )

    def applicant(self, *, csrf: bool = False) -> Client:
        client = Client(enforce_csrf_checks=csrf)
        data = {"number": self.app.number, "code": self.code}
        if csrf:
            client.get(reverse("apply:track"))
            data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
        response = client.post(reverse("apply:track"), data)
        self.assertEqual(response.status_code, 302)
        return client

    def test_it_lets_the_applicant_explain_the_reasons_on_the_tracking_page(self) -> None:
        services.application_request_reasons(
            application=self.app, by=self.zhengyi, items="请说明频次理由", today=self.today
        )
        client = self.applicant()
        page = client.get(reverse("apply:status", args=[self.app.number]))
        self.assertContains(page, "说明理由（条例第三十五条）")
        self.assertContains(page, "请说明频次理由")
        response = client.post(
            reverse("apply:reasons", args=[self.app.number]), {"text": ""}, follow=True
        )
        self.assertContains(response, "请填写说明的理由")
        response = client.post(
            reverse("apply:reasons", args=[self.app.number]),
            {"text": "<b>课题</b>研究"},
            follow=True,
        )
        self.assertContains(response, "理由已提交")
        self.app.refresh_from_db()
        self.assertEqual(self.app.reasons_text, "<b>课题</b>研究")
        response = client.post(
            reverse("apply:reasons", args=[self.app.number]), {"text": "again"}, follow=True
        )
        self.assertContains(response, "不能重复提交")
        stranger = Client()
        self.assertEqual(
            stranger.post(
                reverse("apply:reasons", args=[self.app.number]), {"text": "x"}
            ).status_code,
            404,
        )
        # the handler sees it and accepts it in the console
        self.login(self.zhengyi)
        page = self.client.get(reverse("applications:detail", args=[self.app.pk]))
        self.assertContains(page, "&lt;b&gt;课题&lt;/b&gt;研究")
        self.assertContains(page, "认可理由，继续办理")
        response = self.client.post(
            reverse("applications:reasons_accept", args=[self.app.pk]), follow=True
        )
        self.assertContains(response, "已认可申请人说明的理由")

    def test_it_requests_reasons_from_the_console(self) -> None:
        self.login(self.zhengyi)
        page = self.client.get(reverse("applications:detail", args=[self.app.pk]))
        self.assertContains(page, "要求说明理由（条例第三十五条")
        response = self.client.post(
            reverse("applications:reasons", args=[self.app.pk]),
            {"reasons-items": "", "reasons-due_on": ""},
            follow=True,
        )
        self.assertContains(response, "需说明理由的事项")
        response = self.client.post(
            reverse("applications:reasons", args=[self.app.pk]),
            {"reasons-items": "本月已申请40件"},
            follow=True,
        )
        self.assertContains(response, "已发出要求说明理由通知书")
        self.assertTrue(Notice.objects.filter(application=self.app, kind="reasons").exists())
        response = self.client.post(
            reverse("applications:reasons_received", args=[self.app.pk]),
            {"reasonsin-text": "信函说明：研究需要"},
            follow=True,
        )
        self.assertContains(response, "已登记申请人说明的理由")

    def test_it_lets_the_applicant_withdraw_with_csrf(self) -> None:
        client = self.applicant(csrf=True)
        url = reverse("apply:withdraw", args=[self.app.number])
        self.assertEqual(client.post(url, {"reason": "不需要了", "confirm": "on"}).status_code, 403)
        self.assertEqual(client.get(url).status_code, 405)
        page = client.get(reverse("apply:status", args=[self.app.number]))
        self.assertContains(page, "撤回申请")
        token = client.cookies["csrftoken"].value
        response = client.post(
            url, {"reason": "不需要了", "csrfmiddlewaretoken": token}, follow=True
        )
        self.assertContains(response, "勾选确认撤回")
        self.app.refresh_from_db()
        self.assertEqual(self.app.status, S.PROCESSING)
        response = client.post(
            url, {"reason": "不需要了", "confirm": "on", "csrfmiddlewaretoken": token}, follow=True
        )
        self.assertContains(response, "您的申请已撤回")
        self.app.refresh_from_db()
        self.assertEqual(self.app.status, S.CLOSED)
        self.assertEqual(self.app.outcome, "other")
        self.assertNotContains(response, 'action="' + url)
        response = client.post(
            url, {"reason": "再撤", "confirm": "on", "csrfmiddlewaretoken": token}, follow=True
        )
        self.assertContains(response, "不能撤回")
        self.assertEqual(Client().post(url, {"reason": "x", "confirm": "on"}).status_code, 404)

    def test_staff_record_a_withdrawal_in_the_console(self) -> None:
        self.login(self.lisi)
        url = reverse("applications:withdraw", args=[self.app.pk])
        response = self.client.post(url, {"withdraw-reason": ""}, follow=True)
        self.assertContains(response, "撤回理由")
        response = self.client.post(
            url,
            {"withdraw-reason": "申请人来信撤回", "withdraw-received_on": self.today.isoformat()},
            follow=True,
        )
        self.assertContains(response, "已登记撤回申请")
        self.app.refresh_from_db()
        self.assertEqual(self.app.outcome, "other")
        self.login(self.fenger)
        self.assertEqual(self.client.post(url, {"withdraw-reason": "x"}).status_code, 403)


class FileCleanupTests(AppTestCase):
    def setUp(self) -> None:
        self.media = tempfile.TemporaryDirectory()
        self.addCleanup(self.media.cleanup)
        settings_override = override_settings(MEDIA_ROOT=self.media.name)
        settings_override.enable()
        self.addCleanup(settings_override.disable)

    def files(self) -> list[str]:
        return sorted(
            os.path.relpath(os.path.join(root, f), self.media.name)
            for root, _, names in os.walk(self.media.name)
            for f in names
        )

    def test_it_deletes_files_of_a_reply_that_fails(self) -> None:
        app, _ = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="in_person",
            data=person(),
            today=MON,
            received_on=MON,
            now=at(MON),
        )
        services.application_assign(application=app, by=self.lisi, handler=self.zhengyi, today=MON)
        tpl = NoticeTemplate.objects.get(kind="disclose", era="2019", is_current=True)
        broken = services.notice_template_revise(
            template=tpl,
            by=self.sysadmin,
            title="告知书",
            body="{% url 'nowhere' %}",
            legal_basis="",
            remedy_clause="",
        )
        upload = SimpleUploadedFile("明细.pdf", b"%PDF-1.4 data", content_type="application/pdf")
        with self.assertRaisesMessage(ApplicationError, "文书模板无法生成"):
            services.application_reply(
                application=app,
                by=self.zhengyi,
                outcome="disclose",
                reply_text="见附件",
                files=[upload],
                today=MON,
            )
        self.assertEqual(self.files(), [])
        self.assertFalse(app.attachments.exists())
        # a validation error raised after the files were written (date of service without
        # a method) leaves nothing behind either
        upload.seek(0)
        with self.assertRaisesMessage(ApplicationError, "请选择送达方式"):
            services.application_reply(
                application=app,
                by=self.zhengyi,
                outcome="disclose",
                reply_text="见附件",
                files=[upload],
                served_on=MON,
                today=MON,
            )
        self.assertEqual(self.files(), [])
        # the same reply succeeds once the template is fixed, and its file stays
        services.notice_template_revise(
            template=broken,
            by=self.sysadmin,
            title=tpl.title,
            body=tpl.body,
            legal_basis=tpl.legal_basis,
            remedy_clause=tpl.remedy_clause,
        )
        upload.seek(0)
        services.application_reply(
            application=app,
            by=self.zhengyi,
            outcome="disclose",
            reply_text="见附件",
            files=[upload],
            today=MON,
        )
        att = app.attachments.get()
        self.assertEqual(self.files(), [att.file.name])
        with att.file.open("rb") as fh:
            self.assertEqual(fh.read(), b"%PDF-1.4 data")

    def test_it_deletes_the_id_proof_of_a_registration_that_fails(self) -> None:
        NoticeTemplate.objects.filter(kind="receipt", era="2019", is_current=True).update(
            body="{% url 'nowhere' %}"
        )
        proof = SimpleUploadedFile("id.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        with self.assertRaisesMessage(ApplicationError, "文书模板无法生成"):
            services.application_register(
                agency=self.agency_a,
                by=self.lisi,
                channel="in_person",
                data=person(),
                today=MON,
                received_on=MON,
                now=at(MON),
                id_proof=proof,
            )
        self.assertEqual(self.files(), [])
        self.assertFalse(Application.objects.exists())
