"""三员分立 for 互动交流, 考核与监督 and the API (the persona matrix of docs/roles.md, continued
from ``test_separation_of_duties``).

Every kind of record of the interaction app (留言, 政策解读, 热点回应, 意见征集 with its comments,
网上调查 with its answers, 在线访谈 with its questions), of the assessment app (考核 with its
indicators, scores and results; 监督检查 with findings and rectification tasks; 工作要点 with
tasks) and the API's agency tokens and submissions: the three administrators and the outsider
get 404 on every page naming one, change nothing with any POST, and each refusal is in the
audit log; the agency's own staff (and the 指导科) still see and change them — the positive
control that lets each test fail.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.tests.test_separation_of_duties import INSIDERS
from gongkai.accounts.tests.test_separation_of_duties import _snapshot as snapshot_tables
from gongkai.api.models import ApiToken, Submission
from gongkai.api.permissions import get_token_for_user, tokens_for_user
from gongkai.api.services import token_create
from gongkai.assessment import permissions as ap
from gongkai.assessment import services as assessment
from gongkai.assessment.models import Assessment, FollowUp, Inspection, WorkPlan
from gongkai.audit.models import AuditEntry
from gongkai.interaction import permissions as ip
from gongkai.interaction import services as interaction
from gongkai.interaction.models import (
    Comment,
    Consultation,
    Interpretation,
    Interview,
    InterviewQuestion,
    Question,
    Survey,
    SurveyResponse,
)
from gongkai.test import BaseTestCase

ADMINS = ("sysadmin", "secadmin", "auditor")
OUTSIDERS = ("zhaoliu", "zhangsan")
APPS = ("interaction", "assessment", "api")


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the three apps."""
    return snapshot_tables(APPS)


class InteractionAssessmentApiSeparationTest(BaseTestCase):
    question: Question
    interpretation: Interpretation
    hotspot: Interpretation
    consultation: Consultation
    comment: Comment
    survey: Survey
    response: SurveyResponse
    interview: Interview
    interview_question: InterviewQuestion
    assessment: Assessment
    inspection: Inspection
    task: Any
    plan: WorkPlan
    worktask: Any
    token: ApiToken

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from gongkai.interaction.tests.helpers import answered

        a, today, now = cls.agency_a, timezone.localdate(), timezone.now()
        cls.question = answered(cls)  # routed to agency A and answered (in review)
        cls.interpretation = interaction.interpretation_save(
            by=cls.lisi, agency=a, kind="policy", title="低保办法解读", body="解读正文"
        )
        cls.hotspot = interaction.interpretation_save(
            by=cls.lisi, agency=a, kind="hotspot", title="关于低保标准的回应", body="回应正文"
        )
        cls.consultation = interaction.consultation_save(
            by=cls.lisi, agency=a, title="低保办法修订征求意见", summary="征集说明",
            opens_on=today, closes_on=today + dt.timedelta(days=10),
        )  # fmt: skip
        cls.comment = Comment.objects.create(
            consultation=cls.consultation, name="王某", contact="13900000000", body="建议提高标准"
        )
        cls.survey = interaction.survey_create(
            by=cls.lisi, agency=a, title="办事满意度调查", summary="", opens_on=today,
            closes_on=today + dt.timedelta(days=10), spec="单选：是否满意｜满意｜不满意",
        )  # fmt: skip
        cls.response = SurveyResponse.objects.create(
            survey=cls.survey, voter_key="v" * 64, ip_key="i" * 64
        )
        cls.interview = interaction.interview_save(
            by=cls.lisi, agency=a, title="民生访谈", guests="局长",
            starts_at=now + dt.timedelta(days=1), ends_at=now + dt.timedelta(days=1, hours=1),
        )  # fmt: skip
        cls.interview_question = InterviewQuestion.objects.create(
            interview=cls.interview, nickname="网友甲", body="低保标准何时调整？"
        )
        cls.assessment = assessment.assessment_create(
            region=cls.city_region, year=2025, by=cls.chenzd
        )
        assessment.assessment_score(assessment=cls.assessment, by=cls.chenzd)
        cls.inspection = assessment.inspection_create(
            agency=a, by=cls.chenzd, title="2025年政务公开专项检查", inspected_on=dt.date(2025, 3, 4),
            inspectors="陈指导",
        )  # fmt: skip
        finding = assessment.finding_add(
            inspection=cls.inspection, by=cls.chenzd, description="政策文件未配发解读",
            severity="minor", evidence="栏目截图", owner=cls.lisi, due_on=dt.date(2025, 4, 30),
        )  # fmt: skip
        cls.task = finding.task
        cls.plan = assessment.workplan_create(
            region=cls.city_region, year=2025, title="2025年政务公开工作要点", by=cls.chenzd,
            tasks=[{"title": "做好政策解读", "owner_agency": a, "owner": cls.lisi}],
        )  # fmt: skip
        cls.worktask = cls.plan.tasks.get()
        cls.token = token_create(
            agency=a, name="民政业务系统", acting_user=cls.lisi, by=cls.secadmin,
            scopes=["catalog:submit", "catalog:read-status"],
        ).token  # fmt: skip

    # --- the access functions and their queryset twins ------------------------------------

    def objects(self) -> list[tuple[str, Model, Callable[[Any, Any], Any], Callable[[Any], QuerySet]]]:  # fmt: skip
        return [
            ("留言", self.question, ip.get_question_for_user, Question.objects.for_user),
            (
                "政策解读",
                self.interpretation,
                ip.get_interpretation_for_user,
                Interpretation.objects.for_user,
            ),
            ("热点回应", self.hotspot, ip.get_interpretation_for_user, Interpretation.objects.for_user),
            ("意见征集", self.consultation, ip.get_consultation_for_user, Consultation.objects.for_user),
            ("网上调查", self.survey, ip.get_survey_for_user, Survey.objects.for_user),
            ("在线访谈", self.interview, ip.get_interview_for_user, Interview.objects.for_user),
            (
                "考核",
                self.assessment,
                lambda u, pk: ap.get_assessment_for_user(u, pk)[0],
                ap.assessments_for_user,
            ),
            ("监督检查", self.inspection, ap.get_inspection_for_user, ap.inspections_for_user),
            ("整改任务", self.task, ap.get_task_for_user, ap.tasks_for_user),
            ("工作要点", self.plan, ap.get_workplan_for_user, ap.workplans_for_user),
            ("接口令牌", self.token, get_token_for_user, tokens_for_user),
        ]  # fmt: skip

    def expected_visible(self, persona: str, name: str) -> bool:
        if name == "接口令牌":  # credentials are security administration (安全管理员 only)
            return persona == "secadmin"
        if persona in ADMINS or persona in OUTSIDERS:
            return False
        if name in ("监督检查", "整改任务"):
            return persona != "chuwg"  # supervision: the 指导科's and the agency's, not 网管科's
        if name == "考核":  # the 指导科's; each scored agency's staff (own rows only)
            return persona != "chuwg"  # the 协调办 itself is not scored
        return True

    def expected_visible_to_outsider(self, name: str) -> bool:
        """Agency B's clerk: the city-wide assessment scores agency B too (he sees its own
        rows), and the city's work plan is every city agency's; nothing else of agency A."""
        return name in ("考核", "工作要点")

    def test_it_gives_every_persona_exactly_the_matrix(self) -> None:
        for persona, user in self.personas().items():
            if persona not in ADMINS + OUTSIDERS + INSIDERS:
                continue
            for name, obj, access, twin in self.objects():
                with self.subTest(persona=persona, object=name):
                    try:
                        access(user, obj.pk)
                        allowed = True
                    except Http404:
                        allowed = False
                    listed = twin(user).filter(pk=obj.pk).exists()
                    self.assertEqual(allowed, listed, "access function and queryset disagree")
                    expected = (
                        self.expected_visible_to_outsider(name)
                        if persona == "zhaoliu"
                        else self.expected_visible(persona, name)
                    )
                    self.assertEqual(allowed, expected, (persona, name))

    # --- over HTTP: every page naming one record -------------------------------------------

    def object_urls(self) -> list[tuple[str, bool]]:
        """Every console URL of the interaction and assessment apps that names one record,
        found by walking the URL configuration (a page added later is covered too), filled
        with agency A's records; with whether the record is region-wide (the assessment and
        the work plan, which agency B's staff see too)."""
        from django.urls import get_resolver
        from django.urls.resolvers import URLPattern, URLResolver

        heads = {
            ("interaction", "questions"): self.question.pk,
            ("interaction", "interpretations"): self.interpretation.pk,
            ("interaction", "consultations"): self.consultation.pk,
            ("interaction", "surveys"): self.survey.pk,
            ("interaction", "interviews"): self.interview.pk,
            ("assessment", "<id:pk>"): self.assessment.pk,
            ("assessment", "inspections"): self.inspection.pk,
            ("assessment", "tasks"): self.task.pk,
            ("assessment", "plans"): self.plan.pk,
        }
        actions = {
            "questions": ["route", "reject", "return", "answer", "review", "unpublish"],
            "consultations": ["publish", "feedback", "moderate"],
            "interviews": ["publish", "transcript", "moderate"],
        }
        others = {
            "indicator": self.assessment.indicators.first().pk,  # type: ignore[union-attr]
            "agency": self.agency_a.pk,
            "task": self.worktask.pk,
        }
        found: list[tuple[str, bool]] = []

        def walk(patterns: list[Any], ns: str | None) -> None:
            for p in patterns:
                if isinstance(p, URLResolver):
                    walk(p.url_patterns, p.namespace or ns)
                elif isinstance(p, URLPattern) and ns in ("interaction", "assessment") and p.name:
                    names = set(p.pattern.converters)
                    if "pk" not in names:
                        continue
                    head = str(p.pattern).split("/", 1)[0]
                    kwargs = {"pk": heads[(ns, head)]}
                    kwargs.update({n: others[n] for n in names - {"pk", "action"}})
                    for action in actions[head] if "action" in names else [""]:
                        extra = {"action": action} if action else {}
                        url = reverse(f"{ns}:{p.name}", kwargs={**kwargs, **extra})
                        found.append((url, ns == "assessment" and head in ("<id:pk>", "plans")))

        walk(get_resolver().url_patterns, None)
        return found

    def test_it_answers_404_on_every_record_url_and_records_each_refusal(self) -> None:
        urls = self.object_urls()
        self.assertGreater(len(urls), 25)
        for persona in ADMINS + ("zhaoliu",):
            user = self.personas()[persona]
            self.login(user)
            before = _snapshot()
            refused = 0
            for url, region_wide in urls:
                if region_wide and persona == "zhaoliu":
                    continue
                with self.subTest(persona=persona, url=url):
                    get = self.client.get(url).status_code
                    self.assertIn(get, (404, 405), (persona, url))
                    post = self.client.post(url, {}).status_code
                    self.assertEqual(post, 404, (persona, url))
                    refused += (post == 404) + (get == 404)
            self.assertEqual(_snapshot(), before, f"{persona} changed data")
            denied = AuditEntry.objects.filter(action="audit.access.denied", actor=user)
            self.assertEqual(denied.count(), refused, persona)
            self.assertTrue(
                denied.filter(
                    object_type="page:interaction:question",
                    object_id=str(self.question.pk),
                    message__contains="404",
                ).exists()
            )

    def test_it_shows_the_records_to_the_agency_and_the_guidance_section(self) -> None:
        self.login(self.lisi)
        for name, pk in (
            ("interaction:question", self.question.pk),
            ("interaction:interpretation", self.interpretation.pk),
            ("interaction:interpretation", self.hotspot.pk),
            ("interaction:consultation", self.consultation.pk),
            ("interaction:survey", self.survey.pk),
            ("interaction:interview", self.interview.pk),
            ("assessment:detail", self.assessment.pk),
            ("assessment:inspection", self.inspection.pk),
            ("assessment:workplan", self.plan.pk),
        ):
            with self.subTest(persona="lisi", page=name):
                self.assertEqual(self.client.get(reverse(name, args=[pk])).status_code, 200)
        page = self.client.get(reverse("interaction:consultation", args=[self.consultation.pk]))
        self.assertContains(page, "建议提高标准")  # the comment, for its moderators
        self.login(self.chenzd)
        for url in (
            reverse("assessment:detail", args=[self.assessment.pk]),
            reverse("assessment:agency", args=[self.assessment.pk, self.agency_a.pk]),
            reverse("assessment:inspection", args=[self.inspection.pk]),
            reverse("interaction:question", args=[self.question.pk]),
        ):
            with self.subTest(persona="chenzd", url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    # --- over HTTP: every state change -----------------------------------------------------

    def business_posts(self) -> list[tuple[str, dict[str, Any]]]:
        a, today = self.agency_a.pk, timezone.localdate()
        q, c, iv = self.question.pk, self.consultation.pk, self.interview.pk
        ind = self.assessment.indicators.first().pk  # type: ignore[union-attr]
        return [
            (reverse("interaction:question_act", args=[q, "route"]), {"agency": a}),
            (reverse("interaction:question_act", args=[q, "reject"]), {"reason": "x"}),
            (reverse("interaction:question_act", args=[q, "answer"]), {"text": "改写"}),
            (reverse("interaction:question_act", args=[q, "review"]), {"decision": "publish"}),
            (reverse("interaction:interpretation_new"),
             {"agency": a, "kind": "policy", "title": "新解读", "body": "x"}),
            (reverse("interaction:interpretation", args=[self.interpretation.pk]),
             {"action": "publish"}),
            (reverse("interaction:interpretation", args=[self.hotspot.pk]),
             {"agency": a, "kind": "hotspot", "title": "改写", "body": "改写"}),
            (reverse("interaction:consultation_new"),
             {"agency": a, "title": "新征集", "summary": "x", "opens_on": today,
              "closes_on": today + dt.timedelta(days=3)}),
            (reverse("interaction:consultation_act", args=[c, "publish"]), {}),
            (reverse("interaction:consultation_act", args=[c, "moderate"]),
             {"comment": self.comment.pk, "decision": "approve"}),
            (reverse("interaction:consultation_act", args=[c, "feedback"]), {"feedback": "采纳"}),
            (reverse("interaction:survey_new"),
             {"agency": a, "title": "新调查", "opens_on": today, "closes_on": today,
              "spec": "单选：题｜甲｜乙"}),
            (reverse("interaction:survey", args=[self.survey.pk]), {}),
            (reverse("interaction:interview_new"),
             {"agency": a, "title": "新访谈", "guests": "x", "starts_at": "2026-12-20 10:00",
              "ends_at": "2026-12-20 11:00"}),
            (reverse("interaction:interview_act", args=[iv, "publish"]), {}),
            (reverse("interaction:interview_act", args=[iv, "moderate"]),
             {"question": self.interview_question.pk, "decision": "approve", "answer": "x"}),
            (reverse("interaction:interview_act", args=[iv, "transcript"]), {"transcript": "x"}),
            (reverse("assessment:create"), {"region": self.city_region.pk, "year": 2024}),
            (reverse("assessment:indicator", args=[self.assessment.pk, ind]), {"weight": 1}),
            (reverse("assessment:rating", args=[self.assessment.pk, ind]),
             {"agency": a, "ratio": "1", "evidence": "x"}),
            (reverse("assessment:score", args=[self.assessment.pk]), {}),
            (reverse("assessment:publish", args=[self.assessment.pk]), {}),
            (reverse("assessment:inspection_create"),
             {"agency": a, "title": "x", "inspected_on": "2025-03-05", "inspectors": "x"}),
            (reverse("assessment:finding_create", args=[self.inspection.pk]),
             {"description": "x", "severity": "minor", "evidence": "x"}),
            (reverse("assessment:follow_up", args=[self.task.pk]),
             {"kind": "progress", "note": "x"}),
            (reverse("assessment:worktask", args=[self.plan.pk, self.worktask.pk]),
             {"progress": 50, "note": "x"}),
            (reverse("api:token_revoke", args=[self.token.pk]), {"reason": "x"}),
        ]  # fmt: skip

    def test_it_lets_administrators_and_outsiders_change_nothing(self) -> None:
        posts = self.business_posts()
        for persona in ADMINS + ("zhaoliu", "fenger"):
            self.login(self.personas()[persona])
            before = _snapshot()
            for url, data in posts:
                if persona == "secadmin" and "tokens" in url:
                    continue  # his own job (below)
                with self.subTest(persona=persona, url=url):
                    status = self.client.post(url, data).status_code
                    # record URLs: 404 (403 for the read-only viewer); create pages: 403, or
                    # the form again (400) / a message (302) without a change
                    self.assertIn(status, (302, 400, 403, 404))
                    if persona in ADMINS and "/new/" not in url and not url.endswith("s/"):
                        self.assertEqual(status, 404, url)
            self.assertEqual(_snapshot(), before, f"{persona} changed data")

    def test_it_lets_the_agency_and_the_guidance_section_change_them(self) -> None:
        """The positive control: the same POSTs by the people whose job they are."""
        self.login(self.lisi)
        c, iv = self.consultation.pk, self.interview.pk
        self.client.post(reverse("interaction:consultation_act", args=[c, "publish"]))
        self.assertTrue(Consultation.objects.get(pk=c).is_published)
        self.client.post(
            reverse("interaction:consultation_act", args=[c, "moderate"]),
            {"comment": self.comment.pk, "decision": "approve"},
        )
        self.assertEqual(Comment.objects.get(pk=self.comment.pk).status, "approved")
        self.client.post(reverse("interaction:interview_act", args=[iv, "publish"]))
        self.assertTrue(Interview.objects.get(pk=iv).is_published)
        self.client.post(reverse("interaction:survey", args=[self.survey.pk]))
        self.assertTrue(Survey.objects.get(pk=self.survey.pk).is_published)
        self.client.post(
            reverse("assessment:follow_up", args=[self.task.pk]),
            {"kind": "progress", "note": "已整改"},
        )
        self.assertTrue(FollowUp.objects.filter(task=self.task, note="已整改").exists())
        self.login(self.sunba)  # a leader of agency A passes the answer
        self.client.post(
            reverse("interaction:question_act", args=[self.question.pk, "review"]),
            {"decision": "private"},
        )
        self.assertEqual(Question.objects.get(pk=self.question.pk).status, "replied")
        self.login(self.chenzd)
        self.client.post(
            reverse("assessment:finding_create", args=[self.inspection.pk]),
            {"description": "未公开年报", "severity": "major", "evidence": "截图"},
        )
        self.assertEqual(self.inspection.findings.count(), 2)
        self.client.post(reverse("assessment:publish", args=[self.assessment.pk]))
        self.assertEqual(Assessment.objects.get(pk=self.assessment.pk).status, "published")
        self.login(self.secadmin)  # the token is security administration: his to revoke
        self.client.post(reverse("api:token_revoke", args=[self.token.pk]), {"reason": "更换"})
        self.assertIsNotNone(ApiToken.objects.get(pk=self.token.pk).revoked_at)

    def test_it_keeps_these_records_out_of_the_system_administrators_django_admin(self) -> None:
        self.login(self.sysadmin)
        for model in ("interpretation", "consultation", "survey", "interview", "question"):
            with self.subTest(model=model):
                self.assertEqual(self.client.get(f"/admin/interaction/{model}/").status_code, 404)
        url = f"/admin/interaction/interpretation/{self.interpretation.pk}/change/"
        self.assertEqual(self.client.get(url).status_code, 404)
        for path in ("/admin/assessment/assessment/", "/admin/api/apitoken/"):
            self.assertEqual(self.client.get(path).status_code, 404, path)
        index = self.client.get("/admin/")
        self.assertEqual(index.status_code, 200)
        self.assertNotContains(index, "/admin/interaction/")
        self.assertTrue(
            AuditEntry.objects.filter(
                action="audit.access.denied", actor=self.sysadmin, object_repr=url
            ).exists()
        )

    # --- the API: a session is no credential; a token sees its own agency only ----------

    def test_it_refuses_the_write_api_to_a_session_of_any_persona(self) -> None:
        body = json.dumps({"title": "经会话提交", "formed_on": "2026-11-02"}, ensure_ascii=False)
        for persona in (*ADMINS, "lisi"):
            self.login(self.personas()[persona])
            with self.subTest(persona=persona):
                self.assertEqual(self.client.get("/api/v1/submissions").status_code, 401)
                response = self.client.post(
                    "/api/v1/submissions", data=body, content_type="application/json"
                )
                self.assertEqual(response.status_code, 401)
        self.assertFalse(Submission.objects.exists())

    def test_it_answers_another_agencys_token_404_and_records_the_refusal(self) -> None:
        own = token_create(
            agency=self.agency_a, name="民政业务系统二", acting_user=self.lisi, by=self.secadmin,
            scopes=["catalog:submit", "catalog:read-status"],
        )  # fmt: skip
        other = token_create(
            agency=self.agency_b, name="财政业务系统", acting_user=self.zhaoliu, by=self.secadmin,
            scopes=["catalog:read-status"],
        )  # fmt: skip
        submit_only = token_create(
            agency=self.agency_a, name="只提交", acting_user=self.lisi, by=self.secadmin,
            scopes=["catalog:submit"],
        )  # fmt: skip
        response = self.client.post(
            "/api/v1/submissions",
            data=json.dumps(
                {"title": "通化市民政局关于低保标准的通知", "formed_on": "2026-11-02",
                 "genre": "notice"}, ensure_ascii=False,
            ),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {own.secret}",
        )  # fmt: skip
        self.assertEqual(response.status_code, 201, response.content)
        url = f"/api/v1/submissions/{response.json()['id']}"
        # the positive control: the agency's own token reads it
        ok = self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {own.secret}")
        self.assertEqual(ok.status_code, 200)
        self.assertFalse(AuditEntry.objects.filter(action="audit.access.denied").exists())
        # another agency's token: "not found", never "forbidden" — and recorded
        refused = self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {other.secret}")
        self.assertEqual(refused.status_code, 404)
        entry = AuditEntry.objects.get(action="audit.access.denied")
        self.assertEqual(entry.actor, self.zhaoliu)  # the token's responsible clerk
        self.assertEqual(entry.agency_code, self.agency_b.code)
        self.assertEqual(entry.object_id, str(response.json()["id"]))
        self.assertEqual(entry.object_repr, url)
        self.assertIn(other.token.prefix, entry.message)
        self.assertIn("该提交不存在", entry.message)
        # a token without the read scope: 403, recorded as well
        scope = self.client.get(url, HTTP_AUTHORIZATION=f"Bearer {submit_only.secret}")
        self.assertEqual(scope.status_code, 403)
        self.assertTrue(
            AuditEntry.objects.filter(
                action="audit.access.denied", message__contains=submit_only.token.prefix
            ).exists()
        )
        # the open read API's 404s are not access decisions
        self.assertEqual(self.client.get("/api/v1/items/999999").status_code, 404)
        self.assertEqual(AuditEntry.objects.filter(action="audit.access.denied").count(), 2)

    def test_it_shows_the_token_console_to_the_security_administrator_only(self) -> None:
        for persona in ("sysadmin", "auditor", "lisi", "chenzd"):
            self.login(self.personas()[persona])
            with self.subTest(persona=persona):
                self.assertEqual(self.client.get(reverse("api:tokens")).status_code, 403)
                self.assertEqual(
                    self.client.post(reverse("api:token_revoke", args=[self.token.pk])).status_code,
                    404,
                )
        self.assertIsNone(ApiToken.objects.get(pk=self.token.pk).revoked_at)
        self.login(self.secadmin)
        self.assertContains(self.client.get(reverse("api:tokens")), self.token.prefix)
