"""Visibility of outreach records: those of the agencies the user may see; the public sees
active reading points only."""

from __future__ import annotations

from typing import Any

from django.db import models

from gongkai.agencies.querysets import visible_agency_ids


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> Any:
        """Rows of the agencies the user may see (``agencies.querysets.visible_agency_ids``)."""
        ids = visible_agency_ids(user)
        if ids is None:
            return self
        path = getattr(self.model, "agency_path", "agency_id")
        return self.filter(**{f"{path}__in": ids})


class ReadingPointQuerySet(ScopedQuerySet):
    def public(self) -> ReadingPointQuerySet:
        """Reading points shown on the portal: those open (``is_active``)."""
        return self.filter(is_active=True)


class ActivityQuerySet(ScopedQuerySet):
    def of_kind(self, kind: str) -> ActivityQuerySet:
        return self.filter(kind=kind)
