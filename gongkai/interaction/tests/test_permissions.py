"""Every list queryset agrees with its access function for every persona; the console's
write views refuse GET, other agencies (404) and read-only staff (403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from gongkai.interaction import permissions, services
from gongkai.interaction.models import Consultation, Interpretation, Interview, Survey
from gongkai.test import BaseTestCase


class PermissionTest(BaseTestCase):
    def make(self) -> dict[str, object]:
        today = timezone.localdate()
        now = timezone.now()
        out: dict[str, object] = {}
        for agency, user in ((self.agency_a, self.lisi), (self.agency_b, self.zhaoliu)):
            out[f"interp-{agency.code}"] = services.interpretation_save(
                by=user, agency=agency, kind="policy", title="解读", body="正文"
            )
            out[f"cons-{agency.code}"] = services.consultation_save(
                by=user, agency=agency, title="征集", summary="说明",
                opens_on=today, closes_on=today + dt.timedelta(days=5),
            )  # fmt: skip
            out[f"survey-{agency.code}"] = services.survey_create(
                by=user, agency=agency, title="调查", summary="", opens_on=today,
                closes_on=today, spec="单选：题｜甲｜乙",
            )  # fmt: skip
            out[f"interview-{agency.code}"] = services.interview_save(
                by=user, agency=agency, title="访谈", guests="嘉宾",
                starts_at=now, ends_at=now + dt.timedelta(hours=1),
            )  # fmt: skip
        return out

    def test_it_scopes_lists_like_the_access_functions(self) -> None:
        self.make()
        pairs = [
            (Interpretation, permissions.get_interpretation_for_user),
            (Consultation, permissions.get_consultation_for_user),
            (Survey, permissions.get_survey_for_user),
            (Interview, permissions.get_interview_for_user),
        ]
        for name, user in self.personas().items():
            for model, get in pairs:
                listed = set(model.objects.for_user(user).values_list("pk", flat=True))  # type: ignore[attr-defined]
                for pk in model.objects.values_list("pk", flat=True):  # type: ignore[attr-defined]
                    try:
                        get(user, pk)
                        visible = True
                    except Http404:
                        visible = False
                    self.assertEqual(visible, pk in listed, f"{name} {model.__name__} {pk}")
        self.assertEqual(Survey.objects.for_user(self.lisi).count(), 1)
        self.assertEqual(Survey.objects.for_user(self.chenzd).count(), 2)
        self.assertEqual(Survey.objects.for_user(self.auditor).count(), 0)

    def test_it_guards_the_write_views(self) -> None:
        objs = self.make()
        cons, survey, interview = (
            objs["cons-th-mzj"],
            objs["survey-th-mzj"],
            objs["interview-th-mzj"],
        )
        urls = [
            reverse("interaction:consultation_act", kwargs={"pk": cons.pk, "action": "publish"}),  # type: ignore[attr-defined]
            reverse("interaction:interview_act", kwargs={"pk": interview.pk, "action": "publish"}),  # type: ignore[attr-defined]
        ]
        self.login(self.lisi)
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 405)
        self.login(self.zhaoliu)
        for url in [*urls, reverse("interaction:survey", kwargs={"pk": survey.pk})]:  # type: ignore[attr-defined]
            self.assertEqual(self.client.post(url).status_code, 404)
        self.login(self.fenger)
        for url in [*urls, reverse("interaction:survey", kwargs={"pk": survey.pk})]:  # type: ignore[attr-defined]
            self.assertEqual(self.client.post(url).status_code, 403)
        self.login(self.lisi)
        for url in [*urls, reverse("interaction:survey", kwargs={"pk": survey.pk})]:  # type: ignore[attr-defined]
            self.assertEqual(self.client.post(url).status_code, 302)
        self.assertTrue(Consultation.objects.get(pk=cons.pk).is_published)  # type: ignore[attr-defined]
        self.assertTrue(Survey.objects.get(pk=survey.pk).is_published)  # type: ignore[attr-defined]
        self.assertAudited("interaction.survey.published")
        again = self.client.post(urls[0], follow=True)
        self.assertContains(again, "该意见征集已发布")  # wrong status: a message, no 500

    def test_it_answers_unknown_actions_and_bad_ids_with_404(self) -> None:
        objs = self.make()
        self.login(self.lisi)
        cons: Any = objs["cons-th-mzj"]
        url = reverse("interaction:consultation_act", kwargs={"pk": cons.pk, "action": "explode"})  # type: ignore[attr-defined]
        self.assertEqual(self.client.post(url).status_code, 404)
        moderate = reverse(
            "interaction:consultation_act", kwargs={"pk": cons.pk, "action": "moderate"}
        )  # type: ignore[attr-defined]
        response = self.client.post(
            moderate, {"comment": "abc", "decision": "approve"}, follow=True
        )
        self.assertContains(response, "意见不存在")
        self.assertEqual(
            self.client.get("/console/interaction/surveys/99999999999999999999/").status_code, 404
        )
        self.assertEqual(self.client.get("/zwzx/status/LY-2012-00001/").status_code, 404)
