"""Write ``docs/legal-basis.md`` from the legal-basis data table (``applications.legal``).

python manage.py legal_basis_doc            # rewrite the file
python manage.py legal_basis_doc --check    # exit 1 when the file is out of date
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from gongkai.applications.legal_doc import render_markdown


class Command(BaseCommand):
    help = "由法律依据表生成 docs/legal-basis.md（--check 只检查是否一致）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="只检查，不写入")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(settings.BASE_DIR) / "docs" / "legal-basis.md"
        text = render_markdown()
        if opts["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                sys.stderr.write(
                    "docs/legal-basis.md 与法律依据表不一致，请运行 manage.py legal_basis_doc。\n"
                )
                sys.exit(1)
            self.stdout.write("docs/legal-basis.md 与法律依据表一致。")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"已写入 {path}")
