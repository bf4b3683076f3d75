"""``manage.py validate_report FILE``: check a report table (JSON, CSV or XLSX) for consistency."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.reports.fileio import read_report_file
from gongkai.reports.validation import ReportFormatError, validate_report_data


class Command(BaseCommand):
    help = (
        "检查年度报告表格（JSON、CSV 或 XLSX）的勾稽关系，逐条列出所有不一致之处。"
        "一致时退出码为0，有不一致时为1，文件无法识别时为2。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="报告文件（.json、.csv 或 .xlsx）")
        parser.add_argument(
            "--format",
            choices=["auto", "2021", "2019"],
            default="auto",
            help="表格格式：2021（国办公开办函〔2021〕30号）、2019（试行格式，2019和2020年度报告）；"
            "auto 按表格自动识别",
        )
        parser.add_argument(
            "--narrative",
            help="报告正文（UTF-8 文本文件）：检查正文中的数字与表格是否一致",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = read_report_file(options["file"])
            if options.get("narrative"):
                try:
                    with open(options["narrative"], encoding="utf-8-sig") as fh:
                        data["narrative"] = fh.read(2_000_000)
                except (OSError, UnicodeDecodeError) as exc:
                    raise ReportFormatError(f"无法读取正文文件：{exc}") from exc
            style = None if options["format"] == "auto" else options["format"]
            issues = validate_report_data(data, style=style)
        except ReportFormatError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if not issues:
            self.stdout.write(self.style.SUCCESS("检查通过：未发现不一致。"))
            return
        self.stdout.write(f"发现{len(issues)}处不一致：")
        for n, issue in enumerate(issues, start=1):
            self.stdout.write(f"{n}. {issue}")
        sys.exit(1)
