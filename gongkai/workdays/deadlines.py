"""The statutory reply deadline of a 依申请公开 application, computed from its events.

Rules (reference/regulation.md §1.2, §1.4; 条例 2019 Arts 30–35, 2008 Art 24):

* Era: an application received before 2019-05-15 follows the 2008 条例 (国务院令第492号):
  15 working days, one extension of at most 15, no 7-working-day 补正 rule. From
  2019-05-15 the 2019 条例 (国务院令第711号): 20 + at most 20, and the 补正 notice is due
  within 7 working days of receipt (Art 30).
* Counting: the start day (receipt, or receipt of the corrected application — Art 30's
  restart) is day 0; the period ends on the n-th working day strictly after it.
* Pauses: each ``(A, B)`` pair (inclusive dates; optionally ``(A, B, label)``) marks time
  that does not count — third-party consultation (Art 32), inter-agency consultation
  (Art 34), waiting for a fee. Working days ``d`` with ``A <= d <= B`` are skipped.
  **An open pause** (``B is None``) means the clock is still stopped: it is treated as
  lasting through ``today`` (or through ``A`` if that is later), so the result is the
  earliest date the reply can fall due if the pause ended today; ``pause_open`` is set and
  the explanation says the date moves on while the pause lasts.
* Extension: one, of at most the era's cap, counted on from the base period (pauses that
  fall in it are skipped as well).
* Art 35 (2019 era only): an agency-set reasonable delayed deadline (``delayed_due_on``)
  replaces the statutory one as ``final_due_on``; it may not be earlier than it.

Days in a year without calendar data raise ``calendar.CalendarMissingError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from gongkai.workdays import calendar
from gongkai.workdays.calendar import ONE_DAY

ERA_2019_FROM = dt.date(2019, 5, 15)
WEEKDAYS = "一二三四五六日"


class DeadlineInputError(ValueError):
    """Inconsistent events (a pause ending before it starts, an extension above the cap …).
    The message is Chinese and can be shown to the user."""


@dataclass(frozen=True)
class Era:
    code: str
    base_workdays: int
    extension_cap: int
    correction_notice_workdays: int | None
    law: str


ERA_2008 = Era(
    "2008",
    15,
    15,
    None,
    "2008年5月1日施行的《中华人民共和国政府信息公开条例》（国务院令第492号）第二十四条",
)
ERA_2019 = Era(
    "2019",
    20,
    20,
    7,
    "2019年修订的《中华人民共和国政府信息公开条例》（国务院令第711号）第三十三条",
)


def era_for(received_on: dt.date) -> Era:
    return ERA_2019 if received_on >= ERA_2019_FROM else ERA_2008


@dataclass
class DeadlineResult:
    era: str
    received_on: dt.date
    start_on: dt.date
    due_on: dt.date
    extended_due_on: dt.date | None
    final_due_on: dt.date
    correction_notice_due_on: dt.date | None
    paused_workdays: int
    explanation: list[str] = field(default_factory=list)
    pause_open: bool = False

    def as_json(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, dt.date):
                data[key] = value.isoformat()
        return data


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日（星期{WEEKDAYS[d.weekday()]}）"


def _short(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


@dataclass(frozen=True)
class _Pause:
    start: dt.date
    end: dt.date
    labels: tuple[str, ...]


def _normalise_pauses(pauses: Iterable[Sequence[Any]], today: dt.date) -> tuple[list[_Pause], bool]:
    """Validate, close open pauses at ``today`` and merge overlapping/adjacent ones."""
    items: list[_Pause] = []
    open_seen = False
    for raw in pauses:
        if len(raw) not in (2, 3):
            raise DeadlineInputError("暂停期间应为（开始日期，结束日期）。")
        start, end = raw[0], raw[1]
        label = str(raw[2]) if len(raw) == 3 and raw[2] else ""
        if not isinstance(start, dt.date) or (end is not None and not isinstance(end, dt.date)):
            raise DeadlineInputError("暂停期间的日期格式不正确。")
        if end is None:
            open_seen = True
            end = max(start, today)
        elif end < start:
            raise DeadlineInputError(
                f"暂停期间的结束日期（{end.isoformat()}）早于开始日期（{start.isoformat()}）。"
            )
        items.append(_Pause(start, end, (label,) if label else ()))
    items.sort(key=lambda p: p.start)
    merged: list[_Pause] = []
    for p in items:
        if merged and p.start <= merged[-1].end + ONE_DAY:
            last = merged[-1]
            merged[-1] = _Pause(last.start, max(last.end, p.end), last.labels + p.labels)
        else:
            merged.append(p)
    return merged, open_seen


def _count(
    start: dt.date, n: int, pauses: list[_Pause]
) -> tuple[dt.date, int, list[tuple[_Pause, int]]]:
    """The n-th counted working day after ``start`` when pause days do not count.

    Returns (due date, paused working days, [(pause, its skipped working days)]). Each
    step is O(log n): jump to the candidate date; if a pause starts on or before it, spend
    the working days before the pause and continue after its end.
    """
    cur, remaining, skipped = start, n, 0
    applied: list[tuple[_Pause, int]] = []
    for p in pauses:
        if p.end <= cur:
            continue
        a = max(p.start, cur + ONE_DAY)
        candidate = calendar.add_workdays(cur, remaining)
        if candidate < a:
            break
        remaining -= calendar.workdays_between(cur, a - ONE_DAY)
        wd = calendar.workdays_between(a - ONE_DAY, p.end)
        skipped += wd
        applied.append((p, wd))
        cur = p.end
    return calendar.add_workdays(cur, remaining), skipped, applied


def _holiday_sentences(a: dt.date, b: dt.date) -> list[str]:
    """Plain sentences about the rest holidays and 调休 working days in ``(a, b]``."""
    rest: list[list[Any]] = []  # [name, first, last]
    work: list[dt.date] = []
    for day, kind, name in calendar.exceptions_between(a, b):
        if kind == "work":
            work.append(day)
        elif rest and rest[-1][0] == name and (day - rest[-1][2]).days == 1:
            rest[-1][2] = day
        else:
            rest.append([name, day, day])
    out = []
    if rest:
        spans = "；".join(
            f"{name}{_short(first)}" + (f"至{_short(last)}" if last != first else "")
            for name, first, last in rest
        )
        out.append(f"期间的法定节假日放假（不计为工作日）：{spans}。")
    if work:
        days = "、".join(f"{_short(d)}（星期{WEEKDAYS[d.weekday()]}）" for d in work)
        out.append(f"期间的调休上班日计为工作日：{days}。")
    return out


def compute_deadline(
    *,
    received_on: dt.date,
    restart_on: dt.date | None = None,
    pauses: Iterable[Sequence[Any]] = (),
    extension_workdays: int = 0,
    correction_requested_on: dt.date | None = None,
    delayed_due_on: dt.date | None = None,
    today: dt.date | None = None,
) -> DeadlineResult:
    """The reply deadline and its step-by-step explanation (see the module docstring).

    1. Pick the era from ``received_on`` and validate the events against it.
    2. 补正 notice due date (2019 era): 7 working days after receipt.
    3. Start day: the restart date (corrected application received) or the receipt date.
    4. Base period: the era's working days after the start day, skipping pause days.
    5. Extension (if any): base + extension working days, skipping pause days.
    6. Art 35 delayed deadline (if any) overrides; ``final_due_on`` is what applies.
    """
    era = era_for(received_on)
    if today is None:
        from django.utils import timezone  # Beijing's date (TIME_ZONE), not the server's

        today = timezone.localdate()
    if restart_on is not None and restart_on < received_on:
        raise DeadlineInputError("收到补正申请的日期不得早于收到申请的日期。")
    if correction_requested_on is not None and correction_requested_on < received_on:
        raise DeadlineInputError("发出补正告知的日期不得早于收到申请的日期。")
    if isinstance(extension_workdays, bool) or not isinstance(extension_workdays, int):
        raise DeadlineInputError("延长的工作日数必须是整数。")
    if extension_workdays < 0:
        raise DeadlineInputError("延长的工作日数不能为负数。")
    if extension_workdays > era.extension_cap:
        raise DeadlineInputError(
            f"{era.code}年版条例规定延长答复期限最长不得超过{era.extension_cap}个工作日，"
            f"不能延长{extension_workdays}个工作日。"
        )
    if delayed_due_on is not None and era is ERA_2008:
        raise DeadlineInputError(
            "2008年版条例没有确定延迟答复期限的规定（第三十五条为2019年修订新增）。"
        )
    merged, pause_open = _normalise_pauses(pauses, today)

    lines = [
        f"收到申请之日为{cn_date(received_on)}，"
        + ("在2019年5月15日之前，" if era is ERA_2008 else "在2019年5月15日（含）之后，")
        + f"适用{era.law}：应当自收到申请之日起{era.base_workdays}个工作日内答复，"
        f"经政府信息公开工作机构负责人同意并告知申请人可延长一次，最长不超过{era.extension_cap}个工作日。"
    ]

    correction_due = None
    if era.correction_notice_workdays is not None:
        correction_due = calendar.add_workdays(received_on, era.correction_notice_workdays)
        lines.append(
            f"申请内容不明确需要补正的，应当自收到申请之日起{era.correction_notice_workdays}个工作日内"
            f"一次性告知申请人（第三十条），即最迟{cn_date(correction_due)}。"
        )
        if correction_requested_on is not None:
            on_time = correction_requested_on <= correction_due
            lines.append(
                f"补正告知于{cn_date(correction_requested_on)}发出，"
                + ("在法定期限内。" if on_time else "已超过法定的7个工作日期限。")
            )
    elif correction_requested_on is not None:
        lines.append(
            f"补正告知于{cn_date(correction_requested_on)}发出（2008年版条例对补正告知没有工作日时限）。"
        )

    start = restart_on or received_on
    if restart_on is not None:
        if era is ERA_2019:
            lines.append(
                f"{cn_date(restart_on)}收到补正后的申请，答复期限自该日起重新计算（第三十条）。"
            )
        else:
            lines.append(
                f"{cn_date(restart_on)}收到补正后的申请，答复期限自该日起重新计算"
                "（2008年版条例未作规定，按收到补正材料之日重新起算）。"
            )
    elif correction_requested_on is not None:
        lines.append(
            "尚未收到补正后的申请；收到后答复期限将自该日起重新计算，下面按原收到日期计算。"
        )
    lines.append(f"起算日{cn_date(start)}当日不计入，自次日起计算工作日。")

    due, skipped, applied = _count(start, era.base_workdays, merged)
    base_skipped = skipped
    final_statutory = due
    extended = None
    if extension_workdays:
        extended, skipped, applied = _count(start, era.base_workdays + extension_workdays, merged)
        final_statutory = extended

    for p, wd in applied:
        label = f"（{'、'.join(p.labels)}）" if p.labels else ""
        lines.append(
            f"{_short(p.start)}至{_short(p.end)}暂停计算{label}，"
            f"其中{wd}个工作日不计入期限（征求第三方或其他机关意见等所需时间不计算在期限内）。"
        )
    if pause_open:
        lines.append(
            f"有尚未结束的暂停，暂按暂停持续至{cn_date(today)}计算；暂停每多持续一个工作日，到期日相应顺延。"
        )
    lines.extend(_holiday_sentences(start, final_statutory))
    lines.append(
        f"第{era.base_workdays}个计算在内的工作日为{cn_date(due)}，即法定答复期限"
        + (f"（其间暂停的{base_skipped}个工作日不计入）。" if base_skipped else "。")
    )
    if extended is not None:
        lines.append(
            f"经批准延长{extension_workdays}个工作日，延长后的答复期限为{cn_date(extended)}"
            + (f"（暂停的{skipped}个工作日不计入）。" if skipped else "。")
        )
    final = final_statutory
    if delayed_due_on is not None:
        if delayed_due_on < final_statutory:
            raise DeadlineInputError(
                f"延迟答复期限（{delayed_due_on.isoformat()}）不得早于法定答复期限（{final_statutory.isoformat()}）。"
            )
        final = delayed_due_on
        lines.append(
            f"行政机关依第三十五条确定的延迟答复期限为{cn_date(delayed_due_on)}，以此为准。"
        )
    lines.append(f"最终答复期限：{cn_date(final)}。")

    return DeadlineResult(
        era=era.code,
        received_on=received_on,
        start_on=start,
        due_on=due,
        extended_due_on=extended,
        final_due_on=final,
        correction_notice_due_on=correction_due,
        paused_workdays=skipped,
        explanation=lines,
        pause_open=pause_open,
    )


def naive_due_date(
    start: dt.date, n: int, pauses: Iterable[tuple[dt.date, dt.date]] = ()
) -> dt.date:
    """Reference implementation: walk day by day (tests and the benchmark compare to it)."""
    spans = list(pauses)
    d, counted = start, 0
    while counted < n:
        d += ONE_DAY
        if calendar.is_workday(d) and not any(a <= d <= b for a, b in spans):
            counted += 1
    return d
