from __future__ import annotations

import datetime as dt

import chinese_calendar
from django.test import override_settings

from gongkai.workdays import calendar
from gongkai.workdays.calendar import (
    CalendarMissingError,
    add_workdays,
    is_workday,
    workdays_between,
)
from gongkai.workdays.models import CalendarVersion, CalendarYear, ExceptionDay
from gongkai.workdays.tests.helpers import CalendarTestCase, d


class OfficialVectorTest(CalendarTestCase):
    def test_it_knows_2012_spring_festival(self) -> None:
        for day in ("2012-01-22", "2012-01-23", "2012-01-24", "2012-01-27", "2012-01-28"):
            self.assertFalse(is_workday(d(day)), day)
        self.assertTrue(is_workday(d("2012-01-21")))  # Saturday worked
        self.assertTrue(is_workday(d("2012-01-29")))  # Sunday worked

    def test_it_knows_2012_national_day(self) -> None:
        self.assertTrue(is_workday(d("2012-09-29")))  # Saturday worked
        for n in range(30, 38):
            day = d("2012-09-30") + dt.timedelta(days=n - 30)
            self.assertFalse(is_workday(day), day)
        self.assertTrue(is_workday(d("2012-10-08")))

    def test_it_knows_the_working_saturday_2011_12_31(self) -> None:
        self.assertEqual(d("2011-12-31").weekday(), 5)
        self.assertTrue(is_workday(d("2011-12-31")))
        row = ExceptionDay.objects.get(date=d("2011-12-31"))
        self.assertEqual(row.name, "元旦")
        self.assertIn("2012年", row.notice)

    def test_it_knows_2026_spring_festival(self) -> None:
        self.assertTrue(is_workday(d("2026-02-14")))
        self.assertTrue(is_workday(d("2026-02-28")))
        for n in range(15, 24):
            self.assertFalse(is_workday(dt.date(2026, 2, n)), n)

    def test_it_knows_2026_national_day(self) -> None:
        self.assertTrue(is_workday(d("2026-09-20")))
        self.assertTrue(is_workday(d("2026-10-10")))
        for n in range(1, 8):
            self.assertFalse(is_workday(dt.date(2026, 10, n)), n)
        row = ExceptionDay.objects.get(date=d("2026-10-10"))
        self.assertIn("2025年11月4日", row.notice)

    def test_it_counts_across_spring_festival_2012(self) -> None:
        # Fri 1/20 → Sat 1/21 (worked) → rest 1/22–1/28 → Sun 1/29 (worked) → Mon 1/30
        self.assertEqual(add_workdays(d("2012-01-20"), 1), d("2012-01-21"))
        self.assertEqual(add_workdays(d("2012-01-20"), 2), d("2012-01-29"))
        self.assertEqual(add_workdays(d("2012-01-20"), 3), d("2012-01-30"))
        self.assertEqual(workdays_between(d("2012-01-20"), d("2012-01-30")), 3)

    def test_it_counts_20_workdays_over_national_day_2026(self) -> None:
        self.assertEqual(add_workdays(d("2026-09-15"), 20), d("2026-10-19"))


class AgreementTest(CalendarTestCase):
    def test_it_agrees_with_chinese_calendar_on_every_day_2004_to_2026(self) -> None:
        day, end = dt.date(2004, 1, 1), dt.date(2026, 12, 31)
        disagreements = []
        while day <= end:
            if is_workday(day) != chinese_calendar.is_workday(day):
                disagreements.append(day)
            day += dt.timedelta(days=1)
        self.assertEqual(disagreements, [])

    def test_it_seeds_every_year_with_a_notice(self) -> None:
        years = list(CalendarYear.objects.values_list("year", flat=True))
        self.assertEqual(years, list(range(2004, 2027)))
        self.assertFalse(ExceptionDay.objects.filter(notice="").exists())
        self.assertTrue(ExceptionDay.objects.filter(name="春节", date__year=2020).count() >= 10)


class SemanticsTest(CalendarTestCase):
    def test_it_returns_start_for_zero(self) -> None:
        self.assertEqual(add_workdays(d("2012-01-22"), 0), d("2012-01-22"))

    def test_it_counts_strictly_after_a_rest_day_start(self) -> None:
        # unlike chinese_calendar.find_workday, a rest-day start is not first moved forward
        self.assertEqual(add_workdays(d("2026-10-03"), 1), d("2026-10-08"))

    def test_it_refuses_negative_n(self) -> None:
        with self.assertRaises(ValueError):
            add_workdays(d("2026-01-05"), -1)

    def test_it_counts_half_open_intervals(self) -> None:
        self.assertEqual(workdays_between(d("2026-01-05"), d("2026-01-05")), 0)
        self.assertEqual(workdays_between(d("2026-01-09"), d("2026-01-05")), 0)
        self.assertEqual(workdays_between(d("2026-01-05"), d("2026-01-06")), 1)
        self.assertEqual(workdays_between(d("2026-01-02"), d("2026-01-05")), 2)  # Sun 1/4 worked


class FailClosedTest(CalendarTestCase):
    def test_it_names_the_missing_year(self) -> None:
        with self.assertRaises(CalendarMissingError) as ctx:
            is_workday(d("2027-01-04"))
        self.assertEqual(ctx.exception.year, 2027)
        self.assertIn("2027年", str(ctx.exception))
        with self.assertRaises(CalendarMissingError) as ctx:
            is_workday(d("2003-06-02"))
        self.assertEqual(ctx.exception.year, 2003)

    def test_it_fails_when_counting_into_a_missing_year(self) -> None:
        self.assertEqual(add_workdays(d("2026-12-01"), 5), d("2026-12-08"))
        with self.assertRaises(CalendarMissingError) as ctx:
            add_workdays(d("2026-12-15"), 20)
        self.assertEqual(ctx.exception.year, 2027)
        with self.assertRaises(CalendarMissingError):
            workdays_between(d("2026-12-15"), d("2027-01-10"))
        with self.assertRaises(CalendarMissingError) as ctx:
            add_workdays(d("2026-12-31"), 1)
        self.assertEqual(ctx.exception.year, 2027)

    def test_it_needs_no_data_for_the_start_day_itself(self) -> None:
        self.assertEqual(add_workdays(d("2003-12-31"), 1), d("2004-01-02"))
        self.assertEqual(workdays_between(d("2003-12-31"), d("2004-01-02")), 1)

    def test_it_fails_on_a_gap_year_in_the_middle(self) -> None:
        CalendarYear.objects.filter(year=2015).delete()
        CalendarVersion.objects.filter(pk=1).update(version=999)
        calendar.invalidate()
        with self.assertRaises(CalendarMissingError) as ctx:
            add_workdays(d("2014-12-01"), 60)
        self.assertEqual(ctx.exception.year, 2015)
        self.assertEqual(add_workdays(d("2014-12-01"), 5), d("2014-12-08"))
        self.assertTrue(is_workday(d("2016-01-04")))


class VersionTest(CalendarTestCase):
    @override_settings(WORKDAYS_VERSION_CHECK_SECONDS=0)
    def test_it_rebuilds_when_another_process_bumps_the_version(self) -> None:
        self.assertTrue(is_workday(d("2026-03-02")))
        # another process changed the table and bumped the version; no local invalidate()
        ExceptionDay.objects.create(date=d("2026-03-02"), kind="rest", name="测试", notice="测试")
        CalendarVersion.objects.filter(pk=1).update(version=12345)
        self.assertFalse(is_workday(d("2026-03-02")))

    @override_settings(WORKDAYS_VERSION_CHECK_SECONDS=3600)
    def test_it_does_not_query_per_call_between_checks(self) -> None:
        is_workday(d("2026-03-02"))
        with self.assertNumQueries(0):
            for n in range(200):
                add_workdays(d("2026-01-01") + dt.timedelta(days=n), 20)
                workdays_between(d("2026-01-01"), d("2026-01-01") + dt.timedelta(days=n))
