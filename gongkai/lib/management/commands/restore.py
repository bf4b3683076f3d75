from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.lib.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "从 backup 归档恢复到 DATABASE_URL 所指的空数据库和空目录，先核对校验和，恢复后核对每张表的行数与审计链"
        "（gongkai/lib/backup.py）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="backup 写出的归档文件")
        parser.add_argument(
            "--media-root", default=None, help="目标上传文件目录（默认 MEDIA_ROOT）"
        )
        parser.add_argument("--ca-dir", default=None, help="目标 CA 私有目录（默认 PKI_CA_DIR）")
        parser.add_argument(
            "--publish-dir", default=None, help="目标 CA 发布目录（默认 PKI_PUBLISH_DIR）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(
                archive=options["archive"],
                media_root=options["media_root"],
                ca_dir=options["ca_dir"],
                publish_dir=options["publish_dir"],
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复并核对：{sum(manifest['tables'].values())} 行，{len(manifest['files'])} 个文件，"
            f"审计链完好（链头 #{manifest['audit_head']['last_id']}）"
        )
