"""Visibility of annual reports."""

from __future__ import annotations

from typing import Any

from django.db import models

from gongkai.agencies.querysets import visible_agency_ids


def visible_region_ids(user: Any) -> set[int] | None:
    """Regions whose government roll-up the user may see: the regions (and sub-regions) of
    the user's 指导科/网管科 memberships — the people who compile the government's report;
    none for the three administrators (``visible_agency_ids`` is empty for them)."""
    ids = visible_agency_ids(user)
    if ids is None:
        return None
    from gongkai.accounts.models import REGION_ROLES

    result: set[int] = set()
    if ids:
        for m in user.active_memberships:
            if m.role in REGION_ROLES:
                result.update(m.agency.region.descendant_ids())
    return result


class AnnualReportQuerySet(models.QuerySet):
    def public(self) -> AnnualReportQuerySet:
        """Published reports (superseded versions stay public, marked so); never drafts."""
        return self.filter(status__in=["published", "superseded"], data__isnull=False)

    def for_user(self, user: Any) -> AnnualReportQuerySet:
        """Agency reports of the agencies the user may see, and region reports of the regions
        of ``visible_region_ids``."""
        ids = visible_agency_ids(user)
        regions = visible_region_ids(user)
        if ids is None or regions is None:
            return self
        return self.filter(models.Q(agency_id__in=ids) | models.Q(region_id__in=regions))
