"""Remind holders of certificates that expire soon (cron, daily; safe to run twice)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.pki import services


class Command(BaseCommand):
    help = "提醒即将到期（PKI_EXPIRY_WARN_DAYS 天内）的数字证书持有人；每张证书只提醒一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只列出，不发送")

    def handle(self, *args: Any, **options: Any) -> None:
        certs = services.certificate_remind_expiring(dry_run=options["dry_run"])
        for cert in certs:
            self.stdout.write(
                f"{cert.user}\t{cert.agency.name}\t{cert.not_after:%Y-%m-%d}\t{cert.serial}"
            )
        verb = "需提醒" if options["dry_run"] else "已提醒"
        self.stdout.write(f"{verb} {len(certs)} 张证书。")
