"""Repair the search index against the public catalog (cron: nightly; safe to run twice)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.search.services import index_reconcile


class Command(BaseCommand):
    help = "核对检索索引与公开目录：移除不再公开的条目，补充缺失或已更新的条目。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不修改")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        result = index_reconcile(dry_run=dry_run)
        self.stdout.write(
            f"移除 {result['removed']} 条，索引 {result['indexed']} 条{'（未执行）' if dry_run else ''}"
        )
