"""The console shell shows the catalog's queue and the late-publication alert."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.publishing import panels, services
from gongkai.publishing.tests.factories import approved, fields
from gongkai.test import BaseTestCase


class PanelsTest(BaseTestCase):
    def test_it_counts_work_per_role(self) -> None:
        rev = services.item_create(agency=self.agency_a, by=self.lisi, fields=fields())
        services.revision_submit(revision=rev, by=self.lisi)
        labels = {q.label: q.count for q in panels.queue(self.personas()["wangwu"])}
        self.assertEqual(labels, {"待我审核的信息": 1})
        self.assertEqual(panels.queue(self.personas()["sunba"]), [])  # 终审 is not yet due
        self.assertEqual(panels.queue(self.personas()["zhaoliu"]), [])
        self.assertEqual(panels.queue(self.personas()["auditor"]), [])

    def test_it_alerts_on_late_publication(self) -> None:
        rev = approved(self, formed_on=dt.date(2026, 9, 1))
        services.item_publish(
            revision=rev, by=self.lisi, now=timezone.make_aware(dt.datetime(2026, 10, 20, 9))
        )
        [alert] = panels.alerts(self.personas()["lisi"])
        self.assertIn("超过20个工作日", alert.text)
        self.assertEqual(panels.alerts(self.personas()["zhaoliu"]), [])
