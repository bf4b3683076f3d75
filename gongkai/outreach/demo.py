"""Demo reading points and activities of recent years (the 2012 year at the seed's scale is
created by ``gongkai.reports.demo`` in full mode). Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.outreach.models import Activity, Delivery, ReadingPoint, VisitLog


def load(*, full: bool = False, out: Any = None) -> dict:
    gov = (
        Agency.objects.filter(code="th-gov").first() or Agency.objects.filter(code="th-gkb").first()
    )
    gkb = Agency.objects.filter(code="th-gkb").first()
    if gov is None or gkb is None:
        return {}
    # the most recent year whose demo dates (the latest is 10 April) are already past: early in
    # a year the deliveries and activities are last year's, never dated in the future
    today = timezone.localdate()
    year = today.year if today > dt.date(today.year, 4, 10) else today.year - 1
    points = [
        ("通化市档案馆政府信息查阅中心", "archive", True, "吉林省通化市东昌区新华大街1066号"),
        ("通化市图书馆政府信息查阅点", "library", True, "吉林省通化市东昌区民主路318号"),
        ("通化市政务服务中心查阅窗口", "service", False, "吉林省通化市东昌区江南大街2号"),
    ]
    for name, kind, electronic, address in points:
        point, _ = ReadingPoint.objects.get_or_create(
            agency=gov, name=name,
            defaults={"kind": kind, "electronic": electronic, "address": address,
                      "hours": "工作日 8:30—11:30，13:30—16:30", "phone": "0435-3200000"},
        )  # fmt: skip
        Delivery.objects.get_or_create(
            reading_point=point, title=f"{year}年第一批主动公开政府信息",
            defaults={"medium": "paper", "quantity": 40, "formed_on": dt.date(year, 3, 2),
                      "delivered_on": dt.date(year, 3, 20), "workdays_taken": 14},
        )  # fmt: skip
        VisitLog.objects.get_or_create(
            reading_point=point, logged_on=dt.date(year, 3, 31),
            defaults={"visitors": 120, "borrowings": 6, "note": "3月合计"},
        )  # fmt: skip
    for kind, title, sessions, quantity in [
        ("press", f"{year}年第一季度政务公开新闻发布会", 1, 5),
        ("training", f"{year}年政府信息公开业务培训", 2, 86),
        ("inspection", f"{year}年上半年政府信息公开工作检查", 1, 4),
    ]:
        Activity.objects.get_or_create(
            agency=gkb, kind=kind, title=title,
            defaults={"held_on": dt.date(year, 4, 10), "sessions": sessions, "quantity": quantity},
        )  # fmt: skip
    return {"reading_points": ReadingPoint.objects.count(), "activities": Activity.objects.count()}
