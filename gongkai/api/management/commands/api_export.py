"""``manage.py api_export [--dry-run]``: the nightly bulk export of the public catalog."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.api.export import catalog_export


class Command(BaseCommand):
    help = "导出公开目录全量数据（JSON Lines 与 CSV，gzip 压缩，附清单与 SHA-256 校验值）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计条数，不写文件")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = catalog_export(dry_run=options["dry_run"])
        self.stdout.write(json.dumps(manifest, ensure_ascii=False, indent=2))
