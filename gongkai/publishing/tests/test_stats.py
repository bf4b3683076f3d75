"""The figures the reports app reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gongkai.publishing import services, stats
from gongkai.publishing.tests.factories import approved
from gongkai.test import BaseTestCase


class StatsTest(BaseTestCase):
    def test_it_counts_table_two_and_timeliness(self) -> None:
        year = 2026  # the calendar has data for it; all dates lie in the past
        fee = approved(
            self, art20_item="fee", art20_amount=Decimal("12.5"), formed_on=dt.date(year, 1, 5)
        )
        services.item_publish(
            revision=fee, by=self.lisi, now=timezone.make_aware(dt.datetime(year, 3, 2, 9))
        )
        norm = approved(
            self, title="规范性文件", art20_item="normative", formed_on=dt.date(year, 1, 5)
        )
        item = services.item_publish(
            revision=norm, by=self.lisi, now=timezone.make_aware(dt.datetime(year, 1, 9, 9))
        )
        services.item_set_validity(
            item=item, by=self.lisi, validity="repealed", invalid_on=dt.date(year, 2, 1)
        )
        table = stats.art20_table(year)
        self.assertEqual(table["fee"]["issued"], 1)
        self.assertEqual(table["fee"]["amount"], Decimal("12.5"))
        self.assertEqual(table["normative"]["repealed"], 1)
        self.assertEqual(table["normative"]["current"], 0)
        self.assertEqual(table["fee"]["current"], 1)
        self.assertEqual(stats.art20_table(year, [self.agency_b.pk])["fee"]["issued"], 0)
        t = stats.timeliness(year)
        self.assertEqual(t["published"], 2)
        self.assertEqual(t["late"], 1)  # 5 Jan → 2 Mar is more than 20 working days
