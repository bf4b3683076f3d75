"""The 2012 通化市 assessment of the demo: every agency ranked, every score traceable."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.test import TestCase

from gongkai.assessment.models import Assessment, Inspection, Result, Score, WorkPlan

EVIDENCE_MODELS = {
    "item": "publishing.CatalogItem",
    "application": "applications.Application",
    "guide": "publishing.Guide",
    "remedy": "remedies.RemedyCase",
    "finding": "assessment.Finding",
    "rating": "assessment.ManualRating",
    "interpretation": "interaction.Interpretation",
    "question": "interaction.Question",
}


class DemoAssessmentTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", "--quiet", stdout=StringIO())

    def test_it_ranks_the_demo_agencies_with_every_score_traceable(self) -> None:
        a = Assessment.objects.get(region__code="220500", year=2012)
        self.assertEqual(a.status, "published")
        self.assertEqual(a.total_weight, Decimal(100))
        results = list(
            Result.objects.filter(assessment=a).select_related("agency").order_by("rank")
        )
        codes = {r.agency.code for r in results}
        self.assertIn("th-mzj", codes)
        self.assertIn("dc-gov", codes)  # county governments are assessed
        self.assertNotIn("th-gkb", codes)  # the assessor is not
        self.assertNotIn("th-gov", codes)
        self.assertFalse(any(r.agency.level == "township" for r in results))
        # ranks follow the totals; equal totals share a rank
        for earlier, later in zip(results, results[1:], strict=False):
            self.assertGreaterEqual(earlier.total, later.total)
            self.assertEqual(earlier.rank == later.rank, earlier.total == later.total)
        self.assertGreater(len({r.total for r in results}), 3)  # the data differentiates them
        indicators = list(a.indicators.all())
        for r in results:
            scores = list(Score.objects.filter(assessment=a, agency=r.agency))
            self.assertEqual(len(scores), len(indicators))
            self.assertEqual(sum(s.points for s in scores), r.total)
            for s in scores:
                self.assertEqual(s.points, (s.indicator.weight * s.ratio).quantize(Decimal("0.01")))
                self.assertTrue(s.explanation)
                for e in s.evidence:  # each piece of evidence is a real row of the agency
                    model = apps.get_model(EVIDENCE_MODELS[e["kind"]])
                    self.assertTrue(model.objects.filter(pk=e["id"]).exists(), e)
                counted = s.indicator.source in (
                    "publication_timeliness",
                    "reply_on_time",
                    "message_on_time",
                )
                if (
                    counted
                    and s.numerator is not None
                    and s.denominator
                    and not s.evidence_truncated
                ):
                    self.assertEqual(len(s.evidence), s.denominator, s)
                    self.assertEqual(sum(1 for e in s.evidence if e["ok"]), s.numerator, s)

    def test_it_traces_the_inspection_deductions_to_their_findings(self) -> None:
        a = Assessment.objects.get(region__code="220500", year=2012)
        mzj = Score.objects.get(
            assessment=a, agency__code="th-mzj", indicator__source="inspection_findings"
        )
        # two minor findings: one rectified on time (half of 10 %), one still open (10 %)
        self.assertEqual(mzj.ratio, Decimal("0.85"))
        self.assertEqual(len(mzj.evidence), 2)
        czj = Score.objects.get(
            assessment=a, agency__code="th-czj", indicator__source="inspection_findings"
        )
        self.assertEqual(czj.ratio, Decimal("0.70"))  # a major finding closed after its deadline
        self.assertIn("超过20个工作日", czj.evidence[0]["label"])

    def test_it_loads_the_work_plans_of_the_seed(self) -> None:
        plan2012 = WorkPlan.objects.get(region__code="220500", year=2012)
        self.assertEqual(plan2012.tasks.count(), 6)  # 《2012年全市政务公开工作要点》: 6 key tasks
        self.assertTrue(all(t.owner_id for t in plan2012.tasks.all()))
        self.assertTrue(all(t.updates.exists() for t in plan2012.tasks.all()))
        plan2013 = WorkPlan.objects.get(region__code="220500", year=2013)
        sections = list(plan2013.tasks.values_list("section", flat=True).distinct())
        self.assertEqual(len(set(sections)), 4)
        self.assertIn("推进财政预算决算公开", list(plan2013.tasks.values_list("title", flat=True)))

    def test_it_keeps_inspections_in_every_follow_up_state(self) -> None:
        statuses = set(Inspection.objects.values_list("findings__task__status", flat=True))
        self.assertEqual(statuses, {"closed", "open"})

    def test_it_is_safe_to_run_twice(self) -> None:
        from gongkai.assessment import demo

        before = (
            Assessment.objects.count(),
            Inspection.objects.count(),
            WorkPlan.objects.count(),
            Score.objects.count(),
        )
        demo.load()
        after = (
            Assessment.objects.count(),
            Inspection.objects.count(),
            WorkPlan.objects.count(),
            Score.objects.count(),
        )
        self.assertEqual(before, after)

    def test_it_shows_the_published_ranking_on_the_portal(self) -> None:
        a = Assessment.objects.get(region__code="220500", year=2012)
        response = self.client.get(f"/kh/{a.pk}/")
        self.assertContains(response, "2012年度通化市政府信息公开工作考核")
        self.assertContains(response, "通化市民政局")
        self.assertContains(self.client.get("/kh/"), a.name)
