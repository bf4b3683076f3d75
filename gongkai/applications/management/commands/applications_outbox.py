"""Send the pending outbox messages (e-mail; SMS only when enabled).

python manage.py applications_outbox [--dry-run]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.applications.models import OutboxMessage
from gongkai.applications.services import outbox_send


class Command(BaseCommand):
    help = "发送待发的通知邮件/短信。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不发送")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["dry_run"]:
            n = OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=5).count()
            self.stdout.write(f"待发送{n}条。")
            return
        self.stdout.write(f"已发送{outbox_send()}条。")
