"""manage.py publishing_schedule [--dry-run]: publish due scheduled items, expire due ones."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.publishing.services import catalog_run_schedule


class Command(BaseCommand):
    help = "发布到期的定时发布信息，下线到期的信息（可重复运行）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        result = catalog_run_schedule(dry_run=opts["dry_run"])
        prefix = "（演练）" if opts["dry_run"] else ""
        self.stdout.write(
            f"{prefix}发布 {result['published']} 条，下线 {result['expired']} 条，被保密审查拦截 {result['blocked']} 条。"
        )
