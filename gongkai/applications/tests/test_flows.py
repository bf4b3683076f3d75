"""The application workflow table is THE guard: for every persona × state × verb the service
accepts the step exactly when ``APPLICATION_WORKFLOW.allowed()`` offers it, and the case
page shows exactly those buttons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.flows import APPLICATION_WORKFLOW
from gongkai.applications.models import Application
from gongkai.applications.services import ApplicationError
from gongkai.applications.tests.factories import at
from gongkai.applications.tests.test_services import MON, ServiceTestCase
from gongkai.lib.testing import clock_at

S = Application.Status
# clerk, handler, office head, read-only viewer, another agency's clerk, the three administrators
PERSONAS = ("lisi", "zhengyi", "wushi", "fenger", "zhaoliu", "sysadmin", "secadmin", "auditor")
LATER = MON + dt.timedelta(days=60)


class Rollback(Exception):
    pass


def accepted(call: Callable[[], Any]) -> bool:
    """Whether the service accepts the call (its effects are rolled back either way)."""
    try:
        with transaction.atomic():
            call()
            raise Rollback
    except Rollback:
        return True
    except ApplicationError:
        return False


def calls(app: Application, user: Any, zhengyi: Any) -> dict[str, Callable[[], Any] | None]:
    """One valid call of each verb's service (None: no draft to sign or return)."""
    draft = services.pending_draft(app)
    kw: dict[str, Any] = {"application": app, "by": user, "today": MON}
    return {
        "confirm": lambda: services.application_confirm(**kw),
        "assign": lambda: services.application_assign(**kw, handler=zhengyi),
        "request_correction": lambda: services.application_request_correction(
            **kw, items="请补充所需信息的文号"
        ),
        "receive_correction": lambda: services.application_receive_correction(
            **kw, text="文号为通民发〔2025〕1号", received_on=MON
        ),
        "consult": lambda: services.consultation_start(**kw, kind="third_party", party="某某公司"),
        "request_extension": lambda: services.application_request_extension(
            **kw, workdays=10, reason="需要调取档案"
        ),
        "approve_extension": lambda: services.application_approve_extension(**kw),
        "set_delayed_due": lambda: services.application_set_delayed_due(
            **kw, due_on=LATER, reason="数量较大"
        ),
        "request_reasons": lambda: services.application_request_reasons(
            **kw, items="请说明申请的用途"
        ),
        "receive_reasons": lambda: services.application_receive_reasons(
            **kw, text="用于学术研究", received_on=MON
        ),
        "accept_reasons": lambda: services.application_accept_reasons(**kw),
        "fee_notify": lambda: services.fee_notify(**kw, method="page", pages=300),
        "record_payment": lambda: services.fee_record_payment(**kw, paid_on=MON),
        "reply": lambda: services.application_reply(
            **kw, outcome="disclose", reply_text="所需信息见附件。"
        ),
        "submit_reply": lambda: services.reply_draft_submit(
            **kw, outcome="disclose", reply_text="所需信息见附件。"
        ),
        "sign_reply": None
        if draft is None
        else lambda: services.reply_draft_sign(draft=draft, by=user, today=MON),
        "return_reply": None
        if draft is None
        else lambda: services.reply_draft_return(
            draft=draft, by=user, comment="请补充法律依据", today=MON
        ),
        "withdraw": lambda: services.application_withdraw(**kw, reason="已不需要", received_on=MON),
        "record_service": lambda: services.application_record_service(
            **kw, method="email", served_on=MON
        ),
    }


class ApplicationFlowTestCase(ServiceTestCase):
    def setUp(self) -> None:
        super().setUp()
        patcher = clock_at(at(MON))
        patcher.start()
        self.addCleanup(patcher.stop)

    def states(self) -> dict[str, Application]:
        """Applications of agency A in each state the table distinguishes."""
        h = self.zhengyi
        kw: dict[str, Any] = {"by": h, "today": MON}
        out: dict[str, Application] = {}
        out["pending"], _ = self.submit()
        out["received"] = self.received()
        out["processing"] = self.processing()
        out["correction"] = services.application_request_correction(
            application=self.processing(), items="请补充文号", **kw
        )
        out["extension_requested"] = services.application_request_extension(
            application=self.processing(), workdays=10, reason="需要调取档案", **kw
        )
        asked = services.application_request_reasons(
            application=self.processing(), items="请说明用途", **kw
        )
        out["reasons_requested"] = asked
        out["reasons_received"] = services.application_receive_reasons(
            application=services.application_request_reasons(
                application=self.processing(), items="请说明用途", **kw
            ),
            text="用于研究",
            by=h,
            today=MON,
        )
        out["fee"] = services.fee_notify(
            application=self.processing(), method="page", pages=300, **kw
        )
        replied = self.processing()
        services.application_reply(
            application=replied, outcome="disclose", reply_text="见附件。", **kw
        )
        out["replied"] = replied
        closed = self.processing()
        services.application_withdraw(
            application=closed, by=self.lisi, reason="已不需要", received_on=MON, today=MON
        )
        out["closed"] = closed
        return out

    def check(self, apps: dict[str, Application]) -> set[str]:
        """Compare table and services for every persona × state × verb; return the verbs the
        table offered to somebody."""
        personas = self.personas()
        mismatches: list[str] = []
        offered: set[str] = set()
        for state, app in apps.items():
            for name in PERSONAS:
                user = personas[name]
                fresh = Application.objects.select_related("agency").get(pk=app.pk)
                allowed = APPLICATION_WORKFLOW.allowed(user, fresh)
                offered |= allowed
                for verb, call in calls(fresh, user, self.zhengyi).items():
                    ok = False if call is None else accepted(call)
                    if ok != (verb in allowed):
                        mismatches.append(f"{state}/{name}/{verb}: 表={verb in allowed} 服务={ok}")
                    if not ok and verb in allowed:
                        continue
                    if not ok:  # the refusal has a Chinese reason from the table
                        reason = APPLICATION_WORKFLOW.refusal(verb, user, fresh)
                        self.assertTrue(reason and not reason.isascii(), (verb, reason))
        self.assertEqual(mismatches, [])
        return offered


class ServicesAgreeWithTheTableTest(ApplicationFlowTestCase):
    def test_it_accepts_a_step_exactly_when_the_table_allows_it(self) -> None:
        offered = self.check(self.states())
        without_signoff = {v for t in APPLICATION_WORKFLOW.transitions for v in [t.verb]} - {
            "submit_reply",
            "sign_reply",
            "return_reply",
        }
        self.assertEqual(offered, without_signoff)  # every step was possible for somebody

    def test_it_agrees_with_signoff_on_before_and_after_the_draft(self) -> None:
        services.reply_signoff_configure(agency=self.agency_a, by=self.wushi, required=True)
        waiting = self.processing()
        services.reply_draft_submit(
            application=waiting, by=self.zhengyi, outcome="disclose", reply_text="见附件。",
            today=MON,
        )  # fmt: skip
        offered = self.check({"processing": self.processing(), "draft_pending": waiting})
        self.assertLessEqual({"submit_reply", "sign_reply", "return_reply"}, offered)
        self.assertNotIn("reply", offered)
        self.assertFalse(APPLICATION_WORKFLOW.can("sign_reply", self.zhengyi, waiting))

    def test_it_words_the_refusal_from_the_table(self) -> None:
        app = self.processing()
        self.assertEqual(
            APPLICATION_WORKFLOW.refusal("confirm", self.lisi, app),
            f"申请{app.number}当前状态为“办理中”，不能确认收到（仅限待确认）。",
        )
        self.assertEqual(
            APPLICATION_WORKFLOW.refusal("reply", self.lisi, app),
            "只有本件的承办人或信息公开工作机构负责人可以答复。",
        )
        self.assertIsNone(APPLICATION_WORKFLOW.refusal("reply", self.zhengyi, app))

    def test_the_applicant_acts_without_staff_roles_but_not_outside_the_states(self) -> None:
        app = self.processing()
        with self.assertRaisesMessage(ApplicationError, "不能补正"):
            services.application_receive_correction(application=app, text="补正", today=MON)
        services.application_withdraw(application=app, reason="不需要了", today=MON)
        app.refresh_from_db()
        self.assertEqual(app.status, S.CLOSED)
        with self.assertRaisesMessage(ApplicationError, "不能撤回"):
            services.application_withdraw(application=app, reason="再次撤回", today=MON)


class PageButtonsTest(ApplicationFlowTestCase):
    MARKERS = {
        "confirm": ["confirm"],
        "assign": ["assign"],
        "request_correction": ["correction"],
        "receive_correction": ["correction_received"],
        "consult": ["consultation"],
        "request_extension": ["extension"],
        "approve_extension": ["extension_approve"],
        "set_delayed_due": ["delayed"],
        "request_reasons": ["reasons"],
        "receive_reasons": ["reasons_received"],
        "accept_reasons": ["reasons_accept"],
        "fee_notify": ["fee"],
        "record_payment": ["payment"],
        "withdraw": ["withdraw"],
        "record_service": ["service"],
    }

    def shown(self, html: str, app: Application) -> set[str]:
        verbs = {
            verb
            for verb, names in self.MARKERS.items()
            if all(f'action="{reverse(f"applications:{n}", args=[app.pk])}"' in html for n in names)
        }
        if "作出答复并制发告知书</button>" in html:
            verbs.add("reply")
        if "提交审签</button>" in html:
            verbs.add("submit_reply")
        if 'value="sign"' in html:
            verbs.add("sign_reply")
        if 'value="return"' in html:
            verbs.add("return_reply")
        return verbs

    def test_the_case_page_shows_exactly_the_allowed_buttons(self) -> None:
        apps = self.states()
        personas = self.personas()
        seen: set[str] = set()
        for state in ("pending", "processing", "extension_requested", "fee", "replied"):
            app = apps[state]
            for name in ("lisi", "zhengyi", "wushi", "fenger"):
                user = personas[name]
                self.client.force_login(user)
                page = self.client.get(reverse("applications:detail", args=[app.pk]))
                self.assertEqual(page.status_code, 200)
                fresh = Application.objects.get(pk=app.pk)
                allowed = APPLICATION_WORKFLOW.allowed(user, fresh)
                self.assertEqual(self.shown(page.content.decode(), app), allowed, (state, name))
                seen |= allowed
        self.assertIn("approve_extension", seen)  # the comparison saw real buttons
        self.assertIn("record_payment", seen)
