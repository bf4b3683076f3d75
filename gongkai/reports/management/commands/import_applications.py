"""``manage.py import_applications FILE``: load historical applications (CSV/XLSX), all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.reports.importing import ImportFileError, import_applications, read_table


class Command(BaseCommand):
    help = (
        "导入在其他系统办理的历史政府信息公开申请（CSV 或 XLSX；列：机构代号、收到日期、申请方式、"
        "申请人类型、办理结果、答复日期、信息处理费（元））。任何一行有误则全部不导入，并列出所有被拒绝的行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = read_table(options["file"])
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        created, rejected = import_applications(rows, source=options["file"])
        if rejected:
            self.stdout.write(f"有{len(rejected)}行未通过校验，未导入任何数据：")
            for r in rejected:
                self.stdout.write(str(r))
            raise CommandError("导入失败。")
        self.stdout.write(self.style.SUCCESS(f"已导入{created}件申请。"))
