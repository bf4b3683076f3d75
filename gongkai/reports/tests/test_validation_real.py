"""The validator on tables as real reports print them (fixtures in ``fixtures/``, made by
``fixtures/make_fixtures.py``), the 2019 trial format, the narrative against the tables, and
the report text defaults."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import SimpleNamespace

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase

from gongkai.reports import documents, fileio
from gongkai.reports.validation import norm_label, validate_report_data

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def issues_of(name: str, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    data = fileio.read_report_file(FIXTURES / name)
    return [str(i) for i in validate_report_data(data, **kw)]


class PrintedVariantsTest(SimpleTestCase):
    def test_it_normalises_printed_label_variants(self) -> None:
        canonical = norm_label("3.危及“三安全一稳定”")
        for printed in (
            '3、危及"三安全一稳定"',
            "３．危及“三安全一稳定”",
            "3. 危及 '三安全一稳定'",
            "3.危及“三安全\n一稳定”",
        ):
            self.assertEqual(norm_label(printed), canonical, printed)
        self.assertEqual(norm_label("商业 企业"), norm_label("商业企业"))

    def test_it_accepts_a_printed_table_with_variants_split_headers_and_blank_zeros(self) -> None:
        self.assertEqual(issues_of("table3-2021-printed.csv"), [])

    def test_it_still_reports_a_planted_error_when_a_row_is_missing(self) -> None:
        messages = issues_of("table3-2021-missing-row-planted-error.csv")
        text = "\n".join(messages)
        self.assertIn("“2.重复申请”：缺少此行", text)
        # the planted error (予以公开 自然人 120 → 121) is found by the row and column checks
        self.assertIn("“（一）予以公开”：“总计”列为133，但自然人至“其他”六列之和为134", text)
        self.assertIn("表三“自然人”列", text)
        self.assertEqual(len(messages), 4, text)

    def test_blank_xlsx_cells_and_json_null_count_as_zero(self) -> None:
        self.assertEqual(issues_of("report-2021-blank-cells.xlsx"), [])
        messages = issues_of("report-2021-nulls.json")
        self.assertEqual(messages, [])
        self.assertFalse(any("None" in m for m in messages))
        data = json.loads((FIXTURES / "report-2021-nulls.json").read_text("utf-8"))
        data["table4"]["行政复议"]["总计"] = None  # 2 + 1 ≠ 0: a real error, not “实为None”
        messages = [str(i) for i in validate_report_data(data)]
        self.assertEqual(len(messages), 1, messages)
        self.assertIn("“总计”为0", messages[0])

    def test_the_command_reads_the_printed_csv_instead_of_stopping(self) -> None:
        out = io.StringIO()
        call_command("validate_report", str(FIXTURES / "table3-2021-printed.csv"), stdout=out)
        self.assertIn("检查通过", out.getvalue())


class TrialFormatTest(SimpleTestCase):
    def test_it_checks_the_2019_trial_format(self) -> None:
        self.assertEqual(issues_of("report-2019-trial.json"), [])
        data = json.loads((FIXTURES / "report-2019-trial.json").read_text("utf-8"))
        data["table3"]["三、本年度办理结果"]["（六）其他处理"]["自然人"] = 7
        messages = [str(i) for i in validate_report_data(data)]
        self.assertTrue(any("“（六）其他处理”" in m for m in messages), messages)
        self.assertTrue(any("（七）总计" in m for m in messages), messages)
        data["table2"]["第二十条第（五）项"]["行政许可"]["本年增/减"] = "-6.5"
        self.assertTrue(any("应为整数" in str(i) for i in validate_report_data(data)))

    def test_a_2019_file_checked_as_2021_names_what_is_missing(self) -> None:
        messages = issues_of("report-2019-trial.json", style="2021")
        self.assertTrue(
            any("1.申请人无正当理由逾期不补正" in m and "缺少此行" in m for m in messages)
        )

    def test_annual_report_refuses_the_2021_layout_for_2020(self) -> None:
        with self.assertRaisesMessage(CommandError, "2019年试行格式"):
            call_command("annual_report", "--region", "220500", "--year", "2020", "--style", "2021")
        self.assertEqual(documents.style_mismatch(2021, "2021"), "")


class NarrativeTest(SimpleTestCase):
    def test_it_checks_the_narrative_figures_against_the_tables(self) -> None:
        data = fileio.read_report_file(FIXTURES / "report-2021-nulls.json")
        data["narrative"] = (FIXTURES / "narrative-2021.txt").read_text("utf-8")
        messages = [str(i) for i in validate_report_data(data)]
        self.assertEqual(
            messages, ["正文与表三：正文写“无法提供265件”，但表三中“无法提供”为141件。"]
        )
        data["narrative"] = {"三": "予以公开133件，不予公开18件。", "四": "行政诉讼4件。"}
        messages = [str(i) for i in validate_report_data(data)]
        self.assertEqual(len(messages), 1, messages)
        self.assertIn("表四中“行政诉讼”为3件", messages[0])

    def test_the_command_takes_a_narrative_file(self) -> None:
        with self.assertRaises(SystemExit) as ctx:
            call_command(
                "validate_report",
                str(FIXTURES / "report-2021-nulls.json"),
                "--narrative",
                str(FIXTURES / "narrative-2021.txt"),
                stdout=io.StringIO(),
            )
        self.assertEqual(ctx.exception.code, 1)


class ReportTextTest(SimpleTestCase):
    def test_the_default_overview_has_the_five_parts(self) -> None:
        dept = SimpleNamespace(agency=SimpleNamespace(kind="department"), region=None)
        text = documents.default_narrative(dept, 2023, "2021")["一、总体情况"]  # type: ignore[arg-type]
        for part in (
            "（一）主动公开",
            "（二）依申请公开",
            "（三）政府信息管理",
            "（四）政府信息公开平台建设",
            "（五）监督保障",
        ):
            self.assertIn(part, text)
        self.assertNotIn("工作考核", text)
        gov = SimpleNamespace(agency=None, region=object())
        self.assertIn(
            "工作考核、社会评议和责任追究",
            documents.default_narrative(gov, 2023, "2021")["一、总体情况"],  # type: ignore[arg-type]
        )

    def test_section_six_cites_the_fee_rule_of_the_year(self) -> None:
        self.assertIn("国办函〔2020〕109号", documents.fee_text(2023))
        self.assertNotIn("109号", documents.fee_text(2020))
        self.assertIn("第四十二条", documents.fee_text(2020))
        self.assertNotIn("109号", documents.fee_text(2012))
        self.assertIn("国务院令第492号", documents.fee_text(2012))
