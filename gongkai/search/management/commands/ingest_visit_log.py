"""Count the item-page visits nginx logged (deploy/nginx/portal-cache.conf) into
CatalogItem.visit_count (cron or Celery beat: every minute; safe to run twice)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai.search.visits import ingest_visit_log


class Command(BaseCommand):
    help = "读取 nginx 访问日志中的信息访问记录，计入访问次数（从上次读到的位置继续，可处理日志轮转）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--log",
            default="",
            help="nginx 访问日志路径（默认取设置 PORTAL_VISIT_LOG，如 /var/log/nginx/gongkai-visits.log）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只统计，不写入")

    def handle(self, *args: Any, log: str = "", dry_run: bool = False, **options: Any) -> None:
        path = log or getattr(settings, "PORTAL_VISIT_LOG", "")
        if not path:
            raise CommandError("请用 --log 指定 nginx 访问日志，或设置 PORTAL_VISIT_LOG。")
        r = ingest_visit_log(path, dry_run=dry_run)
        self.stdout.write(
            f"{'待计入' if dry_run else '已计入'}：{r['items']} 条信息，{r['visits']} 次访问"
            f"（读取 {r['lines']} 行，格式错误 {r['malformed']} 行，信息已不存在 {r['unknown']} 行，"
            f"未能续读的轮转文件 {r['lost_files']} 个）"
        )
