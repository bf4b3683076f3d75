"""The demo data loads, is idempotent and covers both eras."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from gongkai.applications import demo
from gongkai.applications.models import Application
from gongkai.applications.tests.factories import AppTestCase
from gongkai.lib.testing import clock_at


class DemoTests(AppTestCase):
    def test_it_loads_applications_in_various_states_idempotently(self) -> None:
        out = io.StringIO()
        with clock_at(dt.datetime(2026, 6, 1, 10, 0, tzinfo=timezone.get_default_timezone())):
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

    def test_it_dates_the_current_applications_inside_the_calendar_in_december(self) -> None:
        # 20 working days from late December reach into a year the calendar does not hold yet
        late = dt.datetime(2026, 12, 21, 10, 0, tzinfo=timezone.get_default_timezone())
        out = io.StringIO()
        with clock_at(late):
            result = demo.load(out=out)
        self.assertNotIn("未完整生成", out.getvalue())
        self.assertIn("当年的演示申请按2026年", out.getvalue())
        self.assertEqual(result["applications"], 8)
        current = Application.objects.filter(agency=self.agency_a, era="2019")
        self.assertTrue(current.exists())
        self.assertTrue(
            all(a.received_on < dt.date(2026, 12, 21) for a in current if a.received_on)
        )
        self.assertIn("closed", set(current.values_list("status", flat=True)))
