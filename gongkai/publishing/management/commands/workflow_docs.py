"""manage.py workflow_docs [--check]: write the status tables of docs/workflows.md from the
transition tables (``gongkai.lib.flows.WORKFLOW_MODULES``); ``--check`` only reports drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai.lib.flows import splice, workflows_markdown


def docs_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "workflows.md"


class Command(BaseCommand):
    help = "由各流程的状态转换表生成 docs/workflows.md 中的状态表（--check 只检查是否过期）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="只检查，文档过期时报错")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = docs_path()
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        wanted = splice(current, workflows_markdown())
        if current == wanted:
            self.stdout.write("docs/workflows.md 与状态转换表一致。")
            return
        if opts["check"]:
            raise CommandError(
                "docs/workflows.md 与状态转换表不一致，请运行 manage.py workflow_docs。"
            )
        path.write_text(wanted, encoding="utf-8")
        self.stdout.write("已更新 docs/workflows.md。")
