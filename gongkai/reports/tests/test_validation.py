from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase

from gongkai.reports import fileio
from gongkai.reports.tables import Table3, Table4
from gongkai.reports.validation import ReportFormatError, validate_report_data

SEED = Path(__file__).resolve().parents[1] / "data" / "tonghua-2012.json"
ROOT = Path(__file__).resolve().parents[3]


def consistent_tables() -> dict:
    t3 = Table3()
    t3.counts = {
        "new": {"natural": 10, "business": 2},
        "carried_in": {"natural": 1},
        "disclose": {"natural": 6, "business": 1},
        "withhold_secret": {"natural": 1},
        "other_unpaid": {"business": 1},
        "total": {"natural": 7, "business": 2},
        "carried_out": {"natural": 4},
    }
    t4 = Table4(counts={("review", "upheld"): 1, ("direct", "pending"): 2})
    return {"table3": t3.to_json(), "table4": t4.to_json()}


class ValidateTablesTest(SimpleTestCase):
    def test_it_accepts_a_consistent_report(self) -> None:
        self.assertEqual(validate_report_data(consistent_tables()), [])

    def test_it_names_the_column_whose_balance_fails(self) -> None:
        data = consistent_tables()
        data["table3"]["四、结转下年度继续办理"]["自然人"] = 5
        data["table3"]["四、结转下年度继续办理"]["总计"] = 5
        messages = [str(i) for i in validate_report_data(data)]
        self.assertEqual(len(messages), 2, messages)  # the 自然人 column and the 总计 column
        self.assertIn("表三“自然人”列", messages[0])
        self.assertIn("表三“总计”列", messages[1])
        self.assertIn("第一项加第二项之和，等于第三项加第四项之和", messages[0])

    def test_it_checks_the_total_row_and_the_total_column(self) -> None:
        data = consistent_tables()
        data["table3"]["三、本年度办理结果"]["（三）不予公开"]["2.其他法律行政法规禁止公开"][
            "科研机构"
        ] = 1
        messages = [str(i) for i in validate_report_data(data)]
        self.assertTrue(
            any("“总计”列为0，但自然人至“其他”六列之和为1" in m for m in messages), messages
        )
        self.assertTrue(
            any("表三“科研机构”列" in m and "各办理结果之和" in m for m in messages), messages
        )

    def test_it_checks_table4_totals(self) -> None:
        data = consistent_tables()
        data["table4"]["行政诉讼"]["复议后起诉"]["总计"] = 3
        messages = [str(i) for i in validate_report_data(data)]
        self.assertEqual(len(messages), 1)
        self.assertIn("复议后起诉", messages[0])

    def test_it_reports_missing_rows_and_bad_numbers_without_stopping(self) -> None:
        data = consistent_tables()
        del data["table3"]["二、上年结转政府信息公开申请数量"]
        data["table3"]["一、本年新收政府信息公开申请数量"]["其他"] = "abc"
        data["table3"]["三、本年度办理结果"]["（一）予以公开"]["自然人"] = -1
        messages = [str(i) for i in validate_report_data(data)]
        self.assertTrue(any("缺少此行" in m for m in messages))
        self.assertTrue(any("实为“abc”" in m for m in messages))
        self.assertTrue(any("实为“-1”" in m for m in messages))

    def test_it_refuses_data_that_is_no_report(self) -> None:
        with self.assertRaises(ReportFormatError):
            validate_report_data({"foo": 1})
        with self.assertRaises(ReportFormatError):
            validate_report_data([1, 2])


class SeedFiguresTest(SimpleTestCase):
    def test_it_names_each_contradiction_of_the_seed(self) -> None:
        issues = validate_report_data(json.loads(SEED.read_text("utf-8")))
        text = "\n".join(map(str, issues))
        # 23 + 758 + 15 ≠ 781
        self.assertIn("各分项之和为796件次，与合计781件次不符", text)
        # the county count against its 29.3 % share (and the levels not adding up)
        self.assertIn("“县（市、区）”：占比写作29.3%，但8831条÷221395条", text)
        self.assertIn("若以合计为准，“县（市、区）”应为65050条（29.4%）", text)
        # rounding of shares
        self.assertIn("“市本级”：占比写作51.5%", text)
        self.assertIn("“机构调整和人员变动”：占比写作0.8%", text)
        self.assertIn("“其他”：占比写作61.9%", text)
        self.assertIn("“信函”：占比写作2%", text)
        self.assertIn("“网上申请”：占比写作1%", text)
        self.assertEqual(len(issues), 8, text)
        # what holds is not flagged
        self.assertNotIn("同意公开", text)
        self.assertNotIn("工作人员", text)


class FileFormatsTest(SimpleTestCase):
    def test_it_round_trips_csv_and_xlsx(self) -> None:
        data = consistent_tables()
        broken = copy.deepcopy(data)
        broken["table4"]["行政复议"]["总计"] = 9
        with tempfile.TemporaryDirectory() as tmp:
            for name, payload in [
                ("ok.csv", fileio.write_csv(data).encode()),
                ("ok.xlsx", fileio.write_xlsx(data, title="测试")),
                ("bad.csv", fileio.write_csv(broken).encode()),
                ("bad.xlsx", fileio.write_xlsx(broken)),
            ]:
                target = Path(tmp) / name
                target.write_bytes(payload)
                issues = validate_report_data(fileio.read_report_file(target))
                if name.startswith("ok"):
                    self.assertEqual(issues, [], name)
                else:
                    self.assertEqual(len(issues), 1, name)
                    self.assertIn("行政复议", str(issues[0]))

    def test_it_reads_a_wide_table3_spreadsheet(self) -> None:
        from openpyxl import Workbook

        data = consistent_tables()
        wb = Workbook()
        ws = wb.active
        ws.append(["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"])
        ws.append(["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])
        from gongkai.reports.tables import iter_table3_paths

        for row_path, _k in iter_table3_paths():
            node = data["table3"]
            for k in row_path:
                node = node[k]
            ws.append(
                [
                    row_path[0],
                    row_path[1] if len(row_path) > 1 else "",
                    row_path[-1] if len(row_path) > 2 else "",
                    *node.values(),
                ]
            )
        ws["D5"] = 99  # 一、 row is 3; carried_in row 4 … make one cell wrong
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "wide.xlsx"
            wb.save(path)
            issues = validate_report_data(fileio.read_report_file(path))
        self.assertTrue(issues)
        self.assertTrue(all("表三" in str(i) for i in issues))

    def test_it_rejects_unknown_files_in_chinese(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "x.txt"
            path.write_text("hello")
            with self.assertRaisesMessage(ReportFormatError, "不支持的文件类型"):
                fileio.read_report_file(path)
            path = Path(tmp) / "x.xlsx"
            path.write_text("not a zip")
            with self.assertRaisesMessage(ReportFormatError, "XLSX 文件已损坏"):
                fileio.read_report_file(path)


class ValidateReportCommandTest(SimpleTestCase):
    def test_it_lists_the_seed_contradictions_and_exits_1(self) -> None:
        result = subprocess.run(
            [sys.executable, "manage.py", "validate_report", str(SEED)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("发现8处不一致", result.stdout)

    def test_it_passes_a_consistent_file(self) -> None:
        from io import StringIO

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "ok.json"
            path.write_text(json.dumps(consistent_tables(), ensure_ascii=False), "utf-8")
            out = StringIO()
            call_command("validate_report", str(path), stdout=out)
        self.assertIn("检查通过", out.getvalue())
