"""The demo data loads, is idempotent and covers both eras."""

from __future__ import annotations

import io

from gongkai.applications import demo
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import AppTestCase


class DemoTests(AppTestCase):
    def test_it_loads_applications_in_various_states_idempotently(self) -> None:
        out = io.StringIO()
        first = demo.load(out=out)
        self.assertEqual(out.getvalue(), "")
        self.assertEqual(first["applications"], 8)
        self.assertEqual(demo.load(out=out), first)
        apps = Application.objects.filter(agency=self.agency_a)
        self.assertEqual(apps.filter(era="2008").count(), 3)
        self.assertEqual(
            set(apps.filter(received_on__year=2012).values_list("status", flat=True)), {"closed"}
        )
        statuses = set(apps.values_list("status", flat=True))
        self.assertTrue({"pending", "processing", "correction", "closed"} <= statuses)
        partial = apps.get(received_on__year=2012, outcome="partial")
        self.assertIn("3个月", partial.notices.get(kind="partial").paragraphs[-1]["text"])
