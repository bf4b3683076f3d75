"""Deadlines (workday engine), the due-soon/overdue queue, reminders, statistics and the
yearly counts / XLSX export (services with explicit dates, pages through HTTP)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from gongkai.applications.models import OutboxMessage
from gongkai.interaction import services
from gongkai.interaction.models import Question
from gongkai.interaction.tests.helpers import answered, submit
from gongkai.test import BaseTestCase


class DeadlineTest(BaseTestCase):
    def test_it_counts_working_days_across_the_national_day_holiday(self) -> None:
        q, _ = submit(dt.date(2012, 9, 28))  # Fri; 30 Sep–7 Oct rest, Sat 29 Sep worked
        self.assertEqual(q.due_on, dt.date(2012, 10, 11))

    @override_settings(INTERACTION_ANSWER_WORKDAYS=10)
    def test_it_uses_the_configured_number_of_working_days(self) -> None:
        q, _ = submit(dt.date(2012, 3, 5))
        self.assertEqual(q.due_on, dt.date(2012, 3, 19))

    def test_it_queues_due_soon_and_overdue_and_keeps_the_deadline_on_reroute(self) -> None:
        q, _ = submit(dt.date(2012, 3, 5))  # due 12 March
        services.question_route(question=q, agency=self.agency_b, by=self.chenzd)
        q = services.question_route(question=q, agency=self.agency_a, by=self.chenzd)
        self.assertEqual(q.due_on, dt.date(2012, 3, 12))
        qs = Question.objects.all()
        self.assertEqual(qs.due_soon(dt.date(2012, 3, 10), dt.date(2012, 3, 12)).count(), 1)
        self.assertEqual(qs.overdue(dt.date(2012, 3, 12)).count(), 0)
        self.assertEqual(qs.overdue(dt.date(2012, 3, 13)).count(), 1)
        self.login(self.lisi)
        page = self.client.get(reverse("interaction:questions"), {"due": "overdue"})
        self.assertContains(page, q.number)
        self.assertContains(page, "已超期")

    def test_it_sends_one_reminder_per_person_and_day(self) -> None:
        self.lisi.email = "lisi@example.com"
        self.lisi.save()
        submit(dt.date(2012, 3, 5))
        q = Question.objects.get()
        services.question_route(question=q, agency=self.agency_a, by=self.chenzd)
        self.assertEqual(services.question_remind(today=dt.date(2012, 3, 13)), 1)
        self.assertEqual(services.question_remind(today=dt.date(2012, 3, 13)), 0)
        msg = OutboxMessage.objects.get(to="lisi@example.com")
        self.assertIn(q.number, msg.body)
        self.assertIn("已超期", msg.body)
        out = io.StringIO()
        call_command("interaction_remind", "--dry-run", stdout=out)
        self.assertIn("将生成", out.getvalue())


class StatsTest(BaseTestCase):
    def make_year(self) -> None:
        on_time = answered(self, dt.date(2012, 3, 5))
        services.question_review_approve(
            question=on_time, by=self.sunba, publish=True, today=dt.date(2012, 3, 8)
        )
        late = answered(self, dt.date(2012, 4, 9))
        services.question_review_approve(
            question=late, by=self.sunba, publish=False, today=dt.date(2012, 4, 20)
        )
        answered(self, dt.date(2012, 4, 10))  # still in review
        rejected, _ = submit(dt.date(2012, 4, 11))
        services.question_reject(question=rejected, by=self.chenzd, reason="重复留言")

    def test_it_counts_received_answered_on_time_and_average_days(self) -> None:
        self.make_year()
        rows, total = services.question_stats(2012)
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertEqual(row.label, "通化市民政局")
        self.assertEqual((row.received, row.answered, row.on_time), (3, 2, 1))
        self.assertEqual(row.average_days, 6.0)  # 3 and 9 working days
        self.assertEqual(total.months, {3: 1, 4: 2})
        qs = Question.objects.received_in(2012)
        self.assertEqual(qs.answered_on_time().count(), 1)
        self.assertEqual(qs.answered_late().count(), 1)

    def test_it_shows_public_statistics_with_a_chart(self) -> None:
        self.make_year()
        page = self.client.get(reverse("interaction_public:question_stats"), {"year": 2012})
        self.assertContains(page, "<svg")
        self.assertContains(page, "2012年各月收到留言数")
        self.assertContains(page, "50.0%")
        bad = self.client.get(reverse("interaction_public:question_stats"), {"year": "abc"})
        self.assertEqual(bad.status_code, 400)

    def test_it_exports_the_yearly_counts_as_xlsx(self) -> None:
        from openpyxl import load_workbook

        self.make_year()
        counts = services.yearly_counts(2012)
        self.assertEqual(counts["questions_received"], 3)
        self.assertEqual(counts["questions_answered"], 2)
        self.assertEqual(counts["questions_on_time"], 1)
        self.assertEqual(counts["questions_rejected"], 1)
        self.assertIn("收到网民留言3件", services.narrative(2012))
        self.login(self.chenzd)
        response = self.client.get(reverse("interaction:stats"), {"year": "2012", "format": "xlsx"})
        self.assertEqual(response.status_code, 200)
        wb = load_workbook(io.BytesIO(response.content))
        rows = {r[0]: r[1] for r in wb["年度报表"].iter_rows(min_row=3, values_only=True)}
        self.assertEqual(rows["收到留言数"], 3)
        self.assertEqual(rows["按期答复留言数"], 1)
        page = self.client.get(reverse("interaction:stats"), {"year": 2012})
        self.assertContains(page, "政府网站工作年度报表")

    def test_it_feeds_the_annual_report_narrative(self) -> None:
        from gongkai.reports.compute import Scope, compute_figures
        from gongkai.reports.placeholders import fill

        self.make_year()
        agency = Question.objects.exclude(agency=None).first().agency  # type: ignore[union-attr]
        v = compute_figures(Scope(agency=agency), 2012).values
        self.assertEqual(
            (v["收到网民留言件数"], v["办结网民留言件数"], v["按期答复网民留言件数"]), (3, 2, 1)
        )
        self.assertEqual(fill("留言{收到网民留言件数}件", {**v}), "留言3件")
        other = self.agency_b if agency != self.agency_b else self.agency_a
        self.assertEqual(compute_figures(Scope(agency=other), 2012).values["收到网民留言件数"], 0)

    def test_it_scopes_console_statistics_to_the_visible_agencies(self) -> None:
        self.make_year()
        self.login(self.zhaoliu)
        response = self.client.get(reverse("interaction:stats"), {"year": 2012})
        self.assertNotContains(response, "通化市民政局")
