"""Demo data: the calendar is real data, so the demo only makes sure 2004–2026 are seeded
(a flushed database, e.g. after ``flush``, gets the migration's rows back)."""

from __future__ import annotations

from typing import Any

from gongkai.workdays.models import CalendarYear, ExceptionDay
from gongkai.workdays.seed import ensure_seeded


def load(*, full: bool = False, out: Any = None) -> dict[str, int]:
    """Idempotent: inserts only missing seed rows."""
    added = ensure_seeded()
    result = {
        "years": CalendarYear.objects.count(),
        "days": ExceptionDay.objects.count(),
        "added": added,
    }
    if out is not None:
        out.write(f"工作日历：{result['years']}个年度，{result['days']}个调整日（新增{added}）。\n")
    return result
