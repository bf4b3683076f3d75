from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from gongkai.workdays import calendar
from gongkai.workdays.calendar import CalendarMissingError
from gongkai.workdays.deadlines import DeadlineInputError, compute_deadline, naive_due_date
from gongkai.workdays.tests.helpers import CalendarTestCase, d

# Keep generated dates where every period stays inside the seeded 2004–2026 data.
dates = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 9, 1))
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def pause_lists(draw: st.DrawFn, start: dt.date) -> list[tuple[dt.date, dt.date]]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        a = start + dt.timedelta(days=draw(st.integers(-5, 40)))
        out.append((a, a + dt.timedelta(days=draw(st.integers(0, 15)))))
    return out


class EraTest(CalendarTestCase):
    def test_it_uses_2008_rules_before_2019_05_15(self) -> None:
        r = compute_deadline(received_on=d("2019-05-14"))
        self.assertEqual(r.era, "2008")
        self.assertEqual(r.due_on, calendar.add_workdays(d("2019-05-14"), 15))
        self.assertIsNone(r.correction_notice_due_on)
        self.assertIn("国务院令第492号", r.explanation[0])

    def test_it_uses_2019_rules_from_2019_05_15(self) -> None:
        r = compute_deadline(received_on=d("2019-05-15"))
        self.assertEqual(r.era, "2019")
        self.assertEqual(r.due_on, calendar.add_workdays(d("2019-05-15"), 20))
        self.assertEqual(r.correction_notice_due_on, calendar.add_workdays(d("2019-05-15"), 7))

    def test_it_caps_the_extension_per_era(self) -> None:
        compute_deadline(received_on=d("2012-03-01"), extension_workdays=15)
        with self.assertRaisesMessage(DeadlineInputError, "最长不得超过15个工作日"):
            compute_deadline(received_on=d("2012-03-01"), extension_workdays=16)
        compute_deadline(received_on=d("2024-03-01"), extension_workdays=20)
        with self.assertRaisesMessage(DeadlineInputError, "最长不得超过20个工作日"):
            compute_deadline(received_on=d("2024-03-01"), extension_workdays=21)


class WorkedExampleTest(CalendarTestCase):
    def test_it_explains_the_2026_spring_festival_case(self) -> None:
        r = compute_deadline(received_on=d("2026-02-06"))
        # 2/9–2/13 (5), Sat 2/14 (6), rest 2/15–2/23, 2/24–2/27 (10), Sat 2/28 (11), 3/2–3/6 (16), 3/9–3/12 (20)
        self.assertEqual(r.due_on, d("2026-03-12"))
        self.assertEqual(r.final_due_on, d("2026-03-12"))
        text = "".join(r.explanation)
        self.assertIn("春节2月15日至2月23日", text)
        self.assertIn("2月14日（星期六）", text)
        self.assertIn("2月28日（星期六）", text)
        self.assertIn("2026年3月12日（星期四）", text)

    def test_it_restarts_from_the_corrected_application(self) -> None:
        r = compute_deadline(
            received_on=d("2024-03-01"),
            correction_requested_on=d("2024-03-05"),
            restart_on=d("2024-03-20"),
        )
        self.assertEqual(r.start_on, d("2024-03-20"))
        self.assertEqual(r.due_on, calendar.add_workdays(d("2024-03-20"), 20))
        self.assertEqual(r.correction_notice_due_on, d("2024-03-12"))
        self.assertIn("在法定期限内", "".join(r.explanation))
        self.assertIn("重新计算", "".join(r.explanation))

    def test_it_flags_a_late_correction_notice(self) -> None:
        r = compute_deadline(received_on=d("2024-03-01"), correction_requested_on=d("2024-03-13"))
        self.assertIn("已超过法定的7个工作日期限", "".join(r.explanation))

    def test_it_skips_paused_workdays(self) -> None:
        base = compute_deadline(received_on=d("2024-03-01"))
        r = compute_deadline(
            received_on=d("2024-03-01"),
            pauses=[(d("2024-03-04"), d("2024-03-08"), "征求第三方意见")],
        )
        self.assertEqual(r.paused_workdays, 5)
        self.assertEqual(r.due_on, calendar.add_workdays(base.due_on, 5))
        self.assertIn("征求第三方意见", "".join(r.explanation))

    def test_it_ignores_pauses_after_the_due_date(self) -> None:
        r = compute_deadline(
            received_on=d("2024-03-01"), pauses=[(d("2024-06-03"), d("2024-06-07"))]
        )
        self.assertEqual(r.paused_workdays, 0)
        self.assertEqual(r.due_on, calendar.add_workdays(d("2024-03-01"), 20))

    def test_it_treats_an_open_pause_as_lasting_through_today(self) -> None:
        r = compute_deadline(
            received_on=d("2024-03-01"), pauses=[(d("2024-03-04"), None)], today=d("2024-03-08")
        )
        closed = compute_deadline(
            received_on=d("2024-03-01"), pauses=[(d("2024-03-04"), d("2024-03-08"))]
        )
        self.assertTrue(r.pause_open)
        self.assertEqual(r.due_on, closed.due_on)
        later = compute_deadline(
            received_on=d("2024-03-01"), pauses=[(d("2024-03-04"), None)], today=d("2024-03-15")
        )
        self.assertGreater(later.due_on, r.due_on)
        self.assertIn("尚未结束的暂停", "".join(r.explanation))

    def test_it_applies_the_extension_and_the_art35_delay(self) -> None:
        r = compute_deadline(
            received_on=d("2024-03-01"), extension_workdays=20, delayed_due_on=d("2024-06-28")
        )
        self.assertEqual(r.extended_due_on, calendar.add_workdays(d("2024-03-01"), 40))
        self.assertEqual(r.final_due_on, d("2024-06-28"))
        with self.assertRaisesMessage(DeadlineInputError, "不得早于法定答复期限"):
            compute_deadline(received_on=d("2024-03-01"), delayed_due_on=d("2024-03-05"))
        with self.assertRaisesMessage(DeadlineInputError, "2008年版条例"):
            compute_deadline(received_on=d("2012-03-01"), delayed_due_on=d("2012-06-28"))

    def test_it_rejects_inconsistent_events(self) -> None:
        with self.assertRaisesMessage(DeadlineInputError, "早于开始日期"):
            compute_deadline(
                received_on=d("2024-03-01"), pauses=[(d("2024-03-10"), d("2024-03-04"))]
            )
        with self.assertRaisesMessage(DeadlineInputError, "不得早于收到申请的日期"):
            compute_deadline(received_on=d("2024-03-01"), restart_on=d("2024-02-01"))
        with self.assertRaises(DeadlineInputError):
            compute_deadline(received_on=d("2024-03-01"), extension_workdays=-1)

    def test_it_fails_closed_at_the_end_of_the_data(self) -> None:
        with self.assertRaises(CalendarMissingError) as ctx:
            compute_deadline(received_on=d("2026-12-10"))
        self.assertEqual(ctx.exception.year, 2027)


class PropertyTest(HypothesisTestCase):
    """Properties over the seeded 2004–2026 calendar (read-only; no personas needed)."""

    def setUp(self) -> None:
        calendar.invalidate()
        self.addCleanup(calendar.invalidate)

    @PROPS
    @given(start=dates, data=st.data(), ext=st.integers(0, 20))
    def test_it_always_lands_on_a_working_day_and_matches_the_naive_walk(
        self, start: dt.date, data: st.DataObject, ext: int
    ) -> None:
        pauses = data.draw(pause_lists(start))
        r = compute_deadline(
            received_on=start,
            pauses=pauses,
            extension_workdays=min(ext, 15 if start < dt.date(2019, 5, 15) else 20),
        )
        self.assertTrue(calendar.is_workday(r.due_on))
        self.assertTrue(calendar.is_workday(r.final_due_on))
        base = 15 if r.era == "2008" else 20
        self.assertEqual(r.due_on, naive_due_date(start, base, pauses))
        if r.extended_due_on:
            self.assertGreaterEqual(r.extended_due_on, r.due_on)  # extension never shortens

    @PROPS
    @given(start=dates, data=st.data())
    def test_it_never_gives_an_earlier_date_for_more_pause(
        self, start: dt.date, data: st.DataObject
    ) -> None:
        pauses = data.draw(pause_lists(start))
        extra_start = start + dt.timedelta(days=data.draw(st.integers(0, 40)))
        extra = (extra_start, extra_start + dt.timedelta(days=data.draw(st.integers(0, 10))))
        less = compute_deadline(received_on=start, pauses=pauses)
        more = compute_deadline(received_on=start, pauses=[*pauses, extra])
        self.assertGreaterEqual(more.due_on, less.due_on)
        self.assertGreaterEqual(more.paused_workdays, 0)

    @PROPS
    @given(
        start=st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2025, 10, 1)),
        n=st.integers(0, 200),
        span=st.integers(0, 400),
    )
    def test_it_round_trips_add_and_between(self, start: dt.date, n: int, span: int) -> None:
        target = calendar.add_workdays(start, n)
        self.assertEqual(calendar.workdays_between(start, target), n)
        b = start + dt.timedelta(days=span)
        k = calendar.workdays_between(start, b)
        landed = calendar.add_workdays(start, k)
        self.assertLessEqual(landed, b)
        self.assertEqual(calendar.workdays_between(landed, b), 0)

    @PROPS
    @given(start=dates, a=st.integers(0, 20), b=st.integers(0, 20))
    def test_it_never_shortens_with_a_longer_extension(
        self, start: dt.date, a: int, b: int
    ) -> None:
        cap = 15 if start < dt.date(2019, 5, 15) else 20
        lo, hi = sorted((min(a, cap), min(b, cap)))
        r_lo = compute_deadline(received_on=start, extension_workdays=lo)
        r_hi = compute_deadline(received_on=start, extension_workdays=hi)
        self.assertLessEqual(r_lo.final_due_on, r_hi.final_due_on)
        self.assertGreaterEqual(r_hi.final_due_on, r_hi.due_on)
