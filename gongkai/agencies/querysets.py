"""Visibility of regions and agencies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from gongkai.accounts.models import User


def visible_agency_ids(user: Any) -> set[int] | None:
    """Agency ids a staff user may see; ``None`` means every agency.

    * System and security administrators see every agency (configuration, user admin).
    * The audit administrator sees none: the audit log is all they may read.
    * Everyone else sees the agencies of their memberships, and — for 指导科 and 网管科 —
      every agency in the region (and its sub-regions) of their membership agency.
    Cached on the user object for the request.
    """
    if user is None or not user.is_authenticated:
        return set()
    if hasattr(user, "_visible_agency_ids"):
        cached: set[int] | None = user._visible_agency_ids
        return cached
    from gongkai.accounts.models import REGION_ROLES, AdminRole
    from gongkai.agencies.models import Agency

    result: set[int] | None
    if user.admin_role in (AdminRole.SYSTEM, AdminRole.SECURITY):
        result = None
    elif user.admin_role == AdminRole.AUDIT:
        result = set()
    else:
        result = set()
        region_ids: set[int] = set()
        for m in user.active_memberships:
            result.add(m.agency_id)
            if m.role in REGION_ROLES:
                region_ids.update(m.agency.region.descendant_ids())
        if region_ids:
            result.update(
                Agency.objects.filter(region_id__in=region_ids).values_list("pk", flat=True)
            )
    user._visible_agency_ids = result
    return result


class RegionQuerySet(models.QuerySet):
    def cities(self) -> RegionQuerySet:
        return self.filter(level="city")


class AgencyQuerySet(models.QuerySet):
    def active(self) -> AgencyQuerySet:
        """Agencies that are in service (``is_active``)."""
        return self.filter(is_active=True)

    def for_user(self, user: User) -> AgencyQuerySet:
        """Agencies the user may see in the console (see ``visible_agency_ids``)."""
        ids = visible_agency_ids(user)
        return self if ids is None else self.filter(pk__in=ids)

    def in_region(self, region: Any) -> AgencyQuerySet:
        """Agencies of a region and all regions below it (for roll-ups)."""
        return self.filter(region_id__in=region.descendant_ids())
