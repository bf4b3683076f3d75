"""Small factories for report tests: applications and catalog items with just the report fields."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

_serial = itertools.count(1)


def make_application(agency: Any, received_on: dt.date | None, **fields: Any) -> Any:
    from gongkai.applications.models import Application

    n = next(_serial)
    defaults: dict[str, Any] = {
        "channel": "online",
        "applicant_type": "natural",
        "applicant_name": "申请人",
        "description": "测试申请",
        "year": (received_on or dt.date(2020, 1, 1)).year,
        "serial": n,
        "number": f"T{n:06d}",
    }
    defaults.update(fields)
    return Application.objects.create(agency=agency, received_on=received_on, **defaults)


def make_item(agency: Any, published: dt.date, **fields: Any) -> Any:
    from gongkai.publishing.models import CatalogItem

    defaults: dict[str, Any] = {
        "title": "测试信息",
        "formed_on": published,
        "status": "published",
        "published_at": dt.datetime.combine(
            published, dt.time(10), tzinfo=timezone.get_current_timezone()
        ),
        "publish_workdays": 3,
    }
    defaults.update(fields)
    if "art20_amount" in defaults:
        defaults["art20_amount"] = Decimal(str(defaults["art20_amount"]))
    return CatalogItem.objects.create(agency=agency, **defaults)
