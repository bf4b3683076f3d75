"""Queue (and send) the daily reminder of overdue and due-soon 留言 to each agency's staff.
Idempotent per person and day.

    python manage.py interaction_remind [--dry-run] [--days 2]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from gongkai.interaction.services import question_remind


class Command(BaseCommand):
    help = "生成并发送网上留言办理提醒（超期、即将到期）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不写入、不发送")
        parser.add_argument("--days", type=int, default=2, help="几日内到期算即将到期（默认2）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["dry_run"]:
            with transaction.atomic():
                n = question_remind(days=opts["days"])
                transaction.set_rollback(True)
            self.stdout.write(f"将生成{n}封提醒邮件。")
            return
        from gongkai.applications.services import outbox_send

        n = question_remind(days=opts["days"])
        sent = outbox_send()
        self.stdout.write(f"已生成{n}封提醒邮件，发送{sent}条消息。")
