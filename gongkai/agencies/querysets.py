"""Visibility of regions and agencies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from gongkai.accounts.models import User


def visible_agency_ids(user: Any) -> set[int] | None:
    """Agency ids whose business data (catalog, applications, remedies, reports, reading
    points …) a staff user may see; ``None`` would mean every agency (nobody gets it today).

    * The three administrators (系统/安全/审计管理员) see none: 三员分立 keeps them out of
      business data. Their configuration pages use ``AgencyQuerySet.for_user`` instead.
    * Everyone else sees the agencies of their memberships, and — for 指导科 and 网管科 —
      every agency in the region (and its sub-regions) of their membership agency.
    Cached on the user object for the request.
    """
    if user is None or not user.is_authenticated:
        return set()
    if hasattr(user, "_visible_agency_ids"):
        cached: set[int] | None = user._visible_agency_ids
        return cached
    from gongkai.accounts.models import REGION_ROLES
    from gongkai.agencies.models import Agency

    result: set[int] | None
    if user.admin_role:
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
        """Agencies whose directory page the user may see: every agency for the system
        administrator (who configures them) and the security administrator (who grants
        memberships in them); none for the audit administrator; else ``visible_agency_ids``.
        Pickers on business pages use ``for_business`` instead."""
        if (
            user is not None
            and user.is_authenticated
            and (user.is_system_admin or user.is_security_admin)
        ):
            return self
        return self.for_business(user)

    def for_business(self, user: Any) -> AgencyQuerySet:
        """Agencies whose business data the user may see or act on (``visible_agency_ids``):
        none for the three administrators (三员分立)."""
        ids = visible_agency_ids(user)
        return self if ids is None else self.filter(pk__in=ids)

    def in_region(self, region: Any) -> AgencyQuerySet:
        """Agencies of a region and all regions below it (for roll-ups)."""
        return self.filter(region_id__in=region.descendant_ids())
