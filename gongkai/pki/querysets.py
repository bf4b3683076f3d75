"""Visibility of certificate applications and certificates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from gongkai.agencies.querysets import visible_agency_ids


class CertApplicationQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> CertApplicationQuerySet:
        """Applications of the agencies the user may see (``visible_agency_ids``), plus the
        user's own applications (as the certificate holder); all of them for the security
        administrator, who administers certificates (三员分立)."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_security_admin:
            return self
        ids = visible_agency_ids(user)
        if ids is None:
            return self
        return self.filter(models.Q(agency_id__in=ids) | models.Q(person=user))

    def open(self) -> CertApplicationQuerySet:
        return self.exclude(status__in=["archived", "rejected"])


class CertificateQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> CertificateQuerySet:
        """Certificates of the agencies the user may see, plus the user's own; all of them
        for the security administrator."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_security_admin:
            return self
        ids = visible_agency_ids(user)
        if ids is None:
            return self
        return self.filter(models.Q(agency_id__in=ids) | models.Q(user=user))

    def valid(self, now: dt.datetime | None = None) -> CertificateQuerySet:
        """Active (not revoked) and inside the validity period at ``now``."""
        now = now or timezone.now()
        return self.filter(status="active", not_before__lte=now, not_after__gte=now)

    def expiring(self, *, within_days: int, now: dt.datetime | None = None) -> CertificateQuerySet:
        """Valid certificates whose ``not_after`` falls within the next ``within_days``."""
        now = now or timezone.now()
        return self.valid(now).filter(not_after__lte=now + dt.timedelta(days=within_days))
