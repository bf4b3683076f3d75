from __future__ import annotations

import io
import json

from django.core.management import call_command

from gongkai.workdays.tests.helpers import CalendarTestCase

KEYS = {
    "era",
    "received_on",
    "start_on",
    "due_on",
    "extended_due_on",
    "correction_notice_due_on",
    "paused_workdays",
    "explanation",
}


class DeadlineCommandTest(CalendarTestCase):
    def run_command(self, *args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = 0
        try:
            call_command("deadline", *args, stdout=out, stderr=err)
        except SystemExit as exc:
            code = int(exc.code or 0)
        return code, out.getvalue(), err.getvalue()

    def test_it_prints_the_json_object(self) -> None:
        code, out, err = self.run_command("--received", "2026-09-15")
        self.assertEqual((code, err), (0, ""))
        data = json.loads(out)
        self.assertEqual(set(data), KEYS)
        self.assertEqual(data["era"], "2019")
        self.assertEqual(data["received_on"], "2026-09-15")
        self.assertEqual(data["start_on"], "2026-09-15")
        self.assertEqual(data["due_on"], "2026-10-19")
        self.assertIsNone(data["extended_due_on"])
        self.assertEqual(data["correction_notice_due_on"], "2026-09-23")  # Sun 9/20 worked
        self.assertEqual(data["paused_workdays"], 0)
        self.assertTrue(all(isinstance(s, str) and s for s in data["explanation"]))
        self.assertIn("国庆节", "".join(data["explanation"]))

    def test_it_takes_restart_pauses_and_extension(self) -> None:
        code, out, _ = self.run_command(
            "--received",
            "2024-03-01",
            "--restart",
            "2024-03-08",
            "--pause",
            "2024-03-11:2024-03-15",
            "--pause",
            "2024-03-25:2024-03-26",
            "--extend",
            "10",
        )
        self.assertEqual(code, 0)
        data = json.loads(out)
        self.assertEqual(data["start_on"], "2024-03-08")
        self.assertEqual(data["paused_workdays"], 7)
        # 3/8 + 20 WD with 7 skipped = 27 WD after 3/8 (Qingming 4/4–4/6, Sun 4/7 worked)
        self.assertEqual(data["due_on"], "2024-04-17")
        self.assertEqual(data["extended_due_on"], "2024-04-30")  # Sun 4/28 worked

    def test_it_uses_the_2008_era(self) -> None:
        code, out, _ = self.run_command("--received", "2012-01-10", "--extend", "15")
        data = json.loads(out)
        self.assertEqual((code, data["era"]), (0, "2008"))
        self.assertIsNone(data["correction_notice_due_on"])
        self.assertEqual(data["due_on"], "2012-02-03")

    def test_it_rejects_bad_arguments_in_chinese(self) -> None:
        cases = [
            (("--received", "2026-02-30"), "不是有效日期"),
            (("--received", "yesterday"), "不是有效日期"),
            (
                ("--received", "2024-03-01", "--pause", "2024-03-10:2024-03-04"),
                "结束日期早于开始日期",
            ),
            (("--received", "2024-03-01", "--pause", "2024-03-10"), "开始日期:结束日期"),
            (("--received", "2024-03-01", "--extend", "21"), "最长不得超过20个工作日"),
            (("--received", "2012-03-01", "--extend", "16"), "最长不得超过15个工作日"),
            (("--received", "2024-03-01", "--extend", "x"), "非负整数"),
            (("--received", "2024-03-01", "--restart", "2024-02-01"), "不得早于收到申请的日期"),
            ((), "缺少 --received"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                code, out, err = self.run_command(*args)
                self.assertEqual(code, 2)
                self.assertEqual(out, "")
                self.assertIn(message, err)

    def test_it_fails_closed_for_a_year_without_data(self) -> None:
        code, out, err = self.run_command("--received", "2026-12-15")
        self.assertEqual(code, 3)
        self.assertEqual(out, "")
        self.assertIn("2027年的节假日安排尚未录入", err)
