"""Working-day arithmetic over the calendar table (the one module that does it).

工作日 = Monday–Friday, minus the 法定节假日 rest days, plus the 调休 make-up working days
of each year's 国务院办公厅 notice (``ExceptionDay`` rows). Years without a
``CalendarYear`` row have no data: every function below fails closed with
``CalendarMissingError`` instead of guessing.

Speed: the calendar is compiled once per process into a sorted array of the ordinals of
all working days of the covered years (``_Index``). ``add_workdays`` and
``workdays_between`` are then two binary searches, ``is_workday`` a dict/set lookup. The
index carries the calendar version (``CalendarVersion``); the process re-reads that one
row at most every ``WORKDAYS_VERSION_CHECK_SECONDS`` (default 2 s) and rebuilds when
another process changed the calendar. The services of this app drop the index of their
own process at once.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from django.conf import settings

ONE_DAY = dt.timedelta(days=1)


class CalendarMissingError(Exception):
    """A computation needs a day of a year for which no holiday notice was entered."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的节假日安排尚未录入工作日历，无法计算工作日。"
            f"请系统管理员根据《国务院办公厅关于{year}年部分节假日安排的通知》录入{year}年数据。"
        )


@dataclass(frozen=True)
class _Index:
    version: int
    years: frozenset[int]
    min_year: int
    max_year: int
    gaps: tuple[int, ...]  # years between min_year and max_year without data, sorted
    ords: tuple[int, ...]  # ordinals of every working day of the covered years, sorted
    workday_set: frozenset[int]
    exceptions: dict[int, tuple[str, str]]  # ordinal -> (kind, name)
    exception_ords: tuple[int, ...]  # sorted keys of ``exceptions``

    def first_missing_year(self, first: int, last: int) -> int | None:
        """The first year in ``first..last`` without data, else None (O(log n))."""
        if not self.years:
            return first
        if first < self.min_year:
            return first
        i = bisect_left(self.gaps, first)
        if i < len(self.gaps) and self.gaps[i] <= last:
            return self.gaps[i]
        if last > self.max_year:
            return max(first, self.max_year + 1)
        return None

    def require(self, first: int, last: int) -> None:
        missing = self.first_missing_year(first, last)
        if missing is not None:
            raise CalendarMissingError(missing)


_lock = threading.Lock()
_index: _Index | None = None
_checked_at = 0.0


def _current_version() -> int:
    from gongkai.workdays.models import CalendarVersion

    row = CalendarVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(row or 0)


def _build(version: int) -> _Index:
    from gongkai.workdays.models import CalendarYear, DayKind, ExceptionDay

    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    exceptions: dict[int, tuple[str, str]] = {
        d.toordinal(): (kind, name)
        for d, kind, name in ExceptionDay.objects.values_list("date", "kind", "name")
    }
    if not years:
        return _Index(
            version, years, 0, -1, (), (), frozenset(), exceptions, tuple(sorted(exceptions))
        )
    min_year, max_year = min(years), max(years)
    ords: list[int] = []
    for year in sorted(years):
        start = dt.date(year, 1, 1).toordinal()
        end = dt.date(year, 12, 31).toordinal()
        for o in range(start, end + 1):
            exc = exceptions.get(o)
            if exc is not None:
                if exc[0] == DayKind.WORK:
                    ords.append(o)
            elif (o - 1) % 7 < 5:  # date.fromordinal(1) is a Monday
                ords.append(o)
    gaps = tuple(y for y in range(min_year, max_year + 1) if y not in years)
    return _Index(
        version,
        years,
        min_year,
        max_year,
        gaps,
        tuple(ords),
        frozenset(ords),
        exceptions,
        tuple(sorted(exceptions)),
    )


def _get_index() -> _Index:
    """The process-wide index, rebuilt when the stored calendar version moved."""
    global _index, _checked_at
    idx = _index
    now = time.monotonic()
    interval = float(getattr(settings, "WORKDAYS_VERSION_CHECK_SECONDS", 2.0))
    if idx is not None and now - _checked_at < interval:
        return idx
    with _lock:
        version = _current_version()
        if _index is None or _index.version != version:
            _index = _build(version)
        _checked_at = now
        return _index


def invalidate() -> None:
    """Drop this process's index (the next call rebuilds it from the table)."""
    global _index, _checked_at
    with _lock:
        _index = None
        _checked_at = 0.0


def covered_years() -> frozenset[int]:
    """The years that have calendar data."""
    return _get_index().years


def has_year(year: int) -> bool:
    return year in _get_index().years


def is_workday(d: dt.date) -> bool:
    """True if ``d`` is a working day (fails closed for a year without data)."""
    idx = _get_index()
    idx.require(d.year, d.year)
    return d.toordinal() in idx.workday_set


def exception_for(d: dt.date) -> tuple[str, str] | None:
    """``(kind, name)`` if ``d`` is a rest holiday or a 调休 working day, else None."""
    return _get_index().exceptions.get(d.toordinal())


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day strictly after ``start`` (``n == 0`` returns ``start``).

    ``start`` itself may be a rest day: counting begins the day after it either way. Only
    the years of the days after ``start`` up to the result need data.
    """
    if n < 0:
        raise ValueError("工作日数不能为负数。")
    if n == 0:
        return start
    idx = _get_index()
    first_year = (start + ONE_DAY).year
    s = start.toordinal()
    pos = bisect_right(idx.ords, s) + n - 1
    if pos >= len(idx.ords):
        missing = idx.first_missing_year(first_year, 10_000)
        raise CalendarMissingError(missing if missing is not None else idx.max_year + 1)
    target = idx.ords[pos]
    result = dt.date.fromordinal(target)
    idx.require(first_year, result.year)
    return result


def workdays_between(a: dt.date, b: dt.date) -> int:
    """Number of working days ``d`` with ``a < d <= b`` (0 when ``b <= a``)."""
    if b <= a:
        return 0
    idx = _get_index()
    idx.require((a + ONE_DAY).year, b.year)
    return bisect_right(idx.ords, b.toordinal()) - bisect_right(idx.ords, a.toordinal())


def exceptions_between(a: dt.date, b: dt.date) -> list[tuple[dt.date, str, str]]:
    """Exception days ``d`` with ``a < d <= b`` as ``(date, kind, name)``, in order."""
    idx = _get_index()
    lo = bisect_right(idx.exception_ords, a.toordinal())
    hi = bisect_right(idx.exception_ords, b.toordinal())
    return [(dt.date.fromordinal(o), *idx.exceptions[o]) for o in idx.exception_ords[lo:hi]]
