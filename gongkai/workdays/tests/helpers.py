"""Shared test helpers: every calendar test starts and ends with a fresh index, because a
test that changes the calendar is rolled back while the process index is not."""

from __future__ import annotations

import datetime as dt

from gongkai.test import BaseTestCase
from gongkai.workdays import calendar
from gongkai.workdays.seed import ensure_seeded


def d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


class CalendarTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A TransactionTestCase that ran earlier in this process flushed the seeded rows.
        ensure_seeded()

    def setUp(self) -> None:
        super().setUp()
        calendar.invalidate()
        self.addCleanup(calendar.invalidate)
