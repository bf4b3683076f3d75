"""索引号 serials stay gap-free and distinct when 200 items are published at once (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from gongkai.accounts.models import Membership, Role, User
from gongkai.agencies.models import Agency, Region
from gongkai.publishing import services
from gongkai.publishing.models import CatalogItem, Revision

N = 200
THREADS = 8


@pytest.mark.postgres
class ParallelPublishTest(TransactionTestCase):
    def test_it_numbers_200_parallel_publications_consecutively(self) -> None:
        from gongkai.agencies.demo import demo_org_code, demo_uscc
        from gongkai.publishing.models import ReviewStage, Topic
        from gongkai.publishing.topics import topics_load

        topics_load(Topic, ReviewStage)  # TransactionTestCase flushes migration data
        region = Region.objects.create(code="220500", name="通化市", level="city")
        agency = Agency.objects.create(code="th-mzj", name="通化市民政局", region=region, level="city",
                                       org_code=demo_org_code("th-mzj"), uscc=demo_uscc("th-mzj", "220500"))  # fmt: skip
        clerk = User.objects.create_user(username="lisi", password="x")
        Membership.objects.create(user=clerk, agency=agency, role=Role.CLERK)
        ReviewStage.objects.create(agency=agency, order=1, name="审核", role=Role.APPROVER)
        approver = User.objects.create_user(username="sunba", password="x")
        Membership.objects.create(user=approver, agency=agency, role=Role.APPROVER)
        revisions = []
        for i in range(N):
            rev = services.item_create(
                agency=agency,
                by=clerk,
                fields={
                    "title": f"信息{i}",
                    "formed_on": dt.date(2026, 11, 2),
                    "body": "<p>正文</p>",
                },
            )
            services.revision_submit(revision=rev, by=clerk)
            services.review_record(revision=rev, by=approver, decision="approve")
            revisions.append(rev.pk)
        errors: list[BaseException] = []
        chunks = [revisions[i::THREADS] for i in range(THREADS)]
        barrier = threading.Barrier(THREADS)

        def worker(pks: list[int]) -> None:
            try:
                user = User.objects.get(username="lisi")
                barrier.wait()
                for pk in pks:
                    services.item_publish(revision=Revision.objects.get(pk=pk), by=user)
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        numbers = sorted(CatalogItem.objects.values_list("index_number", flat=True))
        year = timezone.localtime().year
        self.assertEqual(numbers, [f"{agency.org_code}/{year}-{n:05d}" for n in range(1, N + 1)])
