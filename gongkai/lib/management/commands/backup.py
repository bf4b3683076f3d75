from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.lib.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库、上传文件（MEDIA_ROOT）与 CA 目录到一个带清单和校验和的归档（gongkai/lib/backup.py）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", required=True, help="归档文件路径，如 /backup/gongkai-2026-03-02.tar.gz"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(output=options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"已备份到 {options['output']}：{manifest['engine']} 数据库 {rows} 行，"
            f"{len(manifest['files'])} 个文件，审计链头 #{manifest['audit_head']['last_id']}"
        )
