"""Application numbers stay gap-free and distinct under 100 parallel submissions (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from gongkai.agencies.models import Agency, Region
from gongkai.applications import services
from gongkai.applications.models import Application, Notice
from gongkai.applications.tests.factories import person

N = 100
THREADS = 10


@pytest.mark.postgres
class ParallelSubmissionTest(TransactionTestCase):
    def test_it_numbers_100_parallel_submissions_consecutively(self) -> None:
        from gongkai.agencies.demo import demo_org_code, demo_uscc
        from gongkai.applications.notices import ensure_default_templates
        from gongkai.workdays import calendar
        from gongkai.workdays.seed import ensure_seeded

        ensure_seeded()  # TransactionTestCase flushes migration data
        calendar.invalidate()
        ensure_default_templates()
        region = Region.objects.create(code="220500", name="通化市", level="city")
        agency = Agency.objects.create(code="th-mzj", name="通化市民政局", region=region, level="city",
                                       org_code=demo_org_code("th-mzj"), uscc=demo_uscc("th-mzj", "220500"))  # fmt: skip
        errors: list[BaseException] = []
        barrier = threading.Barrier(THREADS)
        now = timezone.make_aware(dt.datetime(2026, 3, 2, 10))

        def worker(count: int) -> None:
            try:
                barrier.wait()
                for _ in range(count):
                    services.application_submit_online(agency=agency, data=person(), now=now)
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(N // THREADS,)) for _ in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        numbers = sorted(Application.objects.values_list("number", flat=True))
        self.assertEqual(numbers, [f"TH-MZJ-2026-{n:05d}" for n in range(1, N + 1)])
        # confirming them in parallel numbers the receipts (文号) gap-free as well
        pks = list(Application.objects.values_list("pk", flat=True))
        from gongkai.accounts.models import Membership, Role, User

        clerk = User.objects.create_user(username="lisi", password="x")
        Membership.objects.create(user=clerk, agency=agency, role=Role.CLERK)

        def confirm(chunk: list[int]) -> None:
            try:
                user = User.objects.get(username="lisi")
                for pk in chunk:
                    services.application_confirm(
                        application=Application.objects.get(pk=pk),
                        by=user,
                        confirmed_on=dt.date(2026, 3, 3),
                        today=dt.date(2026, 3, 3),
                    )
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=confirm, args=(pks[i::THREADS],)) for i in range(THREADS)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        serials = sorted(
            Notice.objects.filter(agency=agency, year=2026).values_list("serial", flat=True)
        )
        self.assertEqual(serials, list(range(1, N + 1)))
