"""Visibility of remedy cases and complaints: those of the agencies the user may see."""

from __future__ import annotations

from typing import Any

from django.db import models

from gongkai.agencies.querysets import visible_agency_ids


class _AgencyScoped(models.QuerySet):
    def for_user(self, user: Any) -> Any:
        """Rows of the agencies the user may see (``agencies.querysets.visible_agency_ids``)."""
        ids = visible_agency_ids(user)
        return self if ids is None else self.filter(agency_id__in=ids)


class RemedyCaseQuerySet(_AgencyScoped):
    def filed_in(self, year: int) -> RemedyCaseQuerySet:
        """Cases received (立案) in ``year``."""
        return self.filter(filed_on__year=year)


class ComplaintQuerySet(_AgencyScoped):
    def received_in(self, year: int) -> ComplaintQuerySet:
        return self.filter(received_on__year=year)
