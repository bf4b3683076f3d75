"""``manage.py annual_report``: compute an agency's or a government's annual report."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.agencies.models import Agency, Region
from gongkai.reports import documents, fileio
from gongkai.reports.compute import Scope


class Command(BaseCommand):
    help = (
        "生成政府信息公开工作年度报告：--agency 机构代号（部门报告）或 --region 行政区划代码"
        "（政府汇总报告），--year 年度，--style 2021|2012，--format json|html|pdf|docx|xlsx|csv。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--agency", help="机构代号，如 th-mzj")
        who.add_argument("--region", help="行政区划代码，如 220500")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--style", choices=["2021", "2012"], default="2021")
        parser.add_argument(
            "--format", choices=["json", "html", "pdf", "docx", "xlsx", "csv"], default="json"
        )
        parser.add_argument(
            "--output", help="输出文件（缺省输出到标准输出；pdf/docx/xlsx 必须指定）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        mismatch = documents.style_mismatch(options["year"], options["style"])
        if mismatch:
            raise CommandError(mismatch)
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"找不到机构代号“{options['agency']}”。")
            scope = Scope(agency=agency)
        else:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"找不到行政区划代码“{options['region']}”。")
            scope = Scope(region=region)
        year = options["year"]
        if not 1990 <= year <= 2100:
            raise CommandError("年度应在1990至2100之间。")
        fmt = options["format"]
        data = documents.build_report_data(scope, year, options["style"])
        payload: bytes
        if fmt == "json":
            payload = json.dumps(documents.export_data(data), ensure_ascii=False, indent=2).encode(
                "utf-8"
            )
        elif fmt == "html":
            payload = documents.render_standalone_html(data).encode("utf-8")
        elif fmt == "csv":
            payload = fileio.write_csv(documents.export_data(data)).encode("utf-8")
        elif fmt == "xlsx":
            payload = fileio.write_xlsx(documents.export_data(data), title=data["title"])
        elif fmt == "pdf":
            from gongkai.lib.pdf import PdfUnavailableError

            try:
                payload = documents.render_pdf(data)
            except PdfUnavailableError as exc:
                raise CommandError(str(exc)) from exc
        else:
            payload = documents.render_docx(data)
        output = options.get("output")
        if output:
            with open(output, "wb") as fh:
                fh.write(payload)
            self.stderr.write(f"已写入 {output}（{len(payload)} 字节）")
        elif fmt in ("pdf", "docx", "xlsx"):
            raise CommandError(f"{fmt} 格式须用 --output 指定输出文件。")
        else:
            sys.stdout.write(payload.decode("utf-8"))
