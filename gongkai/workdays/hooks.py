"""Recompute hooks: other apps re-derive their stored due dates after a calendar change.

An app registers ``fn(reason: str) -> list[tuple[label, old_due, new_due]]`` once (from its
``AppConfig.ready``). After every calendar change the workdays services call every hook
inside the change's transaction (each in its own savepoint) and write ONE audit entry
(``workdays.recomputed``) listing what moved. A hook that fails is rolled back to its
savepoint and reported in that entry; it never blocks the calendar change.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from gongkai.audit.services import audit_log

logger = logging.getLogger(__name__)

Moved = tuple[str, dt.date | None, dt.date | None]
RecomputeHook = Callable[..., list[Moved]]

_hooks: list[RecomputeHook] = []


def register_recompute_hook(fn: RecomputeHook) -> RecomputeHook:
    """Register ``fn`` (idempotent; usable as a decorator)."""
    if fn not in _hooks:
        _hooks.append(fn)
    return fn


def unregister_recompute_hook(fn: RecomputeHook) -> None:
    if fn in _hooks:
        _hooks.remove(fn)


def registered_hooks() -> list[RecomputeHook]:
    return list(_hooks)


@dataclass
class RecomputeReport:
    moved: list[Moved] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _hook_name(fn: RecomputeHook) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def run_recompute_hooks(*, reason: str, actor: object = None) -> RecomputeReport:
    """Call every hook and write one audit entry listing the moved due dates.

    Call inside the transaction of the calendar change, after this process's calendar
    index was invalidated (so the hooks compute with the new calendar).
    """
    report = RecomputeReport()
    for fn in list(_hooks):
        try:
            with transaction.atomic():
                moved = list(fn(reason=reason) or [])
        except Exception as exc:  # noqa: BLE001 - a broken hook must not block the calendar
            logger.exception("recompute hook %s failed", _hook_name(fn))
            report.failures.append(f"{_hook_name(fn)}：{exc}")
            continue
        report.moved.extend(m for m in moved if m[1] != m[2])
    changes = {label: [old, new] for label, old, new in report.moved}
    message = f"工作日历变更后重算到期日（原因：{reason}）：" + (
        f"{len(report.moved)}项到期日变动。" if report.moved else "没有到期日变动。"
    )
    if report.failures:
        message += "重算失败：" + "；".join(report.failures)
    audit_log(
        "workdays.deadlines.recomputed",
        actor=actor,
        changes=changes,
        message=message[:2000],
        object_type="workdays.calendar",
        object_id="calendar",
        object_repr="工作日历",
    )
    return report
