"""Visibility, work queues and statistics filters of the 互动交流 records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from gongkai.agencies.querysets import visible_agency_ids


def _scoped(qs: Any, user: Any, path: str = "agency_id") -> Any:
    """Rows of the agencies a staff user may see; none for the audit administrator and the
    public (``agencies.querysets.visible_agency_ids``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    ids = visible_agency_ids(user)
    if ids is None:
        return qs
    return qs.filter(**{f"{path}__in": ids})


class QuestionQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> QuestionQuerySet:
        """留言 a staff user may see in the console.

        Criteria: the three administrators see none (留言 carry personal data); 指导科 and
        网管科 see every 留言 of their region, including those not yet routed (no agency);
        everyone else sees the 留言 routed to (or suggested for) an agency they belong to.
        """
        if user is None or not user.is_authenticated or user.admin_role:
            return self.none()
        ids = visible_agency_ids(user) or set()
        from gongkai.accounts.models import REGION_ROLES

        coordinator = any(m.role in REGION_ROLES for m in user.active_memberships)
        q = Q(agency_id__in=ids)
        if coordinator:
            q |= Q(agency__isnull=True)
        return self.filter(q)

    def public(self) -> QuestionQuerySet:
        """Published exchanges: answer approved, the citizen allowed publication, and the
        reviewer released it (status 已公开)."""
        return self.filter(status="published", published_at__isnull=False)

    def open(self) -> QuestionQuerySet:
        """Accepted and not yet answered (待分办, 办理中, 待审核)."""
        return self.filter(status__in=("submitted", "assigned", "answered"))

    def clock_running(self) -> QuestionQuerySet:
        """Open 留言 with a deadline (every open one: the clock starts on receipt)."""
        return self.open().filter(due_on__isnull=False)

    def overdue(self, today: dt.date) -> QuestionQuerySet:
        """Open 留言 whose answer deadline lies before ``today``."""
        return self.clock_running().filter(due_on__lt=today)

    def due_soon(self, today: dt.date, until: dt.date) -> QuestionQuerySet:
        """Open 留言 due between ``today`` and ``until`` (inclusive)."""
        return self.clock_running().filter(due_on__gte=today, due_on__lte=until)

    def received_in(self, year: int, month: int | None = None) -> QuestionQuerySet:
        """Accepted 留言 (not rejected) received in ``year`` (and ``month``)."""
        qs = self.exclude(status="rejected").filter(received_on__year=year)
        return qs.filter(received_on__month=month) if month else qs

    def answered(self) -> QuestionQuerySet:
        """留言 whose answer was released (published or answered without publication)."""
        return self.filter(status__in=("published", "replied"), answered_on__isnull=False)

    def answered_on_time(self) -> QuestionQuerySet:
        """Answered 留言 whose answer date is on or before the deadline.

        For 考核: ``Question.objects.received_in(2012).answered_on_time().count()`` divided by
        ``Question.objects.received_in(2012).answered().count()``."""
        return self.answered().filter(answered_on__lte=F("due_on"))

    def answered_late(self) -> QuestionQuerySet:
        return self.answered().filter(answered_on__gt=F("due_on"))


class InterpretationQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> InterpretationQuerySet:
        """Interpretations of the agencies the staff user may see."""
        return _scoped(self, user)  # type: ignore[no-any-return]

    def public(self, now: dt.datetime | None = None) -> InterpretationQuerySet:
        """Published (``published_at`` set and not in the future) and not withdrawn."""
        now = now or timezone.now()
        return self.filter(status="published", published_at__lte=now)


class ScheduledQuerySet(models.QuerySet):
    """Consultations, surveys and interviews: visible to staff by agency, to the public once
    published."""

    def for_user(self, user: Any) -> Any:
        """Rows of the agencies the staff user may see."""
        return _scoped(self, user)

    def public(self) -> Any:
        """Published (``is_published``); drafts never reach the portal."""
        return self.filter(is_published=True)


class ModeratedQuerySet(models.QuerySet):
    """Comments and interview questions: the public sees approved ones only."""

    def approved(self) -> Any:
        """Approved by a moderator (status 已通过)."""
        return self.filter(status="approved")

    def pending(self) -> Any:
        return self.filter(status="pending")
