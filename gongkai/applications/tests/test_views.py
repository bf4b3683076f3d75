"""Portal and console pages through HTTP."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import Application, Notice
from gongkai.applications.permissions import get_application_for_user
from gongkai.applications.tests.factories import AppTestCase, person
from gongkai.lib import captcha, ratelimit
from gongkai.lib.testing import clock_at

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form_data(agency_pk: int, **overrides: str) -> dict[str, str]:
    data = {k: v for k, v in person().items()}
    data["agency"] = str(agency_pk)
    data.update(captcha.solved_data())
    data.update(overrides)
    return data


class PortalTests(AppTestCase):
    def setUp(self) -> None:
        cache.clear()

    def test_it_shows_the_index_and_the_form(self) -> None:
        self.assertContains(self.client.get(reverse("apply:index")), "在线申请")
        response = self.client.get(reverse("apply:form") + "?agency=th-mzj")
        self.assertContains(response, "政府信息公开申请")
        self.assertContains(response, 'hx-get="/ysqgk/suggest/"')

    def test_it_accepts_an_application_and_shows_the_query_code_once(self) -> None:
        proof = SimpleUploadedFile("id.png", PNG, content_type="image/png")
        response = self.client.post(
            reverse("apply:form"), {**form_data(self.agency_a.pk), "id_proof": proof}
        )
        self.assertRedirects(response, reverse("apply:submitted"), fetch_redirect_response=False)
        app = Application.objects.get()
        page = self.client.get(reverse("apply:submitted"))
        self.assertContains(page, app.number)
        self.assertContains(page, "只显示这一次")
        self.assertEqual(page["Cache-Control"], "no-store")
        self.assertRedirects(self.client.get(reverse("apply:submitted")), reverse("apply:track"))
        self.assertTrue(app.id_proof.name.endswith(".png"))

    def test_it_rejects_bad_input_with_chinese_messages_and_keeps_the_data(self) -> None:
        response = self.client.post(
            reverse("apply:form"), form_data(self.agency_a.pk, id_number="220502198001011235")
        )
        self.assertContains(response, "校验位错误", status_code=400)
        self.assertContains(response, "2025年度城乡低保资金发放明细", status_code=400)
        big = SimpleUploadedFile(
            "big.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), content_type="application/pdf"
        )
        response = self.client.post(
            reverse("apply:form"), {**form_data(self.agency_a.pk), "id_proof": big}
        )
        self.assertContains(response, "超过10MB", status_code=400)
        fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")
        response = self.client.post(
            reverse("apply:form"), {**form_data(self.agency_a.pk), "id_proof": fake}
        )
        self.assertContains(response, "只接受", status_code=400)
        self.assertEqual(Application.objects.count(), 0)

    def test_it_escapes_scripts_in_text_fields(self) -> None:
        self.client.post(
            reverse("apply:form"),
            form_data(self.agency_a.pk, description="<script>alert(1)</script>低保"),
        )
        app = Application.objects.get()
        self.client.get(reverse("apply:submitted"))
        page = self.client.get(reverse("apply:status", args=[app.number]))
        self.assertNotContains(page, "<script>alert(1)</script>")
        self.assertContains(page, "&lt;script&gt;")

    def test_it_tracks_with_number_and_code_and_downloads_notices(self) -> None:
        app, code = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="letter",
            data=person(),
            today=timezone.localdate(),
        )
        other = self.client_class()
        self.assertEqual(other.get(reverse("apply:status", args=[app.number])).status_code, 404)
        response = other.post(reverse("apply:track"), {"number": app.number.lower(), "code": code})
        self.assertRedirects(response, reverse("apply:status", args=[app.number]))
        page = other.get(reverse("apply:status", args=[app.number]))
        self.assertContains(page, "登记回执")
        notice = Notice.objects.get(application=app)
        pdf = other.get(reverse("apply:notice", args=[app.number, notice.pk, "pdf"]))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        docx = other.get(reverse("apply:notice", args=[app.number, notice.pk, "docx"]))
        self.assertTrue(docx.content.startswith(b"PK"))

    def test_it_rate_limits_guessing_the_query_code(self) -> None:
        app, code = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="letter",
            data=person(),
            today=timezone.localdate(),
        )
        statuses = [
            self.client.post(
                reverse("apply:track"), {"number": app.number, "code": f"GUESS{i:05d}"}
            ).status_code
            for i in range(1000)
        ]
        self.assertEqual(statuses[:10], [400] * 10)
        self.assertTrue(all(s == 429 for s in statuses[10:]))
        # even the right code is refused while blocked: no oracle for the guesser
        self.assertEqual(
            self.client.post(
                reverse("apply:track"), {"number": app.number, "code": code}
            ).status_code,
            429,
        )
        # another number from another IP is not affected by the per-number bucket
        app2, code2 = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="letter",
            data=person(),
            today=timezone.localdate(),
        )
        response = self.client.post(
            reverse("apply:track"), {"number": app2.number, "code": code2}, REMOTE_ADDR="10.0.0.9"
        )
        self.assertEqual(response.status_code, 302)

    def test_it_lets_a_second_ip_look_up_a_number_another_ip_hammered(self) -> None:
        app, code = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="letter",
            data=person(),
            today=timezone.localdate(),
        )
        attacker = [
            self.client.post(
                reverse("apply:track"),
                {"number": app.number, "code": f"GUESS{i:05d}"},
                REMOTE_ADDR="203.0.113.7",
            ).status_code
            for i in range(1000)
        ]
        self.assertEqual(attacker.count(400), 10)
        self.assertEqual(attacker.count(429), 990)
        # the real applicant, elsewhere, is neither blocked for a typo nor with the code
        applicant = self.client_class()
        typo = applicant.post(
            reverse("apply:track"),
            {"number": app.number, "code": "TYPO000000"},
            REMOTE_ADDR="198.51.100.20",
        )
        self.assertEqual(typo.status_code, 400)
        ok = applicant.post(
            reverse("apply:track"),
            {"number": app.number, "code": code},
            REMOTE_ADDR="198.51.100.20",
        )
        self.assertRedirects(ok, reverse("apply:status", args=[app.number]))
        # the attacker stays blocked even with the right code (no oracle)
        self.assertEqual(
            self.client_class()
            .post(
                reverse("apply:track"),
                {"number": app.number, "code": code},
                REMOTE_ADDR="203.0.113.7",
            )
            .status_code,
            429,
        )

    def test_it_blocks_a_number_for_everybody_above_the_global_threshold(self) -> None:
        from django.test import override_settings

        app, code = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="letter",
            data=person(),
            today=timezone.localdate(),
        )
        with override_settings(APPLY_LOOKUP_MAX_PER_NUMBER_GLOBAL=30):
            for n in range(3):  # three IPs, each exhausting its own (IP, number) allowance
                ip = f"192.0.2.{n + 1}"
                statuses = [
                    self.client.post(
                        reverse("apply:track"),
                        {"number": app.number, "code": f"G{n}{i:08d}"},
                        REMOTE_ADDR=ip,
                    ).status_code
                    for i in range(11)
                ]
                self.assertEqual(statuses, [400] * 10 + [429], ip)
            response = self.client.post(
                reverse("apply:track"),
                {"number": app.number, "code": code},
                REMOTE_ADDR="192.0.2.99",
            )
            self.assertContains(response, "查询失败次数过多", status_code=429)
        ratelimit.purge(now=timezone.now() + dt.timedelta(hours=2))  # the windows have passed
        response = self.client.post(
            reverse("apply:track"), {"number": app.number, "code": code}, REMOTE_ADDR="192.0.2.99"
        )
        self.assertEqual(response.status_code, 302)

    def test_it_keeps_the_per_ip_limit_across_numbers(self) -> None:
        app, code = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="letter",
            data=person(),
            today=timezone.localdate(),
        )
        statuses = [
            self.client.post(
                reverse("apply:track"),
                {"number": f"TH-MZJ-2026-{90000 + i:05d}", "code": "GUESS00000"},
                REMOTE_ADDR="203.0.113.50",
            ).status_code
            for i in range(25)
        ]
        self.assertEqual(statuses, [400] * 20 + [429] * 5)
        response = self.client.post(
            reverse("apply:track"), {"number": app.number, "code": code}, REMOTE_ADDR="203.0.113.50"
        )
        self.assertEqual(response.status_code, 429)

    def test_the_applicant_submits_a_correction_online(self) -> None:
        with clock_at(dt.datetime(2026, 6, 1, 10, 0, tzinfo=timezone.get_default_timezone())):
            self._submit_a_correction_online()

    def _submit_a_correction_online(self) -> None:
        today = timezone.localdate()
        app, code = services.application_register(
            agency=self.agency_a, by=self.lisi, channel="in_person", data=person(), today=today
        )
        services.application_assign(
            application=app, by=self.lisi, handler=self.zhengyi, today=today
        )
        services.application_request_correction(
            application=app, by=self.zhengyi, items="请写明年份", today=today
        )
        self.client.post(reverse("apply:track"), {"number": app.number, "code": code})
        page = self.client.get(reverse("apply:status", args=[app.number]))
        self.assertContains(page, "提交补正")
        self.client.post(reverse("apply:correct", args=[app.number]), {"text": "2025年"})
        app.refresh_from_db()
        self.assertEqual(app.status, "processing")
        self.assertEqual(app.correction_received_on, today)

    def test_suggestions_never_break_the_form(self) -> None:
        response = self.client.get(reverse("apply:suggest"), {"description": "低保"})
        self.assertEqual(response.status_code, 200)


class ConsoleTests(AppTestCase):
    def setUp(self) -> None:
        self.today = timezone.localdate()
        self.app, _ = services.application_register(
            agency=self.agency_a, by=self.lisi, channel="in_person", data=person(), today=self.today
        )
        self.other, _ = services.application_register(
            agency=self.agency_b,
            by=self.zhaoliu,
            channel="in_person",
            data=person(),
            today=self.today,
        )

    def test_list_matches_the_access_function_for_every_persona(self) -> None:
        for name, user in self.personas().items():
            listed = set(Application.objects.for_user(user).values_list("pk", flat=True))
            accessible = set()
            for app in Application.objects.all():
                try:
                    get_application_for_user(user, app.pk)
                    accessible.add(app.pk)
                except Http404:
                    pass
            self.assertEqual(listed, accessible, name)
        self.assertEqual(set(Application.objects.for_user(self.fenger)), {self.app})
        self.assertEqual(set(Application.objects.for_user(self.chenzd)), {self.app, self.other})
        self.assertEqual(set(Application.objects.for_user(self.sysadmin)), set())

    def test_it_lists_and_shows_with_masked_personal_data(self) -> None:
        self.login(self.lisi)
        self.assertContains(self.client.get(reverse("applications:list")), self.app.number)
        page = self.client.get(reverse("applications:detail", args=[self.app.pk]))
        self.assertContains(page, "2205**********1236")
        self.assertNotContains(page, "220502198001011236")
        self.assertNotContains(page, "13812345678")
        services.application_assign(
            application=self.app, by=self.lisi, handler=self.zhengyi, today=self.today
        )
        self.login(self.zhengyi)
        page = self.client.get(reverse("applications:detail", args=[self.app.pk]))
        self.assertContains(page, "220502198001011236")

    def test_it_registers_a_letter(self) -> None:
        self.login(self.lisi)
        data = form_data(self.agency_a.pk, channel="letter", received_on=self.today.isoformat())
        response = self.client.post(reverse("applications:register"), data)
        app = Application.objects.filter(agency=self.agency_a).order_by("-pk").first()
        assert app is not None
        self.assertRedirects(response, reverse("applications:detail", args=[app.pk]))
        future = (self.today + dt.timedelta(days=3)).isoformat()
        response = self.client.post(
            reverse("applications:register"),
            form_data(self.agency_a.pk, channel="letter", received_on=future),
        )
        self.assertContains(response, "不能晚于今天", status_code=400)
        self.login(self.fenger)
        self.assertEqual(self.client.get(reverse("applications:register")).status_code, 403)

    def test_step_views_reject_get_other_agency_read_only_and_wrong_status(self) -> None:
        url = reverse("applications:assign", args=[self.app.pk])
        self.login(self.lisi)
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url, {"assign-handler": self.zhengyi.pk})
        self.assertRedirects(response, reverse("applications:detail", args=[self.app.pk]))
        self.app.refresh_from_db()
        self.assertEqual(self.app.handler, self.zhengyi)
        self.login(self.zhaoliu)
        self.assertEqual(
            self.client.post(url, {"assign-handler": self.zhengyi.pk}).status_code, 404
        )
        self.login(self.fenger)
        self.assertEqual(
            self.client.post(url, {"assign-handler": self.zhengyi.pk}).status_code, 403
        )
        self.login(self.lisi)
        response = self.client.post(
            reverse("applications:confirm", args=[self.app.pk]), follow=True
        )
        self.assertContains(response, "不能确认收到")

    def test_the_handler_replies_and_downloads_the_notice(self) -> None:
        services.application_assign(
            application=self.app, by=self.lisi, handler=self.zhengyi, today=self.today
        )
        self.login(self.zhengyi)
        f = SimpleUploadedFile("明细.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        response = self.client.post(
            reverse("applications:reply", args=[self.app.pk]),
            {
                "reply-outcome": "disclose",
                "reply-reply_text": "见附件。",
                "reply-attachments": [f],
                "reply-service_method": "email",
                "reply-served_on": self.today.isoformat(),
            },
        )
        self.assertRedirects(response, reverse("applications:detail", args=[self.app.pk]))
        self.app.refresh_from_db()
        self.assertEqual((self.app.status, self.app.outcome), ("closed", "disclose"))
        notice = Notice.objects.get(application=self.app, kind="disclose")
        response = self.client.get(
            reverse("applications:notice", args=[self.app.pk, notice.pk, "pdf"])
        )
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertEqual(self.app.attachments.count(), 1)

    def test_the_system_administrator_edits_templates(self) -> None:
        from gongkai.applications.models import NoticeTemplate

        tpl = NoticeTemplate.objects.get(kind="withhold", era="2019", is_current=True)
        self.login(self.lisi)
        self.assertEqual(
            self.client.get(reverse("applications:template_edit", args=[tpl.pk])).status_code, 404
        )
        self.login(self.sysadmin)
        self.assertContains(
            self.client.get(reverse("applications:templates")), "政府信息不予公开告知书"
        )
        response = self.client.post(
            reverse("applications:template_edit", args=[tpl.pk]),
            {
                "title": tpl.title,
                "body": tpl.body,
                "legal_basis": tpl.legal_basis,
                "remedy_clause": "如不服，可以在60日内申请行政复议。",
            },
        )
        new = NoticeTemplate.objects.get(kind="withhold", era="2019", is_current=True)
        self.assertRedirects(response, reverse("applications:template_edit", args=[new.pk]))
        self.assertEqual(new.version, 2)

    def test_console_queue_counts(self) -> None:
        from gongkai.applications import panels

        items = {q.label: q.count for q in panels.queue(self.lisi)}
        self.assertEqual(items["依申请公开：已超期"], 0)
        self.assertEqual(panels.queue(self.sysadmin), [])
        self.assertEqual([n.label for n in panels.nav(self.sysadmin)], ["文书模板"])


class SuggestionAndPrivacyTests(AppTestCase):
    def test_it_suggests_published_catalog_items_while_typing(self) -> None:
        from gongkai.search.api import SearchDoc, index_documents

        index_documents(
            [
                SearchDoc(
                    key="catalog:1",
                    kind="catalog",
                    agency_id=self.agency_a.pk,
                    title="2025年度城乡低保资金发放情况",
                    body_text="全市城乡低保资金发放明细",
                    published_at=timezone.now(),
                    url="/xxgk/1/",
                )
            ]
        )
        response = self.client.get(
            reverse("apply:suggest"), {"description": "低保资金发放"}, HTTP_HX_REQUEST="true"
        )
        self.assertContains(response, "已主动公开")
        self.assertContains(response, 'href="/xxgk/1/"')
        self.assertContains(response, "<mark>")

    def test_personal_data_never_enters_the_audit_log_or_outbox(self) -> None:
        from gongkai.applications.models import OutboxMessage
        from gongkai.audit.models import AuditEntry

        today = timezone.localdate()
        app, _ = services.application_register(
            agency=self.agency_a, by=self.lisi, channel="in_person", data=person(), today=today
        )
        services.application_assign(
            application=app, by=self.lisi, handler=self.zhengyi, today=today
        )
        services.application_reply(
            application=app, by=self.zhengyi, outcome="disclose", reply_text="x", today=today
        )
        for entry in AuditEntry.objects.all():
            blob = f"{entry.changes} {entry.message} {entry.object_repr}"
            self.assertNotIn("220502198001011236", blob)
            self.assertNotIn("13812345678", blob)
        for msg in OutboxMessage.objects.all():
            self.assertNotIn("220502198001011236", msg.body)


class AccountTests(AppTestCase):
    def test_a_signed_in_applicant_tracks_without_the_code(self) -> None:
        self.login(self.zhangsan)
        self.client.post(reverse("apply:form"), form_data(self.agency_a.pk))
        app = Application.objects.get()
        self.assertEqual(app.user, self.zhangsan)
        other = self.client_class()
        other.force_login(self.zhangsan)
        self.assertContains(other.get(reverse("apply:track")), app.number)
        self.assertContains(other.get(reverse("apply:status", args=[app.number])), "待工作机构确认")
        stranger = self.client_class()
        stranger.force_login(self.lisi)
        self.assertEqual(stranger.get(reverse("apply:status", args=[app.number])).status_code, 404)

    def test_the_console_home_shows_the_queue(self) -> None:
        self.login(self.lisi)
        response = self.client.get(reverse("console:home"))
        self.assertContains(response, "依申请公开")


STEPS = [
    "confirm",
    "assign",
    "correction",
    "correction_received",
    "consultation",
    "extension",
    "extension_approve",
    "delayed",
    "reasons",
    "reasons_received",
    "reasons_accept",
    "withdraw",
    "fee",
    "payment",
    "reply",
    "service",
]


class StepGuardTests(AppTestCase):
    def test_every_step_rejects_get_outsiders_and_read_only_users(self) -> None:
        app, _ = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="in_person",
            data=person(),
            today=timezone.localdate(),
        )
        for step in STEPS:
            url = reverse(f"applications:{step}", args=[app.pk])
            self.login(self.lisi)
            self.assertEqual(self.client.get(url).status_code, 405, step)
            self.login(self.zhaoliu)
            self.assertEqual(self.client.post(url, {}).status_code, 404, step)
            self.login(self.fenger)
            self.assertEqual(self.client.post(url, {}).status_code, 403, step)
            self.login(self.auditor)
            self.assertEqual(self.client.post(url, {}).status_code, 404, step)
        self.client.logout()
        self.assertEqual(
            self.client.post(reverse("applications:assign", args=[app.pk])).status_code, 302
        )

    def test_the_consultation_result_form_of_each_row_is_its_own(self) -> None:
        # inside the working-day calendar: the consultation's deadline reaches into next year
        # from December on, which the engine refuses until its notice is entered
        patcher = clock_at(dt.datetime(2026, 6, 1, 10, 0, tzinfo=timezone.get_default_timezone()))
        patcher.start()
        self.addCleanup(patcher.stop)
        today = timezone.localdate()
        app, _ = services.application_register(
            agency=self.agency_a, by=self.lisi, channel="in_person", data=person(), today=today
        )
        services.application_assign(
            application=app, by=self.lisi, handler=self.zhengyi, today=today
        )
        c = services.consultation_start(
            application=app, by=self.zhengyi, kind="agency", party="通化市财政局", today=today
        )
        self.login(self.zhengyi)
        page = self.client.get(reverse("applications:detail", args=[app.pk]))
        self.assertContains(page, f'id="id_cres-{c.pk}-result"')
        response = self.client.post(
            reverse("applications:consultation_result", args=[app.pk, c.pk]),
            {f"cres-{c.pk}-result": "agree", f"cres-{c.pk}-answered_on": today.isoformat()},
            follow=True,
        )
        self.assertContains(response, "已登记征求意见结果")
        c.refresh_from_db()
        self.assertEqual(c.result, "agree")


class BadInputTests(AppTestCase):
    def test_garbage_never_causes_a_500(self) -> None:
        cache.clear()
        self.assertEqual(
            self.client.post(
                reverse("apply:track"), {"number": "x" * 5000, "code": "'; drop"}
            ).status_code,
            400,
        )
        self.assertEqual(self.client.get("/ysqgk/track/%00%27/").status_code, 404)
        self.assertEqual(
            self.client.get("/ysqgk/track/TH-MZJ-2026-00001/notices/1.exe").status_code, 404
        )
        self.assertEqual(
            self.client.post(
                reverse("apply:form"), {"agency": "abc", "description": "x" * 3000}
            ).status_code,
            400,
        )
        today = timezone.localdate()
        app, _ = services.application_register(
            agency=self.agency_a, by=self.lisi, channel="letter", data=person(), today=today
        )
        services.application_assign(
            application=app, by=self.lisi, handler=self.zhengyi, today=today
        )
        self.login(self.zhengyi)
        response = self.client.post(
            reverse("applications:correction", args=[app.pk]),
            {"corr-items": "x", "corr-due_on": "2026-02-31"},
            follow=True,
        )
        self.assertContains(response, "补正期限")
        self.assertEqual(
            self.client.get(reverse("applications:notice", args=[app.pk, 1, "exe"])).status_code,
            404,
        )

    def test_a_broken_template_edit_is_a_message_not_a_500(self) -> None:
        from gongkai.applications.models import NoticeTemplate

        today = timezone.localdate()
        tpl = NoticeTemplate.objects.get(kind="disclose", era="2019", is_current=True)
        services.notice_template_revise(
            template=tpl,
            by=self.sysadmin,
            title="告知书",
            body="{% url 'nowhere' %}",
            legal_basis="",
            remedy_clause="",
        )
        app, _ = services.application_register(
            agency=self.agency_a, by=self.lisi, channel="letter", data=person(), today=today
        )
        services.application_assign(
            application=app, by=self.lisi, handler=self.zhengyi, today=today
        )
        self.login(self.zhengyi)
        response = self.client.post(
            reverse("applications:reply", args=[app.pk]),
            {"reply-outcome": "disclose", "reply-reply_text": "x"},
            follow=True,
        )
        self.assertContains(response, "文书模板无法生成")
        app.refresh_from_db()
        self.assertEqual(app.status, "processing")
