"""Reading a report table from JSON, CSV or XLSX into the JSON shape, and writing CSV/XLSX.

Accepted inputs (docs/annual-report-json.md):
* JSON — the report's JSON form (or just its ``table2``/``table3``/``table4``/``breakdowns``);
* CSV/XLSX "long form" — one line per number: ``表格,路径,数值`` where 表格 is 表二/表三/表四/
  分类统计/合计 and 路径 the JSON path joined with `` > `` (what ``annual_report --format csv``
  writes, and the ``数据`` sheet of the XLSX export);
* CSV/XLSX "wide" table 三 — a header row holding 自然人 … 总计 and one row per row label (the
  official layout, as agencies keep it in a spreadsheet); on XLSX a ``表四`` sheet with the
  15 numbers of table 四 in one row is read as well.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from gongkai.lib import tabular
from gongkai.lib.taxonomy import TABLE3_COLUMNS, TABLE3_ROW_RESULTS
from gongkai.reports.tables import (
    TABLE2_LAYOUT,
    TABLE3_OTHER_2019,
    TABLE4_AFTER_REVIEW,
    TABLE4_DIRECT,
    TABLE4_LITIGATION,
    TABLE4_OUTCOMES,
    TABLE4_REVIEW,
    iter_table3_paths,
)
from gongkai.reports.validation import ReportFormatError, norm_label

SEP = " > "
TABLE_KEYS = {"表二": "table2", "表三": "table3", "表四": "table4"}
TABLE_NAMES = {v: k for k, v in TABLE_KEYS.items()}
LONG_HEADER = ["表格", "路径", "数值"]


# --- flattening ------------------------------------------------------------------------------
def _flatten(node: Any, prefix: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(node, dict):
        out = []
        for k, v in node.items():
            out += _flatten(v, prefix + (str(k),))
        return out
    return [(prefix, node)]


def breakdowns_to_tree(breakdowns: list[dict]) -> dict:
    tree: dict = {}
    for b in breakdowns:
        items = {
            i["label"]: {
                "数量": i.get("count"),
                **({"占比": i["share"]} if i.get("share") is not None else {}),
            }
            for i in b.get("items", [])
        }
        tree[b["title"]] = {
            "合计": b.get("total"),
            "单位": b.get("unit", ""),
            "小数位数": b.get("places", 1),
            "分项": items,
        }
    return tree


def tree_to_breakdowns(tree: dict) -> list[dict]:
    out = []
    for title, node in tree.items():
        items = [
            {"label": label, "count": v.get("数量"), "share": v.get("占比")}
            for label, v in (node.get("分项") or {}).items()
        ]
        places = node.get("小数位数", 1)
        try:
            places = int(places)
        except (TypeError, ValueError):
            places = 1
        out.append(
            {
                "title": title,
                "total": node.get("合计"),
                "unit": node.get("单位", ""),
                "places": places,
                "items": items,
            }
        )
    return out


def long_rows(data: dict) -> list[list[Any]]:
    """The long form of a report: [表格, 路径, 数值] for every number."""
    rows: list[list[Any]] = []
    for key in ("table2", "table3", "table4"):
        if key in data:
            rows += [[TABLE_NAMES[key], SEP.join(p), v] for p, v in _flatten(data[key], ())]
    if data.get("breakdowns"):
        for p, v in _flatten(breakdowns_to_tree(data["breakdowns"]), ()):
            rows.append(["分类统计", SEP.join(p), v])
    for s in data.get("sums") or []:
        rows.append(["合计", SEP.join((s["title"], "合计")), s["total"]])
        for k, v in s["parts"].items():
            rows.append(["合计", SEP.join((s["title"], "分项", k)), v])
    return rows


def _from_long(rows: list[list[Any]]) -> dict:
    data: dict = {}
    trees: dict[str, dict] = {}
    for n, row in enumerate(rows, start=2):
        if not row or all(c in (None, "") for c in row):
            continue
        if len(row) < 3:
            raise ReportFormatError(f"第{n}行应有“表格、路径、数值”三列。")
        table, path, value = str(row[0]).strip(), str(row[1]).strip(), row[2]
        if table not in TABLE_KEYS and table not in ("分类统计", "合计"):
            raise ReportFormatError(
                f"第{n}行：不认识的表格“{table}”（应为表二、表三、表四、分类统计或合计）。"
            )
        node = trees.setdefault(table, {})
        keys = [k.strip() for k in path.split(SEP.strip())]
        for k in keys[:-1]:
            node = node.setdefault(k, {})
            if not isinstance(node, dict):
                raise ReportFormatError(f"第{n}行：路径“{path}”与前面的行冲突。")
        node[keys[-1]] = value
    for name, key in TABLE_KEYS.items():
        if name in trees:
            data[key] = trees[name]
    if "分类统计" in trees:
        data["breakdowns"] = tree_to_breakdowns(trees["分类统计"])
    if "合计" in trees:
        data["sums"] = [
            {"title": t, "total": node.get("合计"), "parts": node.get("分项") or {}}
            for t, node in trees["合计"].items()
        ]
    return data


def _cell(c: Any) -> str:
    return norm_label(c) if c not in (None, "") else ""


def _table3_from_wide(rows: list[list[Any]]) -> dict | None:
    """Table 三 from a spreadsheet in the official layout (header row with 自然人 … 总计).

    Tolerant of real files: header cells written "商业 企业", with a line break, or split
    over two header rows ("商业" above "企业"); row labels as printed ("1、", "2．", quotes,
    line breaks — see ``validation.norm_label``); the 2019 trial format's single
    （六）其他处理 row. Rows that are not found are left out (the validator reports them)."""
    header_idx = None
    wanted = {norm_label(c): c for c in TABLE3_COLUMNS}
    for i, row in enumerate(rows):
        cells = [_cell(c) for c in row]
        if "自然人" in cells and "总计" in cells:
            header_idx = i
            break
    if header_idx is None:
        return None
    # the header may span rows (法人或其他组织 over 商业企业 …), and one label may be split
    # over two rows of the same column: try each cell and each pair of cells one above the other
    positions: dict[str, int] = {}
    header = rows[header_idx : header_idx + 4]
    width = max((len(r) for r in header), default=0)
    for j in range(width):
        column = [_cell(r[j]) if j < len(r) else "" for r in header]
        texts = [t for t in column if t]
        candidates = texts + ["".join(texts[k : k + 2]) for k in range(len(texts) - 1)]
        for text in candidates:
            label = wanted.get(text)
            if label and label not in positions:
                positions[label] = j
    missing = [c for c in TABLE3_COLUMNS if c not in positions]
    if missing:
        raise ReportFormatError("表三表头缺少列：" + "、".join(missing) + "。")
    first_col = min(positions.values())
    by_label: dict[str, list[Any]] = {}
    for row in rows[header_idx + 1 :]:
        labels = [_cell(c) for c in row[:first_col] if c not in (None, "")]
        if not labels:
            continue
        by_label.setdefault(labels[-1], row)

    def find(label: str) -> list[Any] | None:
        want = norm_label(label)
        if want in by_label:
            return by_label[want]
        # printed without its parenthetical note: "（二）部分公开"
        hits = [r for n, r in by_label.items() if len(n) >= 4 and want.startswith(n + "(")]
        return hits[0] if len(hits) == 1 else None

    table: dict = {}

    def put(path: tuple[str, ...], row: list[Any]) -> None:
        node = table
        for k in path[:-1]:
            node = node.setdefault(k, {})
        node[path[-1]] = {
            c: (row[positions[c]] if positions[c] < len(row) else None) for c in TABLE3_COLUMNS
        }

    for path, _key in iter_table3_paths():
        found = find(path[-1])
        if found is not None:
            put(path, found)
    results = table.get(TABLE3_ROW_RESULTS, {})
    other = find(TABLE3_OTHER_2019)
    if TABLE3_OTHER_2019 not in results and other is not None:
        put((TABLE3_ROW_RESULTS, TABLE3_OTHER_2019), other)  # the 2019 trial format
    return table


def _table4_from_rows(rows: list[list[Any]]) -> dict | None:
    for row in rows:
        numbers = [c for c in row if c not in (None, "")]
        if len(numbers) == 15 and all(str(c).strip().lstrip("-").isdigit() for c in numbers):
            groups = [numbers[0:5], numbers[5:10], numbers[10:15]]
            return {
                TABLE4_REVIEW: dict(zip(TABLE4_OUTCOMES, groups[0], strict=True)),
                TABLE4_LITIGATION: {
                    TABLE4_DIRECT: dict(zip(TABLE4_OUTCOMES, groups[1], strict=True)),
                    TABLE4_AFTER_REVIEW: dict(zip(TABLE4_OUTCOMES, groups[2], strict=True)),
                },
            }
    return None


def _from_rows(rows: list[list[Any]]) -> dict:
    header = [str(c).strip() if c is not None else "" for c in (rows[0] if rows else [])]
    if header[:3] == LONG_HEADER:
        return _from_long(rows[1:])
    table3 = _table3_from_wide(rows)
    if table3 is None:
        raise ReportFormatError(
            "无法识别表格：应为“表格,路径,数值”三列的长表，或含“自然人……总计”表头的表三。"
        )
    return {"table3": table3}


# --- public API ------------------------------------------------------------------------------
MAX_ROWS = 10_000  # a report table has a few hundred numbers at most


def read_report_file(path: str | Path) -> dict:
    """Parse a JSON, CSV or XLSX file into the report's JSON shape (ReportFormatError if unreadable)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReportFormatError(f"无法读取文件“{path}”：{exc.strerror}。") from exc
    try:
        if suffix == ".json":
            doc = tabular.read_json(raw)
            if not isinstance(doc, dict):
                raise ReportFormatError("JSON 文件应为一个对象（报告的 JSON 形式）。")
            return doc  # type: ignore[no-any-return]
        if suffix == ".csv":
            return _from_rows(tabular.read_csv(raw, max_rows=MAX_ROWS, header_row=False).rows)
        if suffix == ".xlsx":
            return _read_xlsx(raw)
    except tabular.TabularError as exc:
        raise ReportFormatError(str(exc)) from exc
    raise ReportFormatError(
        f"不支持的文件类型“{suffix or '无扩展名'}”：请使用 .json、.csv 或 .xlsx。"
    )


def _read_xlsx(raw: bytes) -> dict:
    sheets = tabular.read_xlsx_sheets(raw, max_rows=MAX_ROWS)
    if "数据" in sheets:
        return _from_rows(sheets["数据"])
    data: dict = {}
    for title, rows in sheets.items():
        if title == "表四" or (
            title not in ("表二", "表三") and _table4_from_rows(rows) and not data
        ):
            t4 = _table4_from_rows(rows)
            if t4:
                data["table4"] = t4
                continue
        t3 = _table3_from_wide(rows)
        if t3:
            data["table3"] = t3
    if not data:
        raise ReportFormatError("工作簿中找不到表三（含“自然人……总计”表头）或表四。")
    return data


def write_csv(data: dict) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(LONG_HEADER)
    writer.writerows(long_rows(data))
    return "\ufeff" + buf.getvalue()  # BOM: Excel opens UTF-8 CSV correctly


def write_xlsx(data: dict, *, title: str = "") -> bytes:
    """Workbook: 表二/表三/表四 in the official layout (merged header cells) plus 数据 (long form)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    first = True

    def sheet(name: str, width: int = 1):  # type: ignore[no-untyped-def]
        nonlocal first
        if first:
            ws = wb.active
            ws.title = name
            first = False
        else:
            ws = wb.create_sheet(name)
        if title:
            # the title spans the table, centred on one line: Excel/WPS wrap a long Chinese
            # title inside one narrow cell anywhere, even in the middle of a word
            ws.append([title])
            ws["A1"].font = Font(bold=True, size=14)
            ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=False)
            if width > 1:
                ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
            ws.row_dimensions[1].height = 24
        return ws

    if "table2" in data:
        ws = sheet("表二", 1 + max(len(columns) for _s, columns, _r in TABLE2_LAYOUT))
        for section, columns, rows in TABLE2_LAYOUT:
            ws.append([section])
            ws.append(["信息内容", *columns])
            for row in rows:
                ws.append([row, *[data["table2"][section][row][c] for c in columns]])
            ws.append([])
        ws.column_dimensions["A"].width = 24
        for letter in "BCDEFG"[: max(len(c) for _s, c, _r in TABLE2_LAYOUT)]:
            ws.column_dimensions[letter].width = 16  # room for the one-line title above
    if "table3" in data:
        from gongkai.reports.tables import Table3Row  # noqa: F401  (layout documented there)

        ws = sheet("表三", 3 + len(TABLE3_COLUMNS))
        start = ws.max_row + 1 if title else 1
        ws.append(
            [
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                "",
                "",
                "申请人情况",
            ]
        )
        ws.append(["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"])
        ws.append(
            ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
        )
        ws.merge_cells(start_row=start, start_column=1, end_row=start + 2, end_column=3)
        ws.merge_cells(start_row=start, start_column=4, end_row=start, end_column=10)
        ws.merge_cells(start_row=start + 1, start_column=4, end_row=start + 2, end_column=4)
        ws.merge_cells(start_row=start + 1, start_column=5, end_row=start + 1, end_column=9)
        ws.merge_cells(start_row=start + 1, start_column=10, end_row=start + 2, end_column=10)
        group_rows: dict[str, list[int]] = {}
        for path, _key in iter_table3_paths():
            node = data["table3"]
            for k in path:
                node = node[k]
            labels = ["", "", ""]
            if len(path) == 1:
                labels[0] = path[0]
            else:
                # a grouped row (三、本年度办理结果 → （一）…): the group's label goes in column A
                # of its first row and is merged down over the group, as in the official table
                rows_of_group = group_rows.setdefault(path[0], [])
                if not rows_of_group:
                    labels[0] = path[0]
                rows_of_group.append(ws.max_row + 1)
                if len(path) == 2:
                    labels[1] = path[1]
                else:
                    labels[1], labels[2] = path[1], path[2]
            ws.append([*labels, *[node[c] for c in TABLE3_COLUMNS]])
        for rows_of_group in group_rows.values():
            if len(rows_of_group) > 1:
                ws.merge_cells(
                    start_row=rows_of_group[0],
                    start_column=1,
                    end_row=rows_of_group[-1],
                    end_column=1,
                )
            ws.cell(row=rows_of_group[0], column=1).alignment = center
        for row in ws.iter_rows(min_row=start, max_row=start + 2):
            for cell in row:
                cell.alignment = center
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 30
        ws.column_dimensions["C"].width = 36
    if "table4" in data:
        ws = sheet("表四", 3 * len(TABLE4_OUTCOMES))
        start = ws.max_row + 1 if title else 1
        t4 = data["table4"]
        ws.append(["行政复议", "", "", "", "", "行政诉讼"])
        ws.append(["", "", "", "", "", "未经复议直接起诉", "", "", "", "", "复议后起诉"])
        ws.append(TABLE4_OUTCOMES * 3)
        ws.merge_cells(start_row=start, start_column=1, end_row=start + 1, end_column=5)
        ws.merge_cells(start_row=start, start_column=6, end_row=start, end_column=15)
        ws.merge_cells(start_row=start + 1, start_column=6, end_row=start + 1, end_column=10)
        ws.merge_cells(start_row=start + 1, start_column=11, end_row=start + 1, end_column=15)
        ws.append(
            [t4[TABLE4_REVIEW][c] for c in TABLE4_OUTCOMES]
            + [t4[TABLE4_LITIGATION][TABLE4_DIRECT][c] for c in TABLE4_OUTCOMES]
            + [t4[TABLE4_LITIGATION][TABLE4_AFTER_REVIEW][c] for c in TABLE4_OUTCOMES]
        )
        for row in ws.iter_rows(min_row=start, max_row=start + 2):
            for cell in row:
                cell.alignment = center
    ws = sheet("数据")
    if title:
        ws.delete_rows(1)
    ws.append(LONG_HEADER)
    for line in long_rows(data):
        ws.append(line)
    ws.column_dimensions["B"].width = 80
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
