"""Close applications whose 补正 or fee deadline passed (其他处理 1 and 2). Idempotent.

python manage.py applications_lapse [--dry-run] [--date YYYY-MM-DD]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.applications.services import application_lapse_overdue


class Command(BaseCommand):
    help = "按期限自动终止逾期未补正、逾期未缴费的申请（可重复运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只列出，不处理")
        parser.add_argument("--date", help="视为今天的日期（YYYY-MM-DD）")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            today = dt.date.fromisoformat(opts["date"]) if opts.get("date") else None
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from None
        numbers = application_lapse_overdue(today=today, dry_run=opts["dry_run"])
        verb = "将终止" if opts["dry_run"] else "已终止"
        self.stdout.write(f"{verb}{len(numbers)}件：" + "、".join(numbers))
