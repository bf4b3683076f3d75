from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.applications.models import Application
from gongkai.reports.compute import Scope, compute_table3
from gongkai.test import BaseTestCase

HEADER = "机构代号,收到日期,申请方式,申请人类型,办理结果,答复日期,信息处理费（元）\n"


class ImportApplicationsTest(BaseTestCase):
    def _run(self, text: str, suffix: str = ".csv") -> str:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"a{suffix}"
            path.write_text(text, "utf-8")
            out = StringIO()
            call_command("import_applications", str(path), stdout=out)
            return out.getvalue()

    def test_it_imports_rows_that_feed_the_report(self) -> None:
        out = self._run(
            HEADER
            + "th-mzj,2018-03-01,信函,自然人,（一）予以公开,2018-03-20,10\n"
            + "th-mzj,2018-04-01,当面,商业企业,1.属于国家秘密,2018-04-10,\n"
            + "th-mzj,2018-12-30,网上申请,其他,,,\n"
        )
        self.assertIn("已导入3件申请", out)
        t3 = compute_table3(Scope(agency=self.agency_a), 2018)
        self.assertEqual(t3.row("new")[-1], 3)
        self.assertEqual(t3.row("withhold_secret"), [0, 1, 0, 0, 0, 0, 1])
        self.assertEqual(t3.row("carried_out"), [0, 0, 0, 0, 0, 1, 1])
        first = Application.objects.get(received_on="2018-03-01")
        self.assertEqual(
            (first.era, first.status, str(first.fee_amount)), ("2008", "closed", "10.00")
        )
        self.assertEqual(first.number, "TH-MZJ-2018-00001")
        self.assertAudited("reports.applications.imported")

    def test_it_imports_nothing_when_a_row_is_bad(self) -> None:
        text = (
            HEADER
            + "th-mzj,2018-03-01,信函,自然人,（一）予以公开,2018-03-20,\n"
            + "th-xxx,2018-13-01,飞鸽,外星人,（九）瞎办,,abc\n"
            + "th-mzj,2018-03-01,信函,自然人,（一）予以公开,2018-02-20,\n"
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "a.csv"
            path.write_text(text, "utf-8")
            out = StringIO()
            with self.assertRaises(CommandError):
                call_command("import_applications", str(path), stdout=out)
        report = out.getvalue()
        self.assertIn("有2行未通过校验", report)
        self.assertIn(
            "第3行：机构代号“th-xxx”不存在；收到日期“2018-13-01”应为YYYY-MM-DD格式", report
        )
        self.assertIn("申请方式“飞鸽”不可识别", report)
        self.assertIn("信息处理费“abc”应为非负金额", report)
        self.assertIn("第4行：答复日期早于收到日期", report)
        self.assertEqual(Application.objects.count(), 0)

    def test_it_refuses_a_file_without_the_columns(self) -> None:
        with self.assertRaisesMessage(CommandError, "缺少必需的列：申请人类型"):
            self._run("机构代号,收到日期,申请方式\n")
