"""Visibility and work-queue querysets of the publishing app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from gongkai.agencies.querysets import visible_agency_ids

# Art 18: withheld information is re-assessed periodically (yearly by default).
WITHHELD_REVIEW_DAYS = 365


def _scope(qs: models.QuerySet, user: Any, field: str) -> models.QuerySet:
    if user is None or not user.is_authenticated or user.is_audit_admin:
        return qs.none()
    ids = visible_agency_ids(user)
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


class CatalogItemQuerySet(models.QuerySet):
    def public(self, now: dt.datetime | None = None) -> CatalogItemQuerySet:
        """What the public sees: status published (published_at ≤ now), not withdrawn, not
        expired (expire_at empty or in the future) and 公开方式 = 主动公开."""
        now = now or timezone.now()
        return self.filter(
            status="published",
            published_at__lte=now,
            withdrawn_at__isnull=True,
            disclosure_mode="proactive",
        ).filter(models.Q(expire_at__isnull=True) | models.Q(expire_at__gt=now))

    def for_user(self, user: Any) -> CatalogItemQuerySet:
        """Items of the agencies the staff user may see (``visible_agency_ids``); none for
        the audit administrator and the public."""
        return _scope(self, user, "agency_id")  # type: ignore[return-value]

    def late(self) -> CatalogItemQuerySet:
        """Published items whose formation→publication took more than 20 working days."""
        from gongkai.publishing.models import PUBLISH_LIMIT_WORKDAYS

        return self.filter(publish_workdays__gt=PUBLISH_LIMIT_WORKDAYS)

    def withheld_review_due(self, today: dt.date | None = None) -> CatalogItemQuerySet:
        """Published (catalogued) withheld or on-request items not re-assessed in the last
        year (Art 18 queue)."""
        today = today or timezone.localdate()
        cutoff = today - dt.timedelta(days=WITHHELD_REVIEW_DAYS)
        return (
            self.exclude(disclosure_mode="proactive")
            .filter(status="published")
            .filter(
                models.Q(withheld_reviewed_on__isnull=True)
                | models.Q(withheld_reviewed_on__lte=cutoff)
            )
        )


class RevisionQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> RevisionQuerySet:
        """Revisions of items the user may see."""
        return _scope(self, user, "item__agency_id")  # type: ignore[return-value]


class ChangeRequestQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> ChangeRequestQuerySet:
        """Change requests of items the user may see (指导科/网管科 see their region)."""
        return _scope(self, user, "item__agency_id")  # type: ignore[return-value]

    def open(self) -> ChangeRequestQuerySet:
        return self.exclude(status__in=["verified", "refused"])


class GuideQuerySet(models.QuerySet):
    def current_for(self, agency: Any) -> Any:
        """The newest version of the agency's 公开指南, or ``None`` when it has none."""
        return self.filter(agency=agency).order_by("-version").first()

    def for_user(self, user: Any) -> GuideQuerySet:
        return _scope(self, user, "agency_id")  # type: ignore[return-value]
