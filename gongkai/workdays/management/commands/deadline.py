"""``manage.py deadline``: the reply deadline of an application as one JSON object.

    python manage.py deadline --received YYYY-MM-DD [--restart YYYY-MM-DD]
        [--pause YYYY-MM-DD:YYYY-MM-DD]... [--extend N]

Prints ``era``, ``received_on``, ``start_on``, ``due_on`` (base period), ``extended_due_on``
(null without --extend), ``correction_notice_due_on`` (null in the 2008 era),
``paused_workdays`` and ``explanation`` (Chinese sentences). Bad arguments and a
computation reaching a year without calendar data print a Chinese message on stderr and
exit with status 2 (arguments) or 3 (calendar data missing).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django import forms
from django.core.management.base import BaseCommand, CommandParser

from gongkai.workdays.calendar import CalendarMissingError
from gongkai.workdays.deadlines import DeadlineInputError, compute_deadline
from gongkai.workdays.forms import parse_date, parse_pause

KEYS = (
    "era",
    "received_on",
    "start_on",
    "due_on",
    "extended_due_on",
    "correction_notice_due_on",
    "paused_workdays",
    "explanation",
)
EXIT_BAD_ARGS = 2
EXIT_NO_CALENDAR = 3


class Command(BaseCommand):
    help = "计算依申请公开的答复期限，输出 JSON（含逐步说明）。"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> None:
            # argparse's own errors (unknown option, missing value) with a Chinese lead.
            self.stderr.write(f"参数错误：{message}\n用法：{parser.format_usage().strip()}")
            sys.exit(EXIT_BAD_ARGS)

        parser.error = error  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--received", help="收到申请日期 YYYY-MM-DD（必填）")
        parser.add_argument(
            "--restart", help="收到补正申请日期 YYYY-MM-DD（答复期限自该日重新计算）"
        )
        parser.add_argument(
            "--pause",
            action="append",
            default=[],
            help="暂停期间 YYYY-MM-DD:YYYY-MM-DD（含首尾，期间工作日不计入），可重复",
        )
        parser.add_argument("--extend", help="延长的工作日数（2019年版最多20，2008年版最多15）")

    def fail(self, message: str, code: int) -> None:
        self.stderr.write(message)
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if not options["received"]:
                raise forms.ValidationError("缺少 --received（收到申请日期）。")
            received = parse_date(options["received"], what="收到申请日期")
            restart = (
                parse_date(options["restart"], what="补正日期") if options["restart"] else None
            )
            pauses = [parse_pause(p) for p in options["pause"]]
            extend = 0
            if options["extend"] is not None:
                raw = str(options["extend"]).strip()
                if not raw.isdigit():
                    raise forms.ValidationError(f"延长工作日数“{raw}”应为非负整数。")
                extend = int(raw)
            result = compute_deadline(
                received_on=received, restart_on=restart, pauses=pauses, extension_workdays=extend
            )
        except forms.ValidationError as exc:
            self.fail("；".join(exc.messages), EXIT_BAD_ARGS)
        except DeadlineInputError as exc:
            self.fail(str(exc), EXIT_BAD_ARGS)
        except CalendarMissingError as exc:
            self.fail(str(exc), EXIT_NO_CALENDAR)
        data = result.as_json()
        self.stdout.write(json.dumps({k: data[k] for k in KEYS}, ensure_ascii=False, indent=2))
