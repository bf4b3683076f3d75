"""Flush buffered visit counts into CatalogItem.visit_count (cron: every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.search.visits import flush_visits


class Command(BaseCommand):
    help = "将缓冲的访问次数批量写入数据库。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不写入")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        result = flush_visits(dry_run=dry_run)
        self.stdout.write(
            f"{'待写入' if dry_run else '已写入'}：{result['items']} 条信息，{result['visits']} 次访问"
        )
