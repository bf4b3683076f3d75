"""Services: intake, receipt, processing, clock integration, lapse, reply, templates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core import mail

from gongkai.applications import services
from gongkai.applications.models import (
    Application,
    Consultation,
    Notice,
    NoticeTemplate,
    OutboxMessage,
)
from gongkai.applications.services import ApplicationError
from gongkai.applications.tests.factories import AppTestCase, at, person, uscc
from gongkai.workdays.calendar import add_workdays

S = Application.Status
MON = dt.date(2026, 3, 2)  # a Monday with no holiday nearby


class ServiceTestCase(AppTestCase):
    def submit(self, day: dt.date = MON, **overrides) -> tuple[Application, str]:  # type: ignore[no-untyped-def]
        return services.application_submit_online(
            agency=self.agency_a, data=person(**overrides), now=at(day)
        )

    def received(self, day: dt.date = MON, **overrides) -> Application:  # type: ignore[no-untyped-def]
        app, _ = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="in_person",
            data=person(**overrides),
            received_on=day,
            today=day,
            now=at(day),
        )
        return app

    def processing(self, day: dt.date = MON, **overrides) -> Application:  # type: ignore[no-untyped-def]
        app = self.received(day, **overrides)
        return services.application_assign(
            application=app, by=self.lisi, handler=self.zhengyi, today=day
        )


class IntakeTests(ServiceTestCase):
    def test_it_numbers_online_applications_and_waits_for_confirmation(self) -> None:
        app, code = self.submit()
        self.assertEqual(app.number, "TH-MZJ-2026-00001")
        self.assertEqual(app.status, S.PENDING)
        self.assertIsNone(app.received_on)
        self.assertIsNone(app.due_on)
        self.assertEqual(len(code), 10)
        self.assertNotIn(code, app.query_code_hash)
        self.assertEqual(services.check_query_code(app.number, code.lower()), app)
        self.assertIsNone(services.check_query_code(app.number, "WRONGCODE1"))
        self.assertIsNone(services.check_query_code("TH-MZJ-2026-99999", code))
        second, _ = self.submit()
        self.assertEqual(second.serial, 2)
        self.assertAudited("applications.application.submitted", object_id=str(app.pk))

    def test_it_encrypts_id_and_phone_at_rest(self) -> None:
        from django.db import connection

        app, _ = self.submit()
        with connection.cursor() as cur:
            cur.execute(
                "select id_number, phone from applications_application where id=%s", [app.pk]
            )
            raw_id, raw_phone = cur.fetchone()
        self.assertNotIn("220502", raw_id)
        self.assertNotIn("1381234", raw_phone)
        self.assertEqual(Application.objects.get(pk=app.pk).id_number, person()["id_number"])
        self.assertEqual(app.masked_id_number, "2205**********1236")

    def test_it_rejects_a_bad_id_number_and_a_bad_uscc(self) -> None:
        with self.assertRaisesMessage(ApplicationError, "校验位错误"):
            self.submit(id_number="220502198001011235")
        with self.assertRaisesMessage(ApplicationError, "统一社会信用代码"):
            self.submit(applicant_type="business", id_number="91220502MA00000000")
        app, _ = self.submit(applicant_type="business", applicant_name="某公司", id_number=uscc())
        self.assertEqual(app.applicant_type, "business")
        self.assertEqual(Application.objects.count(), 1)

    def test_it_confirms_online_applications_with_the_receipt_date_and_due_date(self) -> None:
        app, _ = self.submit()
        confirmed = services.application_confirm(
            application=app,
            by=self.lisi,
            confirmed_on=MON + dt.timedelta(days=1),
            today=MON + dt.timedelta(days=1),
        )
        self.assertEqual(confirmed.status, S.RECEIVED)
        self.assertEqual(confirmed.received_on, dt.date(2026, 3, 3))
        self.assertEqual(confirmed.due_on, add_workdays(dt.date(2026, 3, 3), 20))
        self.assertTrue(any("20个工作日" in line for line in confirmed.due_explanation))
        receipt = Notice.objects.get(application=app, kind="receipt")
        self.assertEqual(receipt.doc_number, "通化市民政局依申请〔2026〕1号")
        self.assertIn(confirmed.number, " ".join(p["text"] for p in receipt.paragraphs))
        self.assertAudited("applications.application.confirmed", object_id=str(app.pk))

    def test_it_refuses_confirmation_by_a_viewer_or_twice(self) -> None:
        app, _ = self.submit()
        with self.assertRaises(ApplicationError):
            services.application_confirm(application=app, by=self.fenger, today=MON)
        services.application_confirm(application=app, by=self.lisi, today=MON)
        with self.assertRaisesMessage(ApplicationError, "不能确认收到"):
            services.application_confirm(application=app, by=self.lisi, today=MON)

    def test_it_applies_the_receipt_rule_of_each_channel(self) -> None:
        letter, _ = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="letter",
            data=person(),
            received_on=MON,
            today=MON + dt.timedelta(days=2),
        )
        self.assertEqual((letter.status, letter.received_on), (S.RECEIVED, MON))
        fax, _ = services.application_register(
            agency=self.agency_a, by=self.lisi, channel="fax", data=person(), today=MON
        )
        self.assertEqual((fax.status, fax.received_on), (S.PENDING, None))
        with self.assertRaisesMessage(ApplicationError, "不能晚于今天"):
            services.application_register(
                agency=self.agency_a,
                by=self.lisi,
                channel="letter",
                data=person(),
                received_on=MON + dt.timedelta(days=1),
                today=MON,
            )
        with self.assertRaises(ApplicationError):
            services.application_register(
                agency=self.agency_a, by=self.zhaoliu, channel="letter", data=person(), today=MON
            )

    def test_it_flags_a_duplicate_of_the_same_applicants_earlier_application(self) -> None:
        first = self.received()
        second = self.received(description="2025年度城乡低保资金发放明细及审批依据。")
        other = self.received(description="养老机构名单", id_number="")
        self.assertEqual(second.duplicate_of, first)
        self.assertIsNone(other.duplicate_of)


class ProcessingTests(ServiceTestCase):
    def test_it_assigns_only_to_a_handler(self) -> None:
        app = self.received()
        with self.assertRaisesMessage(ApplicationError, "承办人须为"):
            services.application_assign(
                application=app, by=self.lisi, handler=self.wangwu, today=MON
            )
        app = services.application_assign(
            application=app, by=self.lisi, handler=self.zhengyi, today=MON
        )
        self.assertEqual((app.status, app.handler), (S.PROCESSING, self.zhengyi))

    def test_it_restarts_the_clock_when_the_correction_arrives(self) -> None:
        app = self.processing()
        day3 = add_workdays(MON, 3)
        app = services.application_request_correction(
            application=app, by=self.zhengyi, items="请写明年份", today=day3
        )
        self.assertEqual(app.status, S.CORRECTION)
        self.assertEqual(app.correction_due_on, add_workdays(day3, 15))
        self.assertTrue(Notice.objects.filter(application=app, kind="correction").exists())
        day8 = add_workdays(MON, 8)
        app = services.application_receive_correction(application=app, text="2025年", today=day8)
        self.assertEqual(app.status, S.PROCESSING)
        self.assertEqual(app.due_on, add_workdays(day8, 20))
        with self.assertRaisesMessage(ApplicationError, "一次性"):
            services.application_request_correction(
                application=app, by=self.zhengyi, items="again", today=day8
            )

    def test_it_refuses_a_correction_notice_after_seven_working_days(self) -> None:
        app = self.processing()
        with self.assertRaisesMessage(ApplicationError, "7个工作日内"):
            services.application_request_correction(
                application=app, by=self.zhengyi, items="x", today=add_workdays(MON, 8)
            )

    def test_it_lapses_an_uncorrected_application_without_staff_action(self) -> None:
        app = self.processing()
        app = services.application_request_correction(
            application=app, by=self.zhengyi, items="请写明年份", today=MON
        )
        assert app.correction_due_on is not None
        self.assertEqual(services.application_lapse_overdue(today=app.correction_due_on), [])
        done = services.application_lapse_overdue(
            today=app.correction_due_on + dt.timedelta(days=1)
        )
        self.assertEqual(done, [app.number])
        app.refresh_from_db()
        self.assertEqual((app.status, app.outcome), (S.CLOSED, "other_no_correction"))
        self.assertTrue(Notice.objects.filter(application=app, kind="lapsed_correction").exists())
        self.assertEqual(
            services.application_lapse_overdue(today=app.correction_due_on + dt.timedelta(days=9)),
            [],
        )

    def test_it_pauses_the_clock_during_a_third_party_consultation(self) -> None:
        app = self.processing()
        before = app.due_on
        sent = add_workdays(MON, 2)
        c = services.consultation_start(
            application=app, by=self.zhengyi, kind="third_party", party="某公司", today=sent
        )
        self.assertEqual(c.due_on, add_workdays(sent, 15))
        with self.assertRaisesMessage(ApplicationError, "尚未届满"):
            services.consultation_record(
                consultation=c, by=self.zhengyi, result="no_reply", today=sent
            )
        answered = add_workdays(sent, 5)
        services.consultation_record(
            consultation=c, by=self.zhengyi, result="disagree", answered_on=answered, today=answered
        )
        app.refresh_from_db()
        self.assertEqual(
            app.due_on, add_workdays(before or MON, 6)
        )  # sent_on … answered_on inclusive: 6 working days
        self.assertTrue(Notice.objects.filter(application=app, kind="third_party").exists())

    def test_it_treats_agency_silence_as_consent(self) -> None:
        app = self.processing()
        c = services.consultation_start(
            application=app, by=self.zhengyi, kind="agency", party="通化市财政局", today=MON
        )
        later = c.due_on + dt.timedelta(days=1)
        c = services.consultation_record(
            consultation=c, by=self.zhengyi, result="no_reply", today=later
        )
        self.assertEqual(c.answered_on, c.due_on)
        self.assertIn("视为同意公开", c.effective_result_label)

    def test_it_extends_once_with_the_office_heads_approval(self) -> None:
        app = self.processing()
        with self.assertRaisesMessage(ApplicationError, "1至20"):
            services.application_request_extension(
                application=app, by=self.zhengyi, workdays=21, reason="量大", today=MON
            )
        services.application_request_extension(
            application=app, by=self.zhengyi, workdays=10, reason="信息量大", today=MON
        )
        with self.assertRaisesMessage(ApplicationError, "信息公开工作机构负责人"):
            services.application_approve_extension(application=app, by=self.zhengyi, today=MON)
        base = Application.objects.get(pk=app.pk).due_on
        app = services.application_approve_extension(application=app, by=self.wushi, today=MON)
        self.assertEqual(app.due_on, add_workdays(base or MON, 10))
        self.assertTrue(Notice.objects.filter(application=app, kind="extension").exists())
        with self.assertRaisesMessage(ApplicationError, "只能延长一次"):
            services.application_request_extension(
                application=app, by=self.zhengyi, workdays=5, reason="再延", today=MON
            )

    def test_it_follows_the_2008_rules_for_applications_received_before_2019_05_15(self) -> None:
        day = dt.date(2012, 6, 4)
        app = self.processing(day)
        self.assertEqual(app.era, "2008")
        self.assertEqual(app.due_on, add_workdays(day, 15))
        with self.assertRaisesMessage(ApplicationError, "1至15"):
            services.application_request_extension(
                application=app, by=self.zhengyi, workdays=20, reason="x", today=day
            )
        notice = services.application_reply(
            application=app, by=self.zhengyi, outcome="disclose", reply_text="见附件", today=day
        )
        self.assertEqual(notice.template.era, "2008")
        self.assertIn("3个月", notice.paragraphs[-1]["text"])

    def test_it_computes_item_fees_per_applicant_and_month_and_lapses_unpaid(self) -> None:
        for _ in range(10):
            self.received()
        app = self.processing()
        self.assertEqual(services.item_rank(app), 11)
        app = services.fee_notify(application=app, by=self.zhengyi, method="item", today=MON)
        self.assertEqual((app.status, app.fee_amount), (S.FEE, Decimal(100)))
        with self.assertRaisesMessage(ApplicationError, "只能选择一种"):
            services.fee_notify(
                application=app, by=self.zhengyi, method="page", pages=50, today=MON
            )
        self.assertTrue(Notice.objects.filter(application=app, kind="fee").exists())
        done = services.application_lapse_overdue(
            today=(app.fee_due_on or MON) + dt.timedelta(days=1)
        )
        self.assertEqual(done, [app.number])
        app.refresh_from_db()
        self.assertEqual(app.outcome, "other_unpaid")

    def test_it_resumes_the_clock_after_payment(self) -> None:
        app = self.processing()
        base = app.due_on
        app = services.fee_notify(
            application=app, by=self.zhengyi, method="page", pages=150, today=MON
        )
        self.assertEqual(app.fee_amount, Decimal(1700))
        paid = add_workdays(MON, 4)
        app = services.fee_record_payment(application=app, by=self.lisi, paid_on=paid, today=paid)
        self.assertEqual(app.status, S.PROCESSING)
        self.assertEqual(app.due_on, add_workdays(base or MON, 4))

    def test_it_refuses_a_free_item_fee(self) -> None:
        app = self.processing()
        with self.assertRaisesMessage(ApplicationError, "不收费"):
            services.fee_notify(application=app, by=self.zhengyi, method="item", today=MON)


class ReplyTests(ServiceTestCase):
    def test_it_replies_with_one_outcome_cell_and_its_notice(self) -> None:
        app = self.processing()
        notice = services.application_reply(
            application=app,
            by=self.zhengyi,
            outcome="partial",
            reply_text="第三部分涉及个人隐私，不予公开。",
            withheld_ground="withhold_third_party",
            today=MON,
        )
        app.refresh_from_db()
        self.assertEqual((app.status, app.outcome, app.replied_on), (S.REPLIED, "partial", MON))
        self.assertEqual(notice.kind, "partial")
        text = " ".join(p["text"] for p in notice.paragraphs)
        self.assertIn("第三十七条", text)
        self.assertIn("60日内向通化市人民政府申请行政复议", text)
        self.assertIn("6个月内", text)
        app = services.application_record_service(
            application=app, by=self.lisi, method="email", served_on=MON, today=MON
        )
        self.assertEqual((app.status, app.closed_on), (S.CLOSED, MON))
        self.assertAudited("applications.application.replied", object_id=str(app.pk))

    def test_it_cites_the_cell_specific_basis_for_withholding(self) -> None:
        app = self.processing()
        notice = services.application_reply(
            application=app,
            by=self.zhengyi,
            outcome="withhold_process",
            reply_text="过程稿",
            today=MON,
        )
        self.assertIn("第十六条第二款", " ".join(p["text"] for p in notice.paragraphs))

    def test_it_refuses_lapse_outcomes_other_handlers_and_closed_applications(self) -> None:
        app = self.processing()
        with self.assertRaises(ApplicationError):
            services.application_reply(
                application=app,
                by=self.zhengyi,
                outcome="other_no_correction",
                reply_text="x",
                today=MON,
            )
        with self.assertRaisesMessage(ApplicationError, "承办人"):
            services.application_reply(
                application=app, by=self.lisi, outcome="disclose", reply_text="x", today=MON
            )
        services.application_reply(
            application=app,
            by=self.zhengyi,
            outcome="disclose",
            reply_text="x",
            service_method="email",
            served_on=MON,
            today=MON,
        )
        with self.assertRaisesMessage(ApplicationError, "不能答复"):
            services.application_reply(
                application=app, by=self.zhengyi, outcome="disclose", reply_text="x", today=MON
            )

    def test_it_numbers_notices_per_agency_and_year(self) -> None:
        self.received()
        self.received()
        serials = list(
            Notice.objects.filter(agency=self.agency_a)
            .order_by("serial")
            .values_list("serial", flat=True)
        )
        self.assertEqual(serials, [1, 2])


class TemplateTests(ServiceTestCase):
    def test_it_has_a_default_template_for_every_notice_kind_and_outcome(self) -> None:
        from gongkai.applications.models import NoticeKind
        from gongkai.lib.taxonomy import OUTCOME_CELLS

        kinds = {cell.notice for cell in OUTCOME_CELLS} | set(NoticeKind.values)
        for era in ("2008", "2019"):
            have = set(
                NoticeTemplate.objects.filter(era=era, is_current=True).values_list(
                    "kind", flat=True
                )
            )
            self.assertEqual(kinds - have, set(), era)
        # the remedy clause is filled from the legal-basis table (applications.legal)
        remedy = NoticeTemplate.objects.get(
            kind="withhold", era="2019", is_current=True
        ).remedy_clause
        self.assertEqual(remedy, "{{ remedy }}")

    def test_it_versions_templates_and_issued_notices_keep_their_version(self) -> None:
        app = self.received()
        receipt = Notice.objects.get(application=app)
        tpl = NoticeTemplate.objects.get(kind="receipt", era="2019", is_current=True)
        with self.assertRaises(ApplicationError):
            services.notice_template_revise(
                template=tpl, by=self.lisi, title="t", body="b", legal_basis="", remedy_clause=""
            )
        with self.assertRaisesMessage(ApplicationError, "语法错误"):
            services.notice_template_revise(
                template=tpl,
                by=self.sysadmin,
                title="t",
                body="{% if %}",
                legal_basis="",
                remedy_clause="",
            )
        new = services.notice_template_revise(
            template=tpl,
            by=self.sysadmin,
            title="登记回执（新）",
            body="新正文{{ number }}",
            legal_basis="",
            remedy_clause="",
        )
        self.assertEqual(new.version, 2)
        receipt.refresh_from_db()
        self.assertEqual(receipt.template.version, 1)
        later = self.received()
        self.assertEqual(Notice.objects.get(application=later).template, new)
        self.assertEqual(Notice.objects.get(application=later).title, "登记回执（新）")


class HookAndOutboxTests(ServiceTestCase):
    def test_it_recomputes_open_deadlines_when_the_calendar_changes(self) -> None:
        from gongkai.workdays.hooks import registered_hooks

        app = self.processing()
        Application.objects.filter(pk=app.pk).update(due_on=dt.date(2026, 1, 1))
        self.assertTrue(
            any(getattr(h, "__name__", "") == "_recompute_hook" for h in registered_hooks())
        )
        moved = services.recompute_open_deadlines("test", today=MON)
        self.assertEqual(moved, [(app.number, dt.date(2026, 1, 1), add_workdays(MON, 20))])

    def test_it_queues_mail_in_the_outbox_and_sends_it(self) -> None:
        self.submit()
        self.assertEqual(OutboxMessage.objects.filter(sent_at=None).count(), 1)
        self.assertEqual(services.outbox_send(), 1)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("TH-MZJ-2026-00001", mail.outbox[0].body)
        self.assertEqual(services.outbox_send(), 0)

    def test_it_builds_a_daily_digest_for_the_agencys_handlers(self) -> None:
        self.zhengyi.email = "zhengyi@example.com"
        self.zhengyi.save()
        app = self.processing()
        queued = services.digest_build(today=(app.due_on or MON) + dt.timedelta(days=1))
        self.assertEqual(queued, 1)
        msg = OutboxMessage.objects.get(to="zhengyi@example.com")
        self.assertIn("已超期 1 件", msg.body)
        self.assertEqual(services.digest_build(today=(app.due_on or MON) + dt.timedelta(days=1)), 0)

    def test_consultation_kinds_are_labelled(self) -> None:
        self.assertEqual(Consultation.Kind.THIRD_PARTY.label, "第三方意见征询（第三十二条）")


class AlternativeNoticeAndSmsTests(ServiceTestCase):
    def test_it_issues_a_not_this_agency_notice_for_cell_four_one(self) -> None:
        app = self.processing()
        with self.assertRaisesMessage(ApplicationError, "不对应"):
            services.application_reply(
                application=app,
                by=self.zhengyi,
                outcome="disclose",
                reply_text="x",
                notice_kind="not_this_agency",
                today=MON,
            )
        notice = services.application_reply(
            application=app,
            by=self.zhengyi,
            outcome="unable_not_held",
            reply_text="该信息由通化市财政局负责公开，联系电话0435-0000000。",
            notice_kind="not_this_agency",
            today=MON,
        )
        self.assertEqual((notice.kind, notice.title), ("not_this_agency", "非本机关政府信息告知书"))
        app.refresh_from_db()
        self.assertEqual(app.outcome, "unable_not_held")

    def test_sms_goes_through_the_adapter_only_when_enabled(self) -> None:
        from django.test import override_settings

        from gongkai.applications import sms

        self.submit()
        self.assertFalse(OutboxMessage.objects.filter(channel="sms").exists())
        with override_settings(
            SMS_ENABLED=True, SMS_BACKEND="gongkai.applications.sms.MemorySmsBackend"
        ):
            sms.MemorySmsBackend.outbox.clear()
            self.submit()
            self.assertEqual(OutboxMessage.objects.filter(channel="sms").count(), 1)
            services.outbox_send()
            self.assertEqual(len(sms.MemorySmsBackend.outbox), 1)
        with override_settings(SMS_ENABLED=True):
            self.submit()
            services.outbox_send()
            failed = OutboxMessage.objects.filter(channel="sms", sent_at=None).get()
            self.assertIn("短信网关未配置", failed.last_error)
