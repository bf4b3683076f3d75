from __future__ import annotations

import io

from gongkai.workdays import calendar, demo
from gongkai.workdays.models import CalendarYear, ExceptionDay
from gongkai.workdays.tests.helpers import CalendarTestCase, d


class DemoTest(CalendarTestCase):
    def test_it_reseeds_a_flushed_calendar_idempotently(self) -> None:
        seeded = ExceptionDay.objects.count()
        ExceptionDay.objects.all().delete()
        CalendarYear.objects.all().delete()
        calendar.invalidate()
        out = io.StringIO()
        result = demo.load(out=out)
        self.assertEqual(result, {"years": 23, "days": seeded, "added": seeded})
        self.assertIn("工作日历", out.getvalue())
        self.assertEqual(demo.load()["added"], 0)
        self.assertTrue(calendar.is_workday(d("2011-12-31")))
