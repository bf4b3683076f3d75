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
        parser.add_argument(
            "--index-only",
            action="store_true",
            help="不重新分词，只整体重建 PostgreSQL 的 GIN 索引（批量导入之后运行：一次建成的索引比逐行插入长成的小）",
        )

    def handle(
        self, *args: Any, batch: int = 1000, index_only: bool = False, **options: Any
    ) -> None:
        if index_only:
            from gongkai.search.backends import get_backend

            compact = getattr(get_backend(), "compact", None)
            if compact is None:
                self.stdout.write("当前数据库无需重建索引")
                return
            compact()
            self.stdout.write("已重建 GIN 索引")
            return
        done = index_rebuild(batch=max(1, batch))
        self.stdout.write(f"已重建 {done} 条检索索引条目")
