"""Read interface of the pki app for other apps (the annual report)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from gongkai.pki.models import Certificate


def agencies_with_certificates(*, year: int, region: Any = None) -> int:
    """How many agencies held a certificate during ``year`` (the report's “N 个部门、单位领取了
    录入电子证书”): distinct agencies with a certificate valid at some time in the year and
    not revoked before the year began. ``region`` limits to a region and its sub-regions."""
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    qs = Certificate.objects.filter(not_before__lt=end, not_after__gte=start).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gte=start)
    )
    if region is not None:
        qs = qs.filter(agency__region_id__in=region.descendant_ids())
    return qs.values("agency_id").distinct().count()
