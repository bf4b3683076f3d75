from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from gongkai.audit.services import audit_anchor_write, audit_head


class Command(BaseCommand):
    help = (
        "把审计日志当前链头（编号与哈希）追加写入数据库之外的文件（AUDIT_ANCHOR_FILE），"
        "供 verify_audit --anchor-file 发现截断与重算。可重复运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", help="锚定文件（默认 AUDIT_ANCHOR_FILE）")
        parser.add_argument("--dry-run", action="store_true", help="只显示，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options.get("file") or settings.AUDIT_ANCHOR_FILE
        if options["dry_run"]:
            last_id, last_hash = audit_head()
            self.stdout.write(f"将写入 {path}：#{last_id} {last_hash}")
            return
        record = audit_anchor_write(path=path)
        self.stdout.write(f"已写入 {path}：#{record['last_id']} {record['last_hash']}")
