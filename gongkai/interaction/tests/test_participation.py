"""调查征集 and 在线访谈 through HTTP: consultation with moderated comments and 采纳情况,
surveys answered once per person with chart results, interviews with moderated questions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from gongkai.interaction import services
from gongkai.interaction.models import (
    Comment,
    Consultation,
    Interview,
    InterviewQuestion,
    Survey,
    SurveyResponse,
)
from gongkai.interaction.services import InteractionError
from gongkai.lib import captcha
from gongkai.test import BaseTestCase

TODAY = timezone.localdate


@override_settings(MEDIA_ROOT="/tmp/gongkai-test-media-interaction")
class ConsultationTest(BaseTestCase):
    def make(self, opens: int = -3, closes: int = 3) -> Consultation:
        today = TODAY()
        obj = services.consultation_save(
            by=self.lisi,
            agency=self.agency_a,
            title="《通化市城乡医疗救助办法（征求意见稿）》",
            summary="现向社会公开征求意见。",
            opens_on=today + dt.timedelta(days=opens),
            closes_on=today + dt.timedelta(days=closes),
            draft=SimpleUploadedFile("draft.pdf", b"%PDF-1.4\n%%EOF\n"),
        )
        return services.consultation_publish(consultation=obj, by=self.lisi)

    def test_it_collects_moderates_and_publishes_feedback(self) -> None:
        obj = self.make()
        url = reverse("interaction_public:consultation", kwargs={"pk": obj.pk})
        page = self.client.get(url)
        self.assertContains(page, "征集中")
        self.assertContains(page, "下载征求意见稿")
        draft = self.client.get(
            reverse("interaction_public:consultation_draft", kwargs={"pk": obj.pk})
        )
        self.assertEqual(draft.status_code, 200)
        for body in ("建议提高救助比例。", "广告内容"):
            response = self.client.post(
                url,
                {"body": body, "name": "王某", "contact": "13900001111", **captcha.solved_data()},
            )
            self.assertEqual(response.status_code, 302)
        good, spam = Comment.objects.order_by("pk")
        self.assertNotContains(self.client.get(url), "建议提高救助比例")  # pending
        self.login(self.lisi)
        act = reverse("interaction:consultation_act", kwargs={"pk": obj.pk, "action": "moderate"})
        self.client.post(act, {"comment": good.pk, "decision": "approve"})
        self.client.post(act, {"comment": spam.pk, "decision": "reject", "reason": ""})
        spam.refresh_from_db()
        self.assertEqual(spam.status, "pending")  # a rejection needs a reason
        self.client.post(
            act, {"comment": spam.pk, "decision": "reject", "reason": "与征集内容无关"}
        )
        spam.refresh_from_db()
        self.assertEqual((spam.status, spam.moderation_reason), ("rejected", "与征集内容无关"))
        self.assertAudited("interaction.comment.rejected", object_id=str(spam.pk))
        self.assertAudited("interaction.comment.approved", object_id=str(good.pk))
        feedback = reverse(
            "interaction:consultation_act", kwargs={"pk": obj.pk, "action": "feedback"}
        )
        self.client.post(feedback, {"feedback": "采纳意见1条：提高救助比例。"})
        obj.refresh_from_db()
        self.assertIsNone(obj.feedback_published_at)  # the period is still open
        Consultation.objects.filter(pk=obj.pk).update(closes_on=TODAY() - dt.timedelta(days=1))
        self.client.post(feedback, {"feedback": "采纳意见1条：提高救助比例。"})
        obj.refresh_from_db()
        self.assertIsNotNone(obj.feedback_published_at)
        self.client.logout()
        page = self.client.get(url)
        self.assertContains(page, "建议提高救助比例")
        self.assertNotContains(page, "广告内容")
        self.assertNotContains(page, "王某")
        self.assertNotContains(page, "13900001111")
        self.assertContains(page, "意见采纳情况")
        closed = self.client.post(
            url, {"body": "迟到的意见", "name": "李", **captcha.solved_data()}
        )
        self.assertContains(closed, "不在征集期内", status_code=400)

    def test_it_refuses_a_comment_without_captcha_and_unpublished_consultations(self) -> None:
        obj = self.make()
        url = reverse("interaction_public:consultation", kwargs={"pk": obj.pk})
        response = self.client.post(url, {"body": "意见", "name": "王某"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Comment.objects.exists())
        Consultation.objects.filter(pk=obj.pk).update(is_published=False)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_denies_moderation_to_another_agency_and_read_only_staff(self) -> None:
        obj = self.make()
        comment = services.comment_submit(consultation=obj, name="王", contact="", body="意见")
        act = reverse("interaction:consultation_act", kwargs={"pk": obj.pk, "action": "moderate"})
        self.login(self.zhaoliu)
        self.assertEqual(
            self.client.post(act, {"comment": comment.pk, "decision": "approve"}).status_code, 404
        )
        self.login(self.fenger)
        self.assertEqual(
            self.client.post(act, {"comment": comment.pk, "decision": "approve"}).status_code, 403
        )
        self.login(self.lisi)
        self.assertEqual(self.client.get(act).status_code, 405)
        comment.refresh_from_db()
        self.assertEqual(comment.status, "pending")

    def test_it_refuses_a_draft_of_the_wrong_type(self) -> None:
        self.login(self.lisi)
        today = TODAY()
        response = self.client.post(
            reverse("interaction:consultation_new"),
            {
                "agency": self.agency_a.pk,
                "title": "征集",
                "summary": "说明",
                "opens_on": today,
                "closes_on": today - dt.timedelta(days=1),
                "draft": SimpleUploadedFile("draft.docx", b"not a docx"),
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Consultation.objects.exists())


SPEC = "单选：您对低保政策的了解程度？｜非常了解｜一般｜不了解\n多选：您通过哪些渠道获取政策信息？｜政府网站｜报纸｜电视\n填空：您的其他建议"


class SurveyTest(BaseTestCase):
    def make(self) -> Survey:
        today = TODAY()
        self.login(self.lisi)
        response = self.client.post(
            reverse("interaction:survey_new"),
            {
                "agency": self.agency_a.pk,
                "title": "2012年低保政策知晓度调查",
                "opens_on": today - dt.timedelta(days=1),
                "closes_on": today + dt.timedelta(days=10),
                "spec": SPEC,
            },
        )
        survey = Survey.objects.get()
        self.assertRedirects(response, reverse("interaction:survey", kwargs={"pk": survey.pk}))
        self.client.post(reverse("interaction:survey", kwargs={"pk": survey.pk}))
        self.client.logout()
        survey.refresh_from_db()
        self.assertTrue(survey.is_published)
        return survey

    def answer(self, survey: Survey, **override: object) -> Any:
        q1, q2, q3 = survey.questions.all()
        data = {
            f"q{q1.pk}": str(q1.options.all()[0].pk),
            f"q{q2.pk}": [str(o.pk) for o in q2.options.all()[:2]],
            f"q{q3.pk}": "希望多宣传",
            **captcha.solved_data(),
            **override,
        }
        return self.client.post(
            reverse("interaction_public:survey", kwargs={"pk": survey.pk}), data
        )

    def test_it_takes_one_answer_per_person_and_publishes_chart_results(self) -> None:
        survey = self.make()
        url = reverse("interaction_public:survey", kwargs={"pk": survey.pk})
        self.client.get(url)  # sets the signed voter cookie
        response = self.answer(survey)
        self.assertRedirects(
            response, reverse("interaction_public:survey_results", kwargs={"pk": survey.pk})
        )
        again = self.answer(survey)
        self.assertContains(again, "每人只能提交一次", status_code=400)
        self.assertRaises(
            InteractionError,
            services.survey_respond,
            survey=survey,
            voter_key=SurveyResponse.objects.get().voter_key,
            ip_key="other",
            answers={},
        )
        self.assertContains(self.client.get(url), "您已参加过本次调查")
        self.assertEqual(SurveyResponse.objects.count(), 1)
        results = self.client.get(
            reverse("interaction_public:survey_results", kwargs={"pk": survey.pk})
        )
        self.assertContains(results, "<svg")
        self.assertContains(results, "非常了解")
        self.assertContains(results, "收到填写内容 1 条")
        self.assertNotContains(results, "希望多宣传")  # free text is not published

    def test_it_needs_the_cookie_and_caps_answers_per_address(self) -> None:
        survey = self.make()
        url = reverse("interaction_public:survey", kwargs={"pk": survey.pk})
        no_cookie = self.answer(survey)
        self.assertContains(no_cookie, "Cookie", status_code=400)
        with override_settings(INTERACTION_SURVEY_MAX_PER_IP=2):
            for _ in range(3):
                self.client.cookies.clear()
                self.client.get(url)
                last = self.answer(survey)
        self.assertContains(last, "同一网络的答卷已达上限", status_code=400)
        self.assertEqual(SurveyResponse.objects.count(), 2)

    def test_it_validates_answers(self) -> None:
        survey = self.make()
        q1 = survey.questions.all()[0]
        self.client.get(reverse("interaction_public:survey", kwargs={"pk": survey.pk}))
        self.assertEqual(self.answer(survey, **{f"q{q1.pk}": "999999"}).status_code, 400)
        with self.assertRaisesMessage(InteractionError, "只能选一项"):
            services.survey_respond(
                survey=survey,
                voter_key="v",
                ip_key="i",
                answers={q1.pk: [o.pk for o in q1.options.all()]},
            )
        self.assertFalse(SurveyResponse.objects.exists())

    def test_it_parses_the_question_spec_with_chinese_errors(self) -> None:
        self.assertEqual(len(services.parse_survey_spec(SPEC)), 3)
        for bad, msg in (
            ("问题没有题型", "格式不对"),
            ("单选：只有一个｜选项", "至少要有两个选项"),
            ("", "至少填写一道"),
        ):
            with self.assertRaisesMessage(InteractionError, msg):
                services.parse_survey_spec(bad)


class InterviewTest(BaseTestCase):
    def make(self) -> Interview:
        now = timezone.now()
        obj = services.interview_save(
            by=self.lisi,
            agency=self.agency_a,
            title="城乡低保政策在线访谈",
            guests="市民政局副局长 王某",
            starts_at=now + dt.timedelta(days=1),
            ends_at=now + dt.timedelta(days=1, hours=1),
        )
        return services.interview_publish(interview=obj, by=self.lisi)

    def test_it_collects_moderates_and_publishes_a_transcript(self) -> None:
        obj = self.make()
        url = reverse("interaction_public:interview", kwargs={"pk": obj.pk})
        self.assertContains(self.client.get(url), "预告")
        self.client.post(
            url, {"nickname": "东昌居民", "body": "低保标准今年会提高吗？", **captcha.solved_data()}
        )
        self.client.post(url, {"nickname": "路人", "body": "无关内容", **captcha.solved_data()})
        good, bad = InterviewQuestion.objects.order_by("pk")
        self.assertNotContains(self.client.get(url), "低保标准今年会提高吗")
        self.login(self.lisi)
        act = reverse("interaction:interview_act", kwargs={"pk": obj.pk, "action": "moderate"})
        self.client.post(
            act, {"question": good.pk, "decision": "approve", "answer": "今年将提高10%。"}
        )
        self.client.post(act, {"question": bad.pk, "decision": "reject", "reason": "与主题无关"})
        transcript = reverse(
            "interaction:interview_act", kwargs={"pk": obj.pk, "action": "transcript"}
        )
        self.client.post(transcript, {"transcript": "主持人：欢迎……"})
        obj.refresh_from_db()
        self.assertIsNone(obj.transcript_published_at)  # not started yet
        Interview.objects.filter(pk=obj.pk).update(
            starts_at=timezone.now() - dt.timedelta(hours=2),
            ends_at=timezone.now() - dt.timedelta(hours=1),
        )
        self.client.post(transcript, {"transcript": "主持人：欢迎各位网友。"})
        self.client.logout()
        page = self.client.get(url)
        self.assertContains(page, "低保标准今年会提高吗")
        self.assertContains(page, "今年将提高10%")
        self.assertNotContains(page, "无关内容")
        self.assertContains(page, "访谈实录")
        self.assertAudited("interaction.interview_question.rejected", object_id=str(bad.pk))
        late = self.client.post(
            url, {"nickname": "迟到", "body": "还能问吗", **captcha.solved_data()}
        )
        self.assertContains(late, "不再接受提问", status_code=400)

    def test_it_hides_unpublished_interviews(self) -> None:
        obj = self.make()
        Interview.objects.filter(pk=obj.pk).update(is_published=False)
        self.assertEqual(
            self.client.get(
                reverse("interaction_public:interview", kwargs={"pk": obj.pk})
            ).status_code,
            404,
        )
