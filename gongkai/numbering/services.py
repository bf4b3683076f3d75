"""Allocating numbers that never collide and never skip.

``counter_next`` must be called inside the transaction that stores the numbered object:
the counter row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE
transactions serialise writers), so concurrent callers queue, and a rollback returns the
number, which keeps the sequence gap-free.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from gongkai.numbering.models import Counter


def counter_next(*, scope: str, period: str, agency: Any = None) -> int:
    """Return the next number (1, 2, 3 …) of ``scope`` for ``agency`` in ``period``."""
    return counter_next_block(scope=scope, period=period, agency=agency, count=1)


def counter_next_block(*, scope: str, period: str, agency: Any = None, count: int) -> int:
    """Reserve ``count`` consecutive numbers (bulk imports) and return the first of them."""
    if not connection.in_atomic_block:
        raise RuntimeError(
            "counter_next must run inside transaction.atomic() with the numbered object."
        )
    if count < 1:
        raise ValueError("count must be positive")
    agency_id = getattr(agency, "pk", agency)
    with transaction.atomic():
        Counter.objects.bulk_create(
            [Counter(scope=scope, agency_id=agency_id, period=period, value=0)],
            ignore_conflicts=True,
        )
        counter = Counter.objects.select_for_update().get(
            scope=scope, agency_id=agency_id, period=period
        )
        first = counter.value + 1
        counter.value += count
        counter.save(update_fields=["value"])
        return first


def counter_peek(*, scope: str, period: str, agency: Any = None) -> int:
    """The last number handed out (0 when none), without allocating."""
    agency_id = getattr(agency, "pk", agency)
    row = (
        Counter.objects.filter(scope=scope, agency_id=agency_id, period=period)
        .values_list("value", flat=True)
        .first()
    )
    return row or 0
