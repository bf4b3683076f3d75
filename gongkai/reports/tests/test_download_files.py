"""The downloaded report files themselves: Chinese file names, the 表三 group label, a title
that spans the table, and DOCX properties of our own (not python-docx's)."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.urls import reverse

from gongkai.reports.models import AnnualReport
from gongkai.reports.services import report_create
from gongkai.test import BaseTestCase


class ReportDownloadFilesTest(BaseTestCase):
    report: AnnualReport

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = report_create(by=cls.wushi, year=2025, agency=cls.agency_a)

    def _get(self, fmt: str) -> bytes:
        self.login(self.wushi)
        resp = self.client.get(reverse("reports:download", args=[self.report.pk, fmt]))
        self.assertEqual(resp.status_code, 200)
        disposition = resp["Content-Disposition"]
        self.assertIn(
            f"filename*=UTF-8''{quote(self.report.title + '.' + fmt, safe='')}", disposition
        )
        self.assertIn(f'filename="annual-report-2025-{self.report.pk}-v1.{fmt}"', disposition)
        return resp.content

    def test_it_labels_table_three_results_and_keeps_the_title_on_one_line(self) -> None:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(self._get("xlsx")))
        ws = wb["表三"]
        column_a = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
        self.assertIn("三、本年度办理结果", column_a)
        first = column_a.index("三、本年度办理结果") + 1
        self.assertIsNotNone(ws.cell(row=first, column=2).value)  # （一）予以公开 on that row
        merged = [str(r) for r in ws.merged_cells.ranges]
        self.assertTrue(any(m.startswith(f"A{first}:A") for m in merged), merged)
        for name in ("表二", "表三", "表四"):
            sheet = wb[name]
            self.assertEqual(sheet["A1"].value, self.report.title)
            self.assertFalse(sheet["A1"].alignment.wrap_text)
            title_range = next(r for r in sheet.merged_cells.ranges if r.min_row == 1)
            self.assertGreaterEqual(title_range.max_col, 4, name)
            # wide enough for the whole title (a CJK character is about two width units at 11 pt;
            # the title is 14 pt) so it is neither wrapped nor cut
            letters = [chr(ord("A") + i) for i in range(title_range.max_col)]
            width = sum(sheet.column_dimensions[c].width or 8.43 for c in letters)
            self.assertGreaterEqual(width, len(self.report.title) * 2 * 14 / 11, name)

    def test_it_writes_its_own_docx_properties(self) -> None:
        import docx

        props = docx.Document(io.BytesIO(self._get("docx"))).core_properties
        self.assertNotIn("python-docx", f"{props.author} {props.comments} {props.last_modified_by}")
        self.assertEqual(props.title, self.report.title)
        self.assertTrue(props.author)
        self.assertGreaterEqual(props.created.year, 2025)
