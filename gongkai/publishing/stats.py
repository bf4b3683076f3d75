"""Figures the reports app reads from the catalog (recorded fields only, never recomputed
from the present state of other tables).

* ``timeliness(year, agency_ids)`` — items first published in ``year``: how many, how many
  took more than 20 working days from 生成日期 (Art 26), how many could not be measured
  (no calendar data for the year).
* ``art20_table(year, agency_ids)`` — report table 二 (2021 format) per Art 20 item:
  本年制发 (first published in the year), 本年废止 (marked 失效/废止 with a date in the
  year), 现行有效 (published, not withdrawn, valid at the end of the year), and for
  行政事业性收费 the 本年收费金额 (万元) of the fee items published in the year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum

from gongkai.lib.taxonomy import Art20Item
from gongkai.publishing.models import PUBLISH_LIMIT_WORKDAYS, CatalogItem


def _scope(agency_ids: Iterable[int] | None) -> Any:
    qs = CatalogItem.objects.exclude(index_number="")
    return qs if agency_ids is None else qs.filter(agency_id__in=list(agency_ids))


def timeliness(year: int, agency_ids: Iterable[int] | None = None) -> dict[str, int]:
    qs = _scope(agency_ids).filter(published_at__year=year)
    return {
        "published": qs.count(),
        "late": qs.filter(publish_workdays__gt=PUBLISH_LIMIT_WORKDAYS).count(),
        "unmeasured": qs.filter(publish_workdays__isnull=True).count(),
    }


def art20_table(year: int, agency_ids: Iterable[int] | None = None) -> dict[str, dict[str, Any]]:
    qs = _scope(agency_ids).exclude(art20_item="")
    end = dt.date(year, 12, 31)
    out: dict[str, dict[str, Any]] = {}
    for item in Art20Item:
        if not item.value:
            continue
        rows = qs.filter(art20_item=item.value)
        issued = rows.filter(published_at__year=year)
        out[item.value] = {
            "label": item.label,
            "issued": issued.count(),
            "repealed": rows.filter(
                validity__in=["expired", "repealed"], invalid_on__year=year
            ).count(),
            "current": rows.filter(published_at__date__lte=end)
            .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__date__gt=end))
            .filter(Q(invalid_on__isnull=True) | Q(invalid_on__gt=end))
            .count(),
            "amount": issued.aggregate(total=Sum("art20_amount"))["total"] or Decimal("0"),
        }
    return out
