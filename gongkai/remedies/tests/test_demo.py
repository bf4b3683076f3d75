"""The recent-year demos of remedies and outreach are never dated after the day they are loaded."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.lib.testing import clock_at
from gongkai.outreach import demo as outreach_demo
from gongkai.outreach.models import Activity, Delivery, VisitLog
from gongkai.remedies import demo as remedies_demo
from gongkai.remedies.models import Complaint, RemedyCase
from gongkai.test import BaseTestCase


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


class RecentDemoDatesTest(BaseTestCase):
    def dates(self) -> list[dt.date]:
        out: list[dt.date] = []
        for case in RemedyCase.objects.all():
            out += [d for d in (case.filed_on, case.concluded_on) if d]
        for c in Complaint.objects.all():
            out += [d for d in (c.received_on, c.closed_on) if d]
        for d in Delivery.objects.all():
            out += [d.formed_on, d.delivered_on]
        out += list(VisitLog.objects.values_list("logged_on", flat=True))
        out += list(Activity.objects.values_list("held_on", flat=True))
        return out

    def load_on(self, day: dt.date) -> list[dt.date]:
        with clock_at(at(day)):
            self.assertTrue(remedies_demo.load())
            self.assertTrue(outreach_demo.load())
        dates = self.dates()
        self.assertTrue(dates)
        self.assertLessEqual(max(dates), day)
        return dates

    def test_early_in_a_year_it_uses_last_year(self) -> None:
        dates = self.load_on(dt.date(2027, 1, 15))
        self.assertEqual({d.year for d in dates}, {2026})
        self.assertTrue(RemedyCase.objects.filter(case_number="通政复〔2026〕3号").exists())

    def test_late_in_a_year_it_uses_this_year(self) -> None:
        dates = self.load_on(dt.date(2026, 12, 7))
        self.assertEqual({d.year for d in dates}, {2026})
        self.assertTrue(Activity.objects.filter(title__startswith="2026年").exists())

    def test_from_its_last_date_it_moves_to_the_new_year(self) -> None:
        self.load_on(dt.date(2027, 6, 8))  # outreach: 2027 already, remedies: still 2026
        self.assertTrue(Activity.objects.filter(title__startswith="2027年").exists())
        self.assertTrue(RemedyCase.objects.filter(case_number="通政复〔2026〕9号").exists())
