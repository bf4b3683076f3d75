"""Visibility of calendar rows."""

from __future__ import annotations

from typing import Any

from django.db import models


class ExceptionDayQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> ExceptionDayQuerySet:
        """Rows the user may manage in the console: all for the system administrator,
        none for everyone else (the calendar is national data, not agency data)."""
        if getattr(user, "is_authenticated", False) and user.is_system_admin:
            return self.all()
        return self.none()

    def in_year(self, year: int) -> ExceptionDayQuerySet:
        return self.filter(date__year=year)
