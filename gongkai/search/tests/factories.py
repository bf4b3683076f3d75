"""Test helpers: published catalog items created directly (the review flow is publishing's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gongkai.publishing.models import CatalogItem

_counter = [0]


def make_item(
    agency: Any, *, title: str = "关于做好农机购置补贴工作的通知", **fields: Any
) -> CatalogItem:
    _counter[0] += 1
    now = timezone.now()
    values: dict[str, Any] = {
        "agency": agency,
        "title": title,
        "body": "<p>为落实农机购置补贴政策，现将有关事项通知如下。</p>",
        "formed_on": (now - dt.timedelta(days=3)).date(),
        "status": CatalogItem.Status.PUBLISHED,
        "published_at": now - dt.timedelta(hours=1),
        "index_number": f"TEST-{_counter[0]:06d}",
        "disclosure_mode": "proactive",
    }
    values.update(fields)
    return CatalogItem.objects.create(**values)
