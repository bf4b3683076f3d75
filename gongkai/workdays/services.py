"""Writes to the working-day calendar. Each is atomic, audited, bumps the calendar
version and then lets other apps recompute their due dates (``hooks``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from gongkai.audit.services import audit_log, diff
from gongkai.lib import tabular
from gongkai.workdays import calendar
from gongkai.workdays.hooks import run_recompute_hooks
from gongkai.workdays.models import CalendarVersion, CalendarYear, DayKind, ExceptionDay

CSV_MAX_ROWS = 200
CSV_MAX_BYTES = 64 * 1024
KIND_WORDS = {
    "休": DayKind.REST,
    "休息": DayKind.REST,
    "放假": DayKind.REST,
    "rest": DayKind.REST,
    "holiday": DayKind.REST,
    "班": DayKind.WORK,
    "上班": DayKind.WORK,
    "调休上班": DayKind.WORK,
    "work": DayKind.WORK,
    "workday": DayKind.WORK,
}
HEADERS = {
    "date": "date",
    "日期": "date",
    "kind": "kind",
    "类型": "kind",
    "name": "name",
    "名称": "name",
    "节日名称": "name",
}


class CalendarError(Exception):
    """A refused calendar change; the message is Chinese and shown to the user."""


@dataclass(frozen=True)
class DayRow:
    date: dt.date
    kind: str
    name: str


def _guard_actor(by: Any) -> None:
    if by is not None and not getattr(by, "is_system_admin", False):
        raise CalendarError("只有系统管理员可以修改工作日历。")


def _lock_calendar() -> CalendarVersion:
    """Lock the version row first: every calendar change is serialised on it, so two
    concurrent imports of one year (or adds of one date) cannot both pass their guards."""
    row, _ = CalendarVersion.objects.select_for_update().get_or_create(pk=1)
    return row


def _bump_version() -> int:
    row = _lock_calendar()
    row.version += 1
    row.save(update_fields=["version", "changed_at"])
    return row.version


def _after_change(*, reason: str, by: Any) -> None:
    """Inside the change's transaction: new version, fresh index, recompute, audit."""
    _bump_version()
    calendar.invalidate()
    run_recompute_hooks(reason=reason, actor=by)
    # Also after commit: a hook may have rebuilt the index before the commit.
    transaction.on_commit(calendar.invalidate)


def _atomic_change(fn: Any) -> Any:
    """Run ``fn`` in a transaction; drop the index if it rolls back (it may hold
    uncommitted data built by a hook)."""
    try:
        with transaction.atomic():
            _lock_calendar()
            return fn()
    except BaseException:
        calendar.invalidate()
        raise


def check_day(day: dt.date, kind: str, name: str) -> list[str]:
    """Single-day rules shared by the form, the CSV import and the services."""
    errors = []
    if kind not in DayKind.values:
        errors.append("类型必须是“休息”或“上班”。")
    if kind == DayKind.WORK and day.weekday() < 5:
        errors.append(
            f"{day.isoformat()}是星期{'一二三四五'[day.weekday()]}，本来就是工作日，不能登记为调休上班日。"
        )
    if not name.strip():
        errors.append("节日名称不能为空。")
    elif len(name.strip()) > 60:
        errors.append("节日名称不能超过60个字。")
    return errors


def exception_day_create(
    *, date: dt.date, kind: str, name: str, notice: str, notice_url: str = "", by: Any = None
) -> ExceptionDay:
    """Add one exception day to a year that already has data (a correction or a
    supplementary notice, e.g. the 2020 Spring Festival extension)."""
    _guard_actor(by)
    errors = check_day(date, kind, name)
    if errors:
        raise CalendarError("".join(errors))
    if not notice.strip():
        raise CalendarError("请填写来源通知。")

    def change() -> ExceptionDay:
        if not CalendarYear.objects.filter(year=date.year).exists():
            raise CalendarError(
                f"{date.year}年尚无日历数据，请先用“导入年度”录入该年度通知的全部安排。"
            )
        if ExceptionDay.objects.select_for_update().filter(date=date).exists():
            raise CalendarError(f"{date.isoformat()}已有记录，请编辑该记录。")
        day = ExceptionDay.objects.create(
            date=date, kind=kind, name=name.strip(), notice=notice.strip(), notice_url=notice_url
        )
        audit_log(
            "workdays.day.created",
            obj=day,
            actor=by,
            changes={"date": [None, date], "kind": [None, kind], "name": [None, day.name]},
        )
        _after_change(
            reason=f"新增{date.isoformat()}（{day.name}，{day.get_kind_display()}）", by=by
        )
        return day

    return _atomic_change(change)


def exception_day_update(
    *, day: ExceptionDay, kind: str, name: str, notice: str, notice_url: str = "", by: Any = None
) -> ExceptionDay:
    """Change the kind, name or source of an exception day (its date is fixed)."""
    _guard_actor(by)
    errors = check_day(day.date, kind, name)
    if errors:
        raise CalendarError("".join(errors))
    if not notice.strip():
        raise CalendarError("请填写来源通知。")

    def change() -> ExceptionDay:
        locked = ExceptionDay.objects.select_for_update().get(pk=day.pk)
        fields = ["kind", "name", "notice", "notice_url"]
        old = {f: getattr(locked, f) for f in fields}
        new = {
            "kind": kind,
            "name": name.strip(),
            "notice": notice.strip(),
            "notice_url": notice_url,
        }
        changes = diff(old, new)
        if not changes:
            raise CalendarError("没有需要保存的修改。")
        for f, v in new.items():
            setattr(locked, f, v)
        locked.save(update_fields=[*fields, "updated_at"])
        audit_log("workdays.day.updated", obj=locked, actor=by, changes=changes)
        if "kind" in changes:
            _after_change(reason=f"{locked.date.isoformat()}改为{locked.get_kind_display()}", by=by)
        return locked

    return _atomic_change(change)


def exception_day_delete(*, day: ExceptionDay, by: Any = None) -> None:
    """Remove an exception day (the date falls back to the plain weekday/weekend rule)."""
    _guard_actor(by)

    def change() -> None:
        locked = ExceptionDay.objects.select_for_update().filter(pk=day.pk).first()
        if locked is None:
            raise CalendarError("该记录已被删除。")
        audit_log(
            "workdays.day.deleted",
            obj=locked,
            actor=by,
            changes={"kind": [locked.kind, None], "name": [locked.name, None]},
        )
        date = locked.date
        locked.delete()
        _after_change(reason=f"删除{date.isoformat()}的节假日调整", by=by)

    _atomic_change(change)


def calendar_csv_parse(data: bytes | str, *, year: int) -> tuple[list[DayRow], list[str]]:
    """Parse the upload of one year's notice. Returns (rows, errors); any error means
    nothing may be imported.

    Format: a header line ``日期,类型,名称`` (or ``date,kind,name``), then one line per
    exception day: ``2027-02-06,休息,春节``. 类型 is 休息/放假/rest or 上班/班/work. Dates
    belong to ``year``; late December of the year before and January of the year after are
    allowed for cross-year arrangements (2011-12-31 was a working day of the 2012 notice).
    """
    if isinstance(data, bytes) and len(data) > CSV_MAX_BYTES:
        return [], [f"文件过大（最多{CSV_MAX_BYTES // 1024}KB）。"]

    def check_header(cells: list[str]) -> None:
        if sorted(h for h in (HEADERS.get(c.strip().lower()) for c in cells) if h) != [
            "date",
            "kind",
            "name",
        ]:
            raise tabular.TabularError("第1行：表头应为“日期,类型,名称”（或 date,kind,name）。")

    try:
        table = tabular.read_csv(
            data.strip() if isinstance(data, str) else data,
            max_rows=CSV_MAX_ROWS,
            check_header=check_header,
        )
    except tabular.TabularError as exc:
        message = str(exc)
        if message.startswith("文件为空"):
            message = "文件为空：第一行应为表头“日期,类型,名称”，其后每行一天。"
        return [], [message]
    header = [HEADERS.get(cell.strip().lower()) for cell in table.header]
    col = {h: i for i, h in enumerate(header) if h}
    lo, hi = dt.date(year - 1, 12, 1), dt.date(year + 1, 1, 31)
    rows: list[DayRow] = []
    errors: list[str] = []
    seen: dict[dt.date, int] = {}
    for lineno, line in enumerate(table.rows, start=2):
        cells = [str(c).strip() for c in line] + [""] * 3
        raw_date, raw_kind, name = cells[col["date"]], cells[col["kind"]], cells[col["name"]]
        try:
            day = dt.date.fromisoformat(raw_date)
        except ValueError:
            errors.append(f"第{lineno}行：日期“{raw_date}”无效，应为 YYYY-MM-DD 格式的真实日期。")
            continue
        kind = KIND_WORDS.get(raw_kind.lower())
        if kind is None:
            errors.append(f"第{lineno}行：类型“{raw_kind}”无效，应为“休息”或“上班”。")
            continue
        if not lo <= day <= hi:
            errors.append(f"第{lineno}行：日期{day.isoformat()}不属于{year}年的安排。")
            continue
        if day in seen:
            errors.append(f"第{lineno}行：日期{day.isoformat()}与第{seen[day]}行重复。")
            continue
        seen[day] = lineno
        problems = check_day(day, kind, name)
        if problems:
            errors.append(f"第{lineno}行：" + "".join(problems))
            continue
        rows.append(DayRow(day, kind, name))
    if not rows and not errors:
        errors.append("文件中没有任何节假日安排。")
    if rows and not errors and not any(r.date.year == year for r in rows):
        errors.append(f"文件中没有{year}年的日期。")
    return rows, errors


def calendar_year_import(
    *, year: int, notice: str, notice_url: str = "", rows: list[DayRow], by: Any = None
) -> CalendarYear:
    """Add a year from its notice: all rows or none. After this the year counts as having
    data (computations that touch it stop failing)."""
    _guard_actor(by)
    if not 2000 <= year <= 2100:
        raise CalendarError("年度应在2000至2100之间。")
    if not notice.strip():
        raise CalendarError("请填写来源通知。")
    if not rows:
        raise CalendarError("没有可导入的节假日安排。")
    problems = [
        f"{r.date.isoformat()}：{p}" for r in rows for p in check_day(r.date, r.kind, r.name)
    ]
    if problems:
        raise CalendarError("；".join(problems))

    def change() -> CalendarYear:
        if CalendarYear.objects.select_for_update().filter(year=year).exists():
            raise CalendarError(f"{year}年已有日历数据，如需更正请逐日编辑。")
        existing = {
            d.date: d
            for d in ExceptionDay.objects.select_for_update().filter(
                date__in=[r.date for r in rows]
            )
        }
        conflicts = [
            f"{r.date.isoformat()}已登记为“{existing[r.date].name}（{existing[r.date].get_kind_display()}）”"
            for r in rows
            if r.date in existing
            and (existing[r.date].kind, existing[r.date].name) != (r.kind, r.name)
        ]
        if conflicts:
            raise CalendarError("与已有记录冲突：" + "；".join(conflicts) + "。")
        record = CalendarYear.objects.create(
            year=year, notice=notice.strip(), notice_url=notice_url
        )
        ExceptionDay.objects.bulk_create(
            [
                ExceptionDay(
                    date=r.date,
                    kind=r.kind,
                    name=r.name,
                    notice=record.notice,
                    notice_url=notice_url,
                )
                for r in rows
                if r.date not in existing
            ]
        )
        audit_log(
            "workdays.year.imported",
            obj=record,
            actor=by,
            changes={"year": [None, year], "days": [None, len(rows)]},
            message=f"导入{year}年节假日安排{len(rows)}天（{record.notice}）。",
        )
        _after_change(reason=f"导入{year}年节假日安排", by=by)
        return record

    return _atomic_change(change)
