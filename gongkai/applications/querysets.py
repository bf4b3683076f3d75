"""Visibility and work-queue filters for applications."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models


class ApplicationQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> ApplicationQuerySet:
        """Applications a staff user may see in the console.

        Criteria: the user holds any membership role in the application's agency, or a
        region-wide role (指导科/网管科) covering it. The three administrators see none —
        applications carry personal data and none of their duties needs it.
        """
        from gongkai.agencies.querysets import visible_agency_ids

        if user is None or not user.is_authenticated or user.admin_role:
            return self.none()
        ids = visible_agency_ids(user)
        if ids is None:  # pragma: no cover - only administrators get None, excluded above
            return self.none()
        return self.filter(agency_id__in=ids)

    def open(self) -> ApplicationQuerySet:
        """Not yet closed and not waiting only for service (待确认 … 待缴费)."""
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def clock_running(self) -> ApplicationQuerySet:
        """Open applications whose statutory clock has started (received_on is set)."""
        return self.filter(status__in=self.model.CLOCK_STATUSES, received_on__isnull=False)

    def overdue(self, today: dt.date) -> ApplicationQuerySet:
        """Open applications whose due date lies before ``today``."""
        return self.clock_running().filter(due_on__lt=today)

    def due_soon(self, today: dt.date, until: dt.date) -> ApplicationQuerySet:
        """Open applications due between ``today`` and ``until`` (inclusive)."""
        return self.clock_running().filter(due_on__gte=today, due_on__lte=until)
