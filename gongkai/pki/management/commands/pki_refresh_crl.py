"""Re-sign the CRL when due (cron/systemd timer; safe to run twice)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gongkai.pki import services
from gongkai.pki.models import CertificateAuthority


class Command(BaseCommand):
    help = "在下次更新时间之前重新签发证书吊销列表（CRL），并写出 ca.pem/crl.pem 供 nginx 使用。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="无论是否到期都重新签发")
        parser.add_argument("--dry-run", action="store_true", help="只报告是否需要重新签发")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            did = services.crl_refresh(force=options["force"], dry_run=options["dry_run"])
        except services.PkiError as exc:
            raise CommandError(str(exc)) from exc
        ca = CertificateAuthority.objects.filter(is_active=True).first()
        if ca is None:
            self.stdout.write("尚未创建 CA。")
            return
        verb = ("需要重新签发" if options["dry_run"] else "已重新签发") if did else "无需重新签发"
        self.stdout.write(
            f"{verb}：CRL 第 {ca.crl_number} 号，"
            f"下次更新 {timezone.localtime(ca.crl_next_update):%Y-%m-%d %H:%M}"
        )
