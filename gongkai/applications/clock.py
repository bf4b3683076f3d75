"""The application's statutory clock: its events → ``workdays.deadlines.compute_deadline``.

Nothing here counts days itself; it only translates an application's recorded events
into the engine's inputs:

1. ``received_on`` — the Art 31 receipt date (null until confirmed: no clock yet).
2. ``restart_on`` — the day the corrected application arrived (Art 30: the clock restarts).
3. ``pauses`` — consultation periods (Art 32/34) and the fee-payment window; an open
   pause ends today at the latest for display, and a consultation whose 15 working days
   (counted from the party's receipt of the letter) ran out without an answer ends on its
   own due date (the time after it counts again); while the receipt date is unknown the
   pause stays open.
4. ``extension_workdays`` — only once approved by the office head (Art 33).
5. ``delayed_due_on`` — an Art 35 reasonable delayed deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone


def engine_inputs(application: Any, *, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    pauses: list[tuple[dt.date, dt.date | None, str]] = []
    if application.pk:
        for c in application.consultations.all():
            end = c.answered_on
            if end is None and c.received_on is not None and c.due_on < today:
                end = c.due_on  # the party's 15 working days from its receipt ran out
            label = "征求第三方意见" if c.kind == "third_party" else "征求其他机关意见"
            pauses.append((c.sent_on, end, f"{label}：{c.party}"))
    if application.fee_notified_on:
        end = application.fee_paid_on
        if end is None and application.fee_due_on and application.fee_due_on < today:
            end = application.fee_due_on
        pauses.append((application.fee_notified_on, end, "等待缴纳信息处理费"))
    return {
        "received_on": application.received_on,
        "restart_on": application.correction_received_on,
        "pauses": tuple(sorted(pauses, key=lambda p: p[0])),
        "extension_workdays": application.extension_workdays
        if application.extension_approved_at
        else 0,
        "correction_requested_on": application.correction_requested_on,
        "delayed_due_on": application.delayed_due_on,
        "today": today,
    }


def compute(application: Any, *, today: dt.date | None = None) -> Any:
    """The engine's ``DeadlineResult`` for ``application`` (None before receipt).

    Raises ``CalendarMissingError`` when a needed year has no calendar data.
    """
    from gongkai.workdays.deadlines import compute_deadline

    if application.received_on is None:
        return None
    return compute_deadline(**engine_inputs(application, today=today))


def final_due(result: Any) -> dt.date | None:
    if result is None:
        return None
    return result.final_due_on
