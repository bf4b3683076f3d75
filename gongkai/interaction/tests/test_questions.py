"""留言办理 through HTTP: submit (captcha, rate limit) → track → route → answer → review →
publication and search; personal data never public; decisions audited; bad input 4xx."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from gongkai.interaction import services
from gongkai.interaction.models import Question
from gongkai.interaction.permissions import get_question_for_user
from gongkai.interaction.services import InteractionError
from gongkai.interaction.tests.helpers import QUESTION, answered, submit
from gongkai.lib import captcha
from gongkai.lib.testing import clock_at
from gongkai.test import BaseTestCase


class SubmitTest(BaseTestCase):
    def post(self, **extra: object) -> Any:
        data = {**QUESTION, "may_publish": "on", **captcha.solved_data(), **extra}
        return self.client.post(reverse("interaction_public:question_new"), data)

    def test_it_submits_a_question_and_shows_number_and_code_once(self) -> None:
        # a fixed Monday inside the working-day calendar: from late December the 5 working
        # days would reach into a year not entered yet, and the due date fails closed
        patcher = clock_at(dt.datetime(2026, 6, 1, 10, 0, tzinfo=timezone.get_default_timezone()))
        patcher.start()
        self.addCleanup(patcher.stop)
        response = self.post(suggested_agency=self.agency_a.pk)
        self.assertRedirects(
            response,
            reverse("interaction_public:question_submitted"),
            fetch_redirect_response=False,
        )
        q = Question.objects.get()
        self.assertEqual(q.number, "LY-2026-00001")
        self.assertEqual(q.status, Question.Status.SUBMITTED)
        self.assertEqual(q.suggested_agency, self.agency_a)
        self.assertEqual(q.due_on, dt.date(2026, 6, 8))  # 5 working days after Mon 1 June
        page = self.client.get(reverse("interaction_public:question_submitted"))
        self.assertContains(page, q.number)
        self.assertContains(page, "查询码")
        again = self.client.get(reverse("interaction_public:question_submitted"))
        self.assertEqual(again.status_code, 302)  # the code is shown once
        self.assertAudited("interaction.question.submitted")

    def test_it_encrypts_name_and_contact_at_rest(self) -> None:
        self.post()
        with connection.cursor() as cur:
            cur.execute("SELECT name, contact FROM interaction_question")
            name, contact = cur.fetchone()
        self.assertNotIn("张三", name)
        self.assertNotIn("13912345678", contact)
        self.assertEqual(Question.objects.get().contact, "13912345678")

    def test_it_refuses_a_wrong_captcha_and_keeps_the_input(self) -> None:
        token = captcha.new_challenge()
        response = self.post(captcha_token=token, captcha=str(int(captcha.solve(token)) + 1))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "验证码答案不正确", status_code=400)
        self.assertContains(response, QUESTION["title"], status_code=400)
        self.assertFalse(Question.objects.exists())

    def test_it_refuses_missing_fields_with_a_chinese_message(self) -> None:
        response = self.post(title="", body="")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "这个字段是必填项", status_code=400)
        self.assertFalse(Question.objects.exists())

    @override_settings(INTERACTION_QUESTION_MAX_PER_IP=2)
    def test_it_rate_limits_submissions_per_address(self) -> None:
        self.post()
        self.client.get(reverse("interaction_public:question_submitted"))
        self.post()
        response = self.post()
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "提交过于频繁", status_code=429)
        self.assertEqual(Question.objects.count(), 2)

    def test_it_numbers_without_gaps(self) -> None:
        a, _ = submit()
        b, _ = submit()
        self.assertEqual((a.number, b.number), ("LY-2012-00001", "LY-2012-00002"))
        self.assertEqual(a.due_on, dt.date(2012, 3, 12))  # 5 working days after Mon 5 March


class TrackTest(BaseTestCase):
    def test_it_shows_the_status_only_with_the_query_code(self) -> None:
        q, code = submit()
        status_url = reverse("interaction_public:question_status", kwargs={"number": q.number})
        self.assertEqual(self.client.get(status_url).status_code, 404)
        url = reverse("interaction_public:question_track")
        bad = self.client.post(url, {"number": q.number, "code": "WRONGCODE1"})
        self.assertContains(bad, "留言编号或查询码不正确", status_code=400)
        good = self.client.post(url, {"number": q.number.lower(), "code": code.lower()})
        self.assertRedirects(good, status_url)
        page = self.client.get(status_url)
        self.assertContains(page, "待分办")
        self.assertNotContains(page, "13912345678")

    @override_settings(INTERACTION_TRACK_MAX_FAILURES=3)
    def test_it_limits_failed_lookups(self) -> None:
        q, code = submit()
        url = reverse("interaction_public:question_track")
        for _ in range(3):
            self.client.post(url, {"number": q.number, "code": "WRONGCODE1"})
        response = self.client.post(url, {"number": q.number, "code": code})
        self.assertEqual(response.status_code, 429)

    def test_it_answers_junk_numbers_with_400_not_500(self) -> None:
        url = reverse("interaction_public:question_track")
        response = self.client.post(url, {"number": "x\x00'--", "code": "a"})
        self.assertEqual(response.status_code, 400)


class HandlingTest(BaseTestCase):
    def act(self, q: Question, action: str, **data: str) -> Any:
        return self.client.post(
            reverse("interaction:question_act", kwargs={"pk": q.pk, "action": action}), data
        )

    def test_it_walks_route_answer_review_publish_through_http(self) -> None:
        q, _ = submit(dt.date.today())
        self.login(self.chenzd)
        self.act(q, "route", agency=str(self.agency_a.pk), comment="属民政职责")
        q.refresh_from_db()
        self.assertEqual((q.status, q.agency), (Question.Status.ASSIGNED, self.agency_a))
        self.assertAudited("interaction.question.routed", object_id=str(q.pk))
        self.login(self.lisi)
        self.act(q, "answer", text="请携带户口簿、身份证和收入证明到所在街道申请。")
        q.refresh_from_db()
        self.assertEqual(q.status, Question.Status.ANSWERED)
        self.login(self.sunba)
        with self.captureOnCommitCallbacks(execute=True):
            self.act(q, "review", decision="publish", comment="同意")
        q.refresh_from_db()
        self.assertEqual(q.status, Question.Status.PUBLISHED)
        self.assertEqual(q.answered_on, dt.date.today())
        self.assertAudited("interaction.question.approved", object_id=str(q.pk))
        self.client.logout()
        listing = self.client.get(reverse("interaction_public:questions"))
        for text in (q.number, "通化市民政局", "请携带户口簿"):
            self.assertContains(listing, text)
        self.assertNotContains(listing, "张三")
        detail = self.client.get(q_url(q))
        self.assertContains(detail, "受理日期")
        self.assertContains(detail, "答复部门")
        self.assertNotContains(detail, "13912345678")
        self.assertNotContains(detail, "张三")
        found = self.client.get(reverse("interaction_public:questions"), {"q": "低保"})
        self.assertContains(found, q.number)
        nothing = self.client.get(reverse("interaction_public:questions"), {"q": "高铁"})
        self.assertNotContains(nothing, q.number)
        portal = self.client.get(reverse("portal:search"), {"q": "低保 材料"})
        self.assertContains(portal, q_url(q))

    def test_it_masks_personal_data_in_the_body_on_the_public_page(self) -> None:
        q = answered(self, body="我的电话13912345678，请回电。")
        services.question_review_approve(question=q, by=self.sunba, publish=True)
        page = self.client.get(q_url(q))
        self.assertNotContains(page, "13912345678")
        self.assertContains(page, "139****5678")

    def test_it_keeps_a_private_answer_off_the_portal(self) -> None:
        q = answered(self, may_publish=False)
        with self.assertRaisesMessage(InteractionError, "未同意公开"):
            services.question_review_approve(question=q, by=self.sunba, publish=True)
        services.question_review_approve(question=q, by=self.sunba, publish=False)
        q.refresh_from_db()
        self.assertEqual(q.status, Question.Status.REPLIED)
        self.assertEqual(self.client.get(q_url(q)).status_code, 404)

    def test_it_blocks_publication_when_the_scan_finds_something(self) -> None:
        q = answered(self)
        Question.objects.filter(pk=q.pk).update(answer_text="详见内部资料，联系13812345678。")
        self.login(self.sunba)
        self.act(q, "review", decision="publish")
        q.refresh_from_db()
        self.assertEqual(q.status, Question.Status.ANSWERED)
        self.assertTrue(q.scan_findings)
        page = self.client.get(reverse("interaction:question", kwargs={"pk": q.pk}))
        self.assertContains(page, "保密审查")

    def test_it_refuses_a_review_by_the_author_and_returns_for_revision(self) -> None:
        q = answered(self)
        from gongkai.accounts.models import Membership, Role, User

        Membership.objects.create(user=self.lisi, agency=self.agency_a, role=Role.APPROVER)
        lisi = User.objects.get(pk=self.lisi.pk)
        with self.assertRaisesMessage(InteractionError, "审核人不能是答复人本人"):
            services.question_review_approve(question=q, by=lisi, publish=True)
        services.question_review_return(question=q, by=self.sunba, comment="请补充办理地点")
        q.refresh_from_db()
        self.assertEqual(q.status, Question.Status.ASSIGNED)
        self.assertAudited("interaction.question.review_returned")

    def test_it_keeps_a_rejected_question_with_its_reason(self) -> None:
        q, _ = submit()
        self.login(self.chenzd)
        self.act(q, "reject", reason="内容与政府工作无关")
        q.refresh_from_db()
        self.assertEqual(q.status, Question.Status.REJECTED)
        self.assertEqual(q.rejection_reason, "内容与政府工作无关")
        self.assertEqual(q.body, QUESTION["body"])
        self.assertAudited("interaction.question.rejected", object_id=str(q.pk))

    def test_it_reroutes_and_lets_the_agency_return_a_misrouted_question(self) -> None:
        q, _ = submit()
        services.question_route(question=q, agency=self.agency_b, by=self.chenzd)
        services.question_return(question=q, by=self.zhaoliu, reason="不属本局职责")
        q.refresh_from_db()
        self.assertEqual((q.status, q.agency), (Question.Status.SUBMITTED, None))
        services.question_route(question=q, agency=self.agency_a, by=self.chenzd)
        q2 = services.question_route(question=q, agency=self.agency_b, by=self.chenzd)
        self.assertEqual(q2.agency, self.agency_b)
        self.assertAudited("interaction.question.rerouted")

    def test_it_refuses_routing_by_an_agency_clerk(self) -> None:
        q, _ = submit()
        with self.assertRaisesMessage(InteractionError, "协调办指导科"):
            services.question_route(question=q, agency=self.agency_a, by=self.lisi)

    def test_it_refuses_the_wrong_status(self) -> None:
        q, _ = submit()
        self.login(self.lisi)
        with self.assertRaisesMessage(InteractionError, "不能答复"):
            services.question_answer(question=q, by=self.chenzd, text="答复")
        services.question_route(question=q, agency=self.agency_a, by=self.chenzd)
        self.login(self.sunba)
        self.act(q, "review", decision="publish")
        q.refresh_from_db()
        self.assertEqual(q.status, Question.Status.ASSIGNED)

    def test_it_rejects_get_on_actions(self) -> None:
        q, _ = submit()
        self.login(self.chenzd)
        url = reverse("interaction:question_act", kwargs={"pk": q.pk, "action": "route"})
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_it_denies_another_agency_and_read_only_staff(self) -> None:
        q, _ = submit()
        services.question_route(question=q, agency=self.agency_a, by=self.chenzd)
        self.login(self.zhaoliu)
        self.assertEqual(
            self.client.get(reverse("interaction:question", kwargs={"pk": q.pk})).status_code, 404
        )
        self.assertEqual(self.act(q, "answer", text="x").status_code, 404)
        self.login(self.fenger)
        page = self.client.get(reverse("interaction:question", kwargs={"pk": q.pk}))
        self.assertNotContains(page, "13912345678")  # masked for read-only staff
        self.act(q, "answer", text="只读人员的答复")
        q.refresh_from_db()
        self.assertEqual(q.status, Question.Status.ASSIGNED)
        self.login(self.auditor)
        self.assertEqual(self.client.get(reverse("interaction:questions")).status_code, 403)

    def test_it_shows_unmasked_contact_to_the_handling_agency(self) -> None:
        q, _ = submit()
        services.question_route(question=q, agency=self.agency_a, by=self.chenzd)
        self.login(self.lisi)
        page = self.client.get(reverse("interaction:question", kwargs={"pk": q.pk}))
        self.assertContains(page, "13912345678")

    def test_it_scopes_the_list_like_the_access_function(self) -> None:
        routed, _ = submit()
        services.question_route(question=routed, agency=self.agency_a, by=self.chenzd)
        submit()
        for name, user in self.personas().items():
            listed = set(Question.objects.for_user(user).values_list("pk", flat=True))
            for q in Question.objects.all():
                try:
                    get_question_for_user(user, q.pk)
                    visible = True
                except Exception:  # noqa: BLE001 - Http404
                    visible = False
                self.assertEqual(visible, q.pk in listed, f"{name} {q.number}")
        self.assertEqual(Question.objects.for_user(self.chenzd).count(), 2)
        self.assertEqual(Question.objects.for_user(self.lisi).count(), 1)
        self.assertEqual(Question.objects.for_user(self.zhaoliu).count(), 0)

    def test_it_unpublishes_and_removes_from_search(self) -> None:
        from gongkai.search.models import SearchEntry

        q = answered(self)
        with self.captureOnCommitCallbacks(execute=True):
            services.question_review_approve(question=q, by=self.sunba, publish=True)
        self.assertTrue(SearchEntry.objects.filter(key=f"question:{q.pk}").exists())
        with self.captureOnCommitCallbacks(execute=True):
            services.question_unpublish(question=q, by=self.sunba, reason="留言人要求")
        self.assertFalse(SearchEntry.objects.filter(key=f"question:{q.pk}").exists())
        entry_text = " ".join(SearchEntry.objects.values_list("body_text", flat=True))
        self.assertNotIn("张三", entry_text)


def q_url(q: Question) -> str:
    return reverse("interaction_public:question", kwargs={"number": q.number})
