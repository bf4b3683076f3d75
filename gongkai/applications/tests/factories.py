"""Test helpers: valid applicant data and an application at a given step."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gongkai.lib import codes
from gongkai.test import BaseTestCase

ID_BODY = "22050219800101123"
ID_NUMBER = ID_BODY + codes.id_check_char(ID_BODY)
USCC_BODY = "91220502" + "MA0000001"


def uscc() -> str:
    body = USCC_BODY[:8] + USCC_BODY[8:16] + codes.org_code_check_char(USCC_BODY[8:16])
    return body + codes.uscc_check_char(body)


def person(**overrides: Any) -> dict[str, Any]:
    data = {
        "applicant_type": "natural",
        "applicant_name": "张三",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "通化市东昌区新华大街1号",
        "postcode": "134001",
        "description": "2025年度城乡低保资金发放明细及审批依据",
        "doc_number": "",
        "purpose": "",
        "carrier": "electronic",
        "delivery": "email",
    }
    data.update(overrides)
    return data


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


class AppTestCase(BaseTestCase):
    """BaseTestCase + the migration data a TransactionTestCase may have flushed."""

    @classmethod
    def setUpTestData(cls) -> None:
        from gongkai.applications.notices import ensure_default_templates
        from gongkai.workdays import calendar
        from gongkai.workdays.seed import ensure_seeded

        super().setUpTestData()
        ensure_seeded()
        calendar.invalidate()
        ensure_default_templates()
