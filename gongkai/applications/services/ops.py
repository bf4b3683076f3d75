"""Calendar recompute hook, the outbox sender and the daily digest."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongkai.applications.models import (
    Application,
    OutboxMessage,
)
from gongkai.applications.services.common import (
    HANDLER_ROLES,
    _refresh_clock,
    _today,
)

# --- calendar hook and outbox ---------------------------------------------------------------


def recompute_open_deadlines(
    reason: str = "", today: dt.date | None = None
) -> list[tuple[str, dt.date | None, dt.date | None]]:
    """Recompute the cached due date of every open application (the workdays hook)."""
    moved = []
    for app in Application.objects.clock_running().select_related("agency"):
        old, new = _refresh_clock(app, today=today)
        if old != new:
            moved.append((app.number, old, new))
    return moved


def outbox_send(*, limit: int = 200, now: dt.datetime | None = None) -> int:
    """Send pending outbox messages (e-mail; SMS through the adapter when enabled)."""
    from django.core.mail import send_mail

    from gongkai.applications import sms

    now = now or timezone.now()
    sent = 0
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=5).order_by("pk")[
        :limit
    ]
    for msg_id in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            msg = (
                OutboxMessage.objects.select_for_update()
                .filter(pk=msg_id, sent_at__isnull=True)
                .first()
            )
            if msg is None:
                continue
            msg.attempts += 1
            try:
                if msg.channel == OutboxMessage.Channel.EMAIL:
                    send_mail(msg.subject, msg.body, None, [msg.to])
                else:
                    sms.get_backend().send(msg.to, msg.body)
                msg.sent_at = now
                msg.last_error = ""
                sent += 1
            except Exception as exc:  # noqa: BLE001 - a failing gateway is retried later
                msg.last_error = str(exc)[:300]
            msg.save(update_fields=["attempts", "sent_at", "last_error"])
    return sent


def digest_build(*, today: dt.date | None = None, days: int = 3) -> int:
    """Queue the daily digest: to each agency's handlers and office heads, the overdue and
    due-soon applications of their agency. Returns the number of messages queued."""
    from gongkai.accounts.models import Membership

    today = _today(today)
    until = today + dt.timedelta(days=days)
    queued = 0
    agencies = Application.objects.clock_running().values_list("agency_id", flat=True).distinct()
    for agency_id in set(agencies):
        qs = Application.objects.filter(agency_id=agency_id).select_related("agency")
        overdue = list(qs.overdue(today).order_by("due_on"))
        soon = list(qs.due_soon(today, until).order_by("due_on"))
        if not overdue and not soon:
            continue
        lines = [f"{today.isoformat()} 依申请公开办理提醒"]
        if overdue:
            lines.append(f"已超期 {len(overdue)} 件：")
            lines += [f"  {a.number} 答复期限 {a.due_on} {a.summary}" for a in overdue]
        if soon:
            lines.append(f"{days}日内到期 {len(soon)} 件：")
            lines += [f"  {a.number} 答复期限 {a.due_on} {a.summary}" for a in soon]
        body = "\n".join(lines)
        recipients = (
            Membership.objects.filter(
                agency_id=agency_id, role__in=list(HANDLER_ROLES), user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
            .distinct()
        )
        for email in recipients:
            subject = f"依申请公开每日提醒（{today.isoformat()}）"
            if OutboxMessage.objects.filter(to=email, subject=subject).exists():
                continue  # idempotent: one digest per person per day
            OutboxMessage.objects.create(to=email, subject=subject, body=body)
            queued += 1
    return queued
