"""The one CSV/XLSX/JSON reader: hostile files are a Chinese 4xx through every import, nothing stored."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from django.urls import reverse

from gongkai.lib import tabular
from gongkai.publishing.models import CatalogItem, ImportJob
from gongkai.remedies.models import Complaint
from gongkai.test import BaseTestCase

CATALOG_HEADER = "名称,生成日期,发布日期\n"
COMPLAINT_HEADER = "类别,被投诉机关,收到日期,事由,状态,处理结果,办结日期\n"


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_zip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """The same container with some members replaced (``None`` drops a member)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    dst.writestr(info.filename, replace[info.filename])  # type: ignore[arg-type]
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def xlsx_without_sheets() -> bytes:
    wb = xlsx_bytes([["名称"]])
    workbook = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheets/></workbook>"
    )
    return rewrite_zip(wb, {"xl/workbook.xml": workbook, "xl/worksheets/sheet1.xml": None})


def xlsx_broken_xml(header: list[object]) -> bytes:
    return rewrite_zip(
        xlsx_bytes([header, ["x"] * len(header)]),
        {"xl/worksheets/sheet1.xml": b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c'},
    )


def hostile_files(csv_header: str, xlsx_header: list[object]) -> list[tuple[str, bytes, str]]:
    """(file name, content, expected words of the Chinese error)."""
    return [
        ("none.xlsx", xlsx_without_sheets(), "没有工作表"),
        ("broken.xlsx", xlsx_broken_xml(xlsx_header), "已损坏"),
        ("notzip.xlsx", b"PK\x03\x04 not really a zip", "已损坏"),
        ("big.csv", (csv_header + "x" * (5 * 1024 * 1024) + ",2012-01-01\n").encode(), "字符"),
        ("garbage.csv", bytes(range(256)) * 64, "编码"),
        ("binary.csv", (csv_header + "\x00\x01\x02\x03\n").encode(), "控制字符"),
        ("latin.csv", "名称\n".encode() + b"\xff\xfe\xfd\x80\x81\n", "编码"),
    ]


class TabularReaderTest(SimpleTestCase):
    def test_it_reads_utf8_gb18030_and_xlsx_alike(self) -> None:
        text = "名称,数量\n甲,3\n\n乙,4\n"
        for data in (text.encode("utf-8-sig"), text.encode("gb18030")):
            table = tabular.read_table("a.csv", data, max_rows=10)
            self.assertEqual(table.header, ["名称", "数量"])
            self.assertEqual(table.rows, [["甲", "3"], ["乙", "4"]])
        table = tabular.read_table("a.xlsx", xlsx_bytes([["名称", "数量"], ["甲", 3]]), max_rows=10)
        self.assertEqual(table.records(), [{"名称": "甲", "数量": 3}])

    def test_it_checks_the_header_before_any_row(self) -> None:
        seen: list[list[str]] = []

        def check(header: list[str]) -> None:
            seen.append(header)
            raise tabular.TabularError("表头不对")

        data = ("名称\n" + "x\n" * 50).encode()
        with self.assertRaisesMessage(tabular.TabularError, "表头不对"):
            tabular.read_table("a.csv", data, max_rows=10, check_header=check)
        self.assertEqual(seen, [["名称"]])

    def test_it_caps_rows_cells_and_columns(self) -> None:
        with self.assertRaisesMessage(tabular.TabularError, "最多 10 行"):
            tabular.read_table("a.csv", ("名称\n" + "x\n" * 11).encode(), max_rows=10)
        with self.assertRaisesMessage(tabular.TabularError, "字符"):
            tabular.read_table("a.csv", ("名称\n" + "x" * 200_000).encode(), max_rows=10)
        with self.assertRaisesMessage(tabular.TabularError, "列"):
            tabular.read_table("a.csv", (",".join(["a"] * 500) + "\n").encode(), max_rows=10)

    def test_it_refuses_every_hostile_file_with_a_chinese_message(self) -> None:
        for name, data, words in hostile_files(CATALOG_HEADER, ["名称"]):
            with self.subTest(name), self.assertRaisesMessage(tabular.TabularError, words):
                tabular.read_table(name, data, max_rows=100)

    def test_it_refuses_deep_json_before_parsing(self) -> None:
        for doc in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50 + b"1" + b"}" * 50):
            with self.assertRaisesMessage(tabular.TabularError, "嵌套层数过深"):
                tabular.read_json(doc)
        self.assertEqual(
            tabular.read_json(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}'), {"a": "[" * 29}
        )
        with self.assertRaisesMessage(tabular.TabularError, "数值"):
            tabular.read_json(b"[" + b"9" * 5000 + b"]")
        with self.assertRaisesMessage(tabular.TabularError, "单个值"):
            tabular.read_json_records(b'[{"\xe5\x90\x8d\xe7\xa7\xb0": [1]}]', max_rows=5)


class ImportsRefuseHostileFilesTest(BaseTestCase):
    def test_it_refuses_hostile_catalog_imports_with_400_and_stores_nothing(self) -> None:
        self.login(self.lisi)
        files = hostile_files(CATALOG_HEADER, ["名称", "生成日期", "发布日期"]) + [
            ("deep.json", b"[" * 100_000 + b"]" * 100_000, "嵌套"),
            ("deep2.json", b'{"items": [{"a":' * 30 + b"1" + b"}]}" * 30, "嵌套"),
        ]
        for name, data, words in files:
            with self.subTest(name):
                response = self.client.post(
                    reverse("publishing:import"),
                    {"file": SimpleUploadedFile(name, data), "agency": self.agency_a.pk},
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(words, response.content.decode())
        self.assertEqual(ImportJob.objects.count(), 0)
        self.assertEqual(CatalogItem.objects.count(), 0)

    def test_it_refuses_hostile_remedy_imports_with_400_and_stores_nothing(self) -> None:
        self.login(self.lisi)
        files = hostile_files(COMPLAINT_HEADER, ["类别", "被投诉机关"]) + [
            ("deep.json", b"[" * 100_000 + b"]" * 100_000, "不支持"),
            ("deep.csv", b"[" * 100_000 + b"]" * 100_000, "字符"),
        ]
        for name, data, words in files:
            with self.subTest(name):
                response = self.client.post(
                    reverse("remedies:import", args=["complaints"]),
                    {"file": SimpleUploadedFile(name, data)},
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(words, response.content.decode())
        self.assertEqual(Complaint.objects.count(), 0)
