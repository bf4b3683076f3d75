"""One reader for the CSV, XLSX and JSON files staff upload (catalog, remedies, calendar,
historical applications, report tables).

Every import goes through here so that each one has the same limits and the same Chinese
errors, whatever the file:

1. Text is UTF-8 (with or without BOM) or GB18030 (which includes GBK); anything else, or
   binary content (NUL and other control characters), is refused.
2. XLSX is checked as a ZIP container first (``gongkai.lib.archive.check_zip``: decompressed
   size, member count, compression ratio), must contain a workbook and at least one sheet;
   damaged XML anywhere in it is one error, not a 500.
3. The header row is read and handed to the caller's ``check_header`` *before* any data row,
   so a wrong file stops at line 1.
4. Data rows stop at ``max_rows`` (the error names the limit), a cell at ``MAX_FIELD_CHARS``
   characters, a row at ``MAX_COLUMNS`` cells, JSON at ``MAX_JSON_DEPTH`` levels of nesting.

Errors are ``TabularError`` (a ``ValueError`` with a Chinese message); callers re-raise them as
their own domain error.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gongkai.lib.archive import ArchiveError, check_zip

MAX_FIELD_CHARS = 100_000
MAX_COLUMNS = 200
MAX_JSON_DEPTH = 20
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(r"[\[\]{}]")

Cell = Any  # str | int | float | bool | datetime | None
HeaderCheck = Callable[[list[str]], None]


class TabularError(ValueError):
    """The file cannot be read as a table (message in Chinese)."""


@dataclass
class Table:
    """The header row and the non-blank data rows of a sheet or CSV file."""

    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def records(self) -> list[dict[str, Cell]]:
        """Rows as ``{header: value}`` (missing trailing cells are absent)."""
        return [dict(zip(self.header, row, strict=False)) for row in self.rows]


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def decode_text(data: bytes, *, label: str = "文件") -> str:
    """The text of a UTF-8 or GB18030 file; binary or other encodings are refused."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TabularError(f"{label}的编码无法识别：请保存为 UTF-8 或 GB18030（GBK）编码。")
    if _CONTROL.search(text):
        raise TabularError(f"{label}含有控制字符，不是文本文件：请上传 CSV 或 JSON 文本。")
    return text


def _is_blank(row: list[Cell] | tuple[Cell, ...]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)


def _check_row(row: list[Cell], line: int) -> list[Cell]:
    while row and (row[-1] is None or row[-1] == ""):
        row.pop()
    if len(row) > MAX_COLUMNS:
        raise TabularError(f"第{line}行超过 {MAX_COLUMNS} 列。")
    for cell in row:
        if isinstance(cell, str) and len(cell) > MAX_FIELD_CHARS:
            raise TabularError(f"第{line}行有单元格超过 {MAX_FIELD_CHARS} 个字符。")
    return row


def _header(row: list[Cell]) -> list[str]:
    return [str(h).strip() if h is not None else "" for h in row]


def _collect(
    lines: Iterator[tuple[int, list[Cell]]],
    *,
    max_rows: int,
    check_header: HeaderCheck | None,
    header_row: bool,
) -> Table:
    """Header first (checked before any data row), then capped data rows."""
    table: Table | None = None
    for line, raw in lines:
        if _is_blank(raw):
            continue
        row = _check_row(list(raw), line)
        if table is None and header_row:
            table = Table(header=_header(row))
            if check_header is not None:
                check_header(table.header)
            continue
        if table is None:
            table = Table(header=[])
        if len(table.rows) >= max_rows:
            raise TabularError(f"单个文件最多 {max_rows} 行数据，请拆分后导入。")
        table.rows.append(row)
    if table is None:
        if not header_row:
            return Table(header=[])  # an empty sheet of a workbook read sheet by sheet
        raise TabularError("文件为空：第一行应为表头。")
    return table


def _csv_lines(text: str) -> Iterator[tuple[int, list[Cell]]]:
    reader = csv.reader(io.StringIO(text))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise TabularError(
                    f"第{reader.line_num}行有单元格超过 {MAX_FIELD_CHARS} 个字符。"
                ) from exc
            raise TabularError(f"CSV 格式错误（第{reader.line_num}行）。") from exc
        yield reader.line_num, list(row)


def read_csv(
    data: bytes | str,
    *,
    max_rows: int,
    check_header: HeaderCheck | None = None,
    header_row: bool = True,
) -> Table:
    """The rows of a CSV file (UTF-8 or GB18030)."""
    text = data if isinstance(data, str) else decode_text(data, label="CSV 文件")
    return _collect(
        _csv_lines(text), max_rows=max_rows, check_header=check_header, header_row=header_row
    )


def _open_workbook(data: bytes) -> Any:
    try:
        names = check_zip(data, label="XLSX 文件", max_total=MAX_XLSX_UNCOMPRESSED)
    except ArchiveError as exc:
        raise TabularError(str(exc)) from exc
    if "xl/workbook.xml" not in names:
        raise TabularError("XLSX 文件已损坏或不是 Excel 工作簿。")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises a dozen types for one cause: a broken workbook
        raise TabularError("XLSX 文件已损坏或不是 Excel 工作簿。") from exc
    if not wb.worksheets:
        wb.close()
        raise TabularError("XLSX 工作簿中没有工作表。")
    return wb


def _sheet_lines(ws: Any) -> Iterator[tuple[int, list[Cell]]]:
    rows = ws.iter_rows(values_only=True)
    line = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - broken sheet XML surfaces while iterating
            raise TabularError(f"XLSX 工作表“{ws.title}”已损坏，无法读取。") from exc
        line += 1
        yield line, list(values or ())


def read_xlsx(
    data: bytes,
    *,
    max_rows: int,
    check_header: HeaderCheck | None = None,
    header_row: bool = True,
) -> Table:
    """The rows of the first sheet of a workbook."""
    wb = _open_workbook(data)
    try:
        return _collect(
            _sheet_lines(wb.worksheets[0]),
            max_rows=max_rows,
            check_header=check_header,
            header_row=header_row,
        )
    finally:
        wb.close()


def read_xlsx_sheets(data: bytes, *, max_rows: int) -> dict[str, list[list[Cell]]]:
    """Every sheet of a workbook as raw rows (no header interpretation), by sheet title."""
    wb = _open_workbook(data)
    try:
        out: dict[str, list[list[Cell]]] = {}
        budget = max_rows
        for ws in wb.worksheets:
            table = _collect(_sheet_lines(ws), max_rows=budget, check_header=None, header_row=False)
            out[ws.title] = table.rows
            budget -= len(table.rows)
        return out
    finally:
        wb.close()


def _json_depth(text: str) -> int:
    depth = deepest = 0
    for m in _JSON_BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if m.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def read_json(data: bytes, *, max_depth: int = MAX_JSON_DEPTH, label: str = "JSON 文件") -> Any:
    """A JSON document, refused if it nests deeper than ``max_depth`` (checked before parsing)."""
    text = decode_text(data, label=label)
    if _json_depth(text) > max_depth:
        raise TabularError(f"{label}嵌套层数过深（最多 {max_depth} 层）。")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise TabularError(f"{label}格式错误（第{exc.lineno}行）。") from exc
    except (ValueError, RecursionError) as exc:  # e.g. an integer of more than 4300 digits
        raise TabularError(f"{label}含有无法读取的数值或结构。") from exc


def read_json_records(
    data: bytes,
    *,
    max_rows: int,
    check_header: HeaderCheck | None = None,
    items_key: str = "items",
) -> Table:
    """A JSON array of flat objects (or ``{items_key: [...]}``) as a table; values must be scalars."""
    doc = read_json(data)
    if isinstance(doc, dict):
        doc = doc.get(items_key)
    if not isinstance(doc, list) or not all(isinstance(r, dict) for r in doc):
        raise TabularError(f"JSON 文件应为对象数组，或含 {items_key} 数组的对象。")
    header = sorted({str(k) for r in doc for k in r})
    if len(header) > MAX_COLUMNS:
        raise TabularError(f"JSON 记录的字段超过 {MAX_COLUMNS} 个。")
    if check_header is not None:
        check_header(header)
    if len(doc) > max_rows:
        raise TabularError(f"单个文件最多 {max_rows} 行数据，请拆分后导入。")
    table = Table(header=header)
    for n, record in enumerate(doc, start=1):
        row: list[Cell] = []
        for key in header:
            value = record.get(key)
            if isinstance(value, (dict, list)):
                raise TabularError(f"第{n}条记录的“{key}”应为单个值，不能是对象或数组。")
            if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
                raise TabularError(f"第{n}条记录的“{key}”超过 {MAX_FIELD_CHARS} 个字符。")
            row.append(value)
        table.rows.append(row)
    return table


def read_table(
    name: str,
    data: bytes,
    *,
    max_rows: int,
    check_header: HeaderCheck | None = None,
    formats: tuple[str, ...] = ("csv", "xlsx"),
) -> Table:
    """A CSV, XLSX or JSON file (by extension, among ``formats``) as header + data rows."""
    ext = extension(name)
    if ext not in formats:
        allowed = "、".join(f".{f}" for f in formats)
        raise TabularError(f"不支持的文件类型“{ext or '无扩展名'}”：只支持 {allowed} 文件。")
    if ext == "csv":
        return read_csv(data, max_rows=max_rows, check_header=check_header)
    if ext == "xlsx":
        return read_xlsx(data, max_rows=max_rows, check_header=check_header)
    return read_json_records(data, max_rows=max_rows, check_header=check_header)


def cell_text(value: Cell) -> str:
    """A cell as trimmed text (``3.0`` → ``"3"``, dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
