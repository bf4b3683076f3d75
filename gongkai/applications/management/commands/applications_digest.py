"""Queue (and send) the daily digest of overdue and due-soon applications to each
agency's handlers. Idempotent per person and day.

    python manage.py applications_digest [--dry-run] [--days 3]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from gongkai.applications.services import digest_build, outbox_send


class Command(BaseCommand):
    help = "生成并发送依申请公开每日提醒（超期、即将到期）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不写入、不发送")
        parser.add_argument("--days", type=int, default=3, help="几日内到期算即将到期（默认3）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["dry_run"]:
            with transaction.atomic():
                n = digest_build(days=opts["days"])
                transaction.set_rollback(True)
            self.stdout.write(f"将生成{n}封提醒邮件。")
            return
        n = digest_build(days=opts["days"])
        sent = outbox_send()
        self.stdout.write(f"已生成{n}封提醒邮件，发送{sent}条消息。")
