"""The 2012 demo of 互动交流 loads through the services, is complete and idempotent."""

from __future__ import annotations

from django.urls import reverse

from gongkai.interaction import demo, services
from gongkai.interaction.models import Consultation, Interpretation, Interview, Question, Survey
from gongkai.test import BaseTestCase


class DemoTest(BaseTestCase):
    """The personas have the demo's usernames and agency codes (th-mzj, th-czj, th-gkb)."""

    def test_it_loads_every_column_once(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.assertTrue(demo.load())
        self.assertEqual(demo.load(), {})  # idempotent
        self.assertEqual(Question.objects.count(), 8)
        self.assertEqual(Question.objects.public().count(), 5)
        self.assertEqual(Interpretation.objects.public().count(), 2)
        self.assertIsNotNone(Consultation.objects.get().feedback_published_at)
        self.assertEqual(Survey.objects.get().responses.count(), 24)
        self.assertIsNotNone(Interview.objects.get().transcript_published_at)
        counts = services.yearly_counts(2012)
        self.assertEqual(counts["questions_received"], 7)
        self.assertEqual(counts["questions_answered"], 6)
        for name in ("questions", "interpretations", "participation", "interviews"):
            response = self.client.get(reverse(f"interaction_public:{name}"))
            self.assertEqual(response.status_code, 200)
        page = self.client.get(reverse("interaction_public:questions"), {"q": "低保"})
        self.assertContains(page, "城市低保申请需要哪些材料")
