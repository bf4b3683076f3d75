from __future__ import annotations

import datetime as dt

from gongkai.audit.models import AuditEntry
from gongkai.workdays import calendar, services
from gongkai.workdays.hooks import register_recompute_hook, unregister_recompute_hook
from gongkai.workdays.models import CalendarVersion, ExceptionDay
from gongkai.workdays.tests.helpers import CalendarTestCase, d


class RecomputeHookTest(CalendarTestCase):
    """A stand-in for the applications app: two open cases whose due dates it stores."""

    def setUp(self) -> None:
        super().setUp()
        self.stored = {
            "2026-0001": (d("2026-02-20"), calendar.add_workdays(d("2026-02-20"), 20)),
            "2026-0002": (d("2026-06-01"), calendar.add_workdays(d("2026-06-01"), 20)),
        }
        self.calls: list[str] = []

        def hook(*, reason: str) -> list[tuple[str, dt.date | None, dt.date | None]]:
            self.calls.append(reason)
            moved: list[tuple[str, dt.date | None, dt.date | None]] = []
            for label, (received, old) in self.stored.items():
                new = calendar.add_workdays(received, 20)
                self.stored[label] = (received, new)
                moved.append((label, old, new))
            return moved

        self.hook = hook
        register_recompute_hook(hook)
        self.addCleanup(unregister_recompute_hook, hook)

    def test_it_recomputes_and_audits_what_moved(self) -> None:
        version = CalendarVersion.objects.get(pk=1).version
        with self.captureOnCommitCallbacks(execute=True):
            services.exception_day_create(
                date=d("2026-03-02"),
                kind="rest",
                name="临时放假",
                notice="测试通知",
                by=self.sysadmin,
            )
        self.assertEqual(CalendarVersion.objects.get(pk=1).version, version + 1)
        self.assertEqual(len(self.calls), 1)
        self.assertIn("2026-03-02", self.calls[0])
        entry = AuditEntry.objects.filter(action="workdays.deadlines.recomputed").latest("id")
        # only the case whose period contains 3/2 moved, by one working day
        self.assertEqual(list(entry.changes), ["2026-0001"])
        self.assertEqual(entry.changes["2026-0001"], ["2026-03-20", "2026-03-23"])
        self.assertIn("1项到期日变动", entry.message)
        self.assertEqual(entry.actor_id, self.sysadmin.pk)

    def test_it_writes_one_entry_even_when_nothing_moved(self) -> None:
        services.exception_day_create(
            date=d("2026-12-28"), kind="rest", name="测试", notice="测试通知", by=self.sysadmin
        )
        entries = AuditEntry.objects.filter(action="workdays.deadlines.recomputed")
        self.assertEqual(entries.count(), 1)
        self.assertEqual(entries.get().changes, {})
        self.assertIn("没有到期日变动", entries.get().message)

    def test_it_survives_a_failing_hook(self) -> None:
        def broken(*, reason: str) -> list:
            ExceptionDay.objects.filter(date=d("2026-10-10")).delete()  # rolled back
            raise RuntimeError("故障")

        register_recompute_hook(broken)
        self.addCleanup(unregister_recompute_hook, broken)
        services.exception_day_create(
            date=d("2026-03-02"), kind="rest", name="临时放假", notice="测试通知", by=self.sysadmin
        )
        self.assertTrue(ExceptionDay.objects.filter(date=d("2026-03-02")).exists())
        self.assertTrue(ExceptionDay.objects.filter(date=d("2026-10-10")).exists())
        entry = AuditEntry.objects.filter(action="workdays.deadlines.recomputed").latest("id")
        self.assertIn("重算失败", entry.message)
        self.assertIn("故障", entry.message)

    def test_it_refuses_non_admins_in_the_service(self) -> None:
        with self.assertRaisesMessage(services.CalendarError, "只有系统管理员"):
            services.exception_day_create(
                date=d("2026-03-02"), kind="rest", name="x", notice="y", by=self.lisi
            )
        self.assertEqual(self.calls, [])

    def test_it_leaves_no_stale_index_after_a_rollback(self) -> None:
        def veto(*, reason: str) -> list:
            # builds the index with the uncommitted change (10/10 becomes a rest day)
            self.assertFalse(calendar.is_workday(d("2026-10-10")))
            return []

        register_recompute_hook(veto)
        self.addCleanup(unregister_recompute_hook, veto)
        from gongkai.workdays import hooks

        real_audit = hooks.audit_log

        def failing_audit(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise RuntimeError("审计失败")

        hooks.audit_log = failing_audit  # type: ignore[assignment]
        try:
            with self.assertRaises(RuntimeError):
                services.exception_day_update(
                    day=ExceptionDay.objects.get(date=d("2026-10-10")),
                    kind="rest",
                    name="国庆节",
                    notice="x",
                    by=self.sysadmin,
                )
        finally:
            hooks.audit_log = real_audit  # type: ignore[assignment]
        # the hook built an index holding the rolled-back change; it must be gone
        self.assertTrue(calendar.is_workday(d("2026-10-10")))
