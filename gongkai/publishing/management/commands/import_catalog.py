"""manage.py import_catalog FILE --by USERNAME [--migration-reason TEXT] [--agency CODE]
[--report OUT.csv] [--no-index]

Without ``--migration-reason`` the rows become drafts of the clerk ``--by`` (reviewed like
hand-entered items); with it, a 系统迁移 by a 指导科 user (imported as already published)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongkai.agencies.models import Agency
from gongkai.publishing import importing


class Command(BaseCommand):
    help = (
        "导入原有公开目录（CSV/XLSX/JSON，全部成功或全部不导入）；列说明见 docs/catalog-import.md。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--agency", help="默认发布机构代号（文件中没有“发布机构代号”列时使用）")
        parser.add_argument("--report", help="错误报告 CSV 的保存路径")
        parser.add_argument("--no-index", action="store_true", help="不更新全文检索索引")
        parser.add_argument(
            "--by", required=True, help="办理人用户名：录入员（导入为草稿）或指导科（系统迁移）"
        )
        parser.add_argument(
            "--migration-reason",
            default="",
            help="系统迁移理由：给出时按原发布状态导入（仅指导科），否则导入为待审核草稿",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        agency = None
        if opts["agency"]:
            agency = Agency.objects.filter(code=opts["agency"]).first()
            if agency is None:
                raise CommandError(f"找不到机构代号：{opts['agency']}")
        from gongkai.accounts.models import User

        by = User.objects.filter(username=opts["by"], is_active=True).first()
        if by is None:
            raise CommandError(f"找不到用户：{opts['by']}")
        started = time.monotonic()

        def progress(phase: str, done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            sys.stderr.write(
                f"\r{phase} {done}/{total}（{done * 100 // max(total, 1)}%，{rate:.0f} 行/秒）"
            )
            sys.stderr.flush()

        try:
            job = importing.import_file(
                name=path.name,
                data=path.read_bytes(),
                default_agency=agency,
                by=by,
                migration_reason=opts["migration_reason"],
                index=not opts["no_index"],
                progress=progress,
            )
        except importing.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        sys.stderr.write("\n")
        elapsed = time.monotonic() - started
        if job.status == job.Status.DONE:
            self.stdout.write(
                f"已导入 {job.imported_rows} 条，用时 {elapsed:.1f} 秒（{job.imported_rows / max(elapsed, 1e-6):.0f} 条/秒）。"
            )
            return
        if opts["report"]:
            Path(opts["report"]).write_text(
                importing.error_report_csv(job.errors), encoding="utf-8"
            )
        for e in job.errors[:20]:
            self.stderr.write(f"第{e['row']}行 {e['column']}：{e['message']}")
        raise CommandError(f"{job.error_rows} 行有错误，整个文件未导入（导入任务 #{job.pk}）。")
