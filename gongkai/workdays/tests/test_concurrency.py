"""Concurrent calendar changes on PostgreSQL: the version-row lock serialises them."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import TransactionTestCase

from gongkai.accounts.models import AdminRole, User
from gongkai.workdays import calendar, services
from gongkai.workdays.models import CalendarVersion, CalendarYear, ExceptionDay
from gongkai.workdays.seed import ensure_seeded
from gongkai.workdays.tests.helpers import d


@pytest.mark.postgres
class ConcurrentImportTest(TransactionTestCase):
    def setUp(self) -> None:
        ensure_seeded()
        self.addCleanup(calendar.invalidate)
        self.admin = User.objects.create_user(
            username="sysadmin", password="x", admin_role=AdminRole.SYSTEM
        )

    def test_it_imports_a_year_once_under_concurrency(self) -> None:
        rows = [services.DayRow(d("2027-01-01"), "rest", "元旦")]
        barrier = threading.Barrier(4)
        outcomes: list[str] = []

        def worker() -> None:
            try:
                barrier.wait()
                services.calendar_year_import(year=2027, notice="通知", rows=rows, by=self.admin)
                outcomes.append("ok")
            except services.CalendarError:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(outcomes), ["ok", "refused", "refused", "refused"])
        self.assertEqual(CalendarYear.objects.filter(year=2027).count(), 1)
        self.assertEqual(ExceptionDay.objects.filter(date__year=2027).count(), 1)
        self.assertGreaterEqual(CalendarVersion.objects.get(pk=1).version, 2)
