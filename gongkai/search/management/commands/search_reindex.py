"""Rebuild the search index from the entries' stored text (after a segmenter upgrade)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from gongkai.search.services import index_rebuild


class Command(BaseCommand):
    help = (
        "按已保存的正文重新分词并重建检索索引（升级 jieba/rjieba 或 Python 之后运行；"
        "SQLite 上重建期间只能检索到已重建的条目）。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="每个事务的条目数")

    def handle(self, *args: Any, batch: int = 1000, **options: Any) -> None:
        done = index_rebuild(batch=max(1, batch))
        self.stdout.write(f"已重建 {done} 条检索索引条目")
