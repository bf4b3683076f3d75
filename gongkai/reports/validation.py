"""Consistency checks (勾稽关系) on a report given in its JSON shape (docs/annual-report-json.md).

One validator for reports computed here and for tables typed in or imported from another
system (``manage.py validate_report``). It never stops at the first problem: every
inconsistency is listed, each with a Chinese message naming the table, row and column and
the numbers that disagree.

Checks:
* table 二: every cell present, a non-negative number;
* table 三, per column: 一 + 二 = （七）总计 + 四; （七）= （一）+（二）+ every sub-row of
  （三）–（六）; per row: 总计 = the sum of the six applicant columns; counts are integers ≥ 0;
* table 四: each 总计 = the sum of the four outcome cells before it;
* 2012-style breakdowns: the parts add up to the total; each share matches its count within
  the rounding of its printed precision; the shares add up to 100 % within rounding;
* 2012-style sums: the parts add up to the stated total;
* the narrative (``narrative``: text, or the report's sections) against the tables: every
  "予以公开N件", "无法提供N件", "行政复议N件" … must be the table's figure.

Real published tables are read tolerantly: labels match after normalisation (``norm_label``:
full-width/half-width, "1、" = "1." = "1．", spaces and line breaks inside labels, any quotes
around 三安全一稳定; a label printed without its parenthetical note matches by prefix);
blank cells, JSON null and "-"/"—"/"/" count as 0 like CSV blanks; a missing row is reported
and counted as 0 so the column checks still run (a planted error elsewhere is still found).
Both national formats are known: the 2021 format (国办公开办函〔2021〕30号) and the 2019
trial format (国办公开办函〔2019〕60号: other table 二 columns, （六）其他处理 one row), chosen by
``format`` in the data or detected from the table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from gongkai.lib.taxonomy import (
    TABLE3_COLUMNS,
    TABLE3_ROW_CARRIED_IN,
    TABLE3_ROW_CARRIED_OUT,
    TABLE3_ROW_NEW,
    TABLE3_ROW_TOTAL,
)
from gongkai.reports.tables import (
    APPLICANT_COLUMNS,
    TABLE2_LAYOUT,
    TABLE2_LAYOUT_2019,
    TABLE4_AFTER_REVIEW,
    TABLE4_DIRECT,
    TABLE4_LITIGATION,
    TABLE4_OUTCOMES,
    TABLE4_REVIEW,
    TOTAL_COLUMN,
    iter_table3_paths,
    iter_table3_paths_2019,
)
from gongkai.reports.tables import (
    share as share_of,
)


@dataclass(frozen=True)
class Issue:
    """One inconsistency: where (``location``) and what (``message``), both in Chinese."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}：{self.message}"


class ReportFormatError(ValueError):
    """The file is not a report table at all (unreadable, wrong shape); Chinese message."""


def validate_report_data(data: Any, *, style: str | None = None) -> list[Issue]:
    """Every inconsistency of a report in its JSON shape (empty list: consistent).

    ``style`` is "2021" or "2019" (the 2019 trial format); None: the data's ``format``,
    else detected from the tables (``detect_format``)."""
    if not isinstance(data, dict):
        raise ReportFormatError("报告数据应为一个 JSON 对象。")
    known = {"table2", "table3", "table4", "breakdowns", "sums"}
    if not known & data.keys():
        raise ReportFormatError(
            "没有可检查的表格：应至少包含 table2、table3、table4、breakdowns 或 sums 之一。"
        )
    style = style or detect_format(data)
    if style not in ("2019", "2021"):
        raise ReportFormatError("格式应为 2021（国办公开办函〔2021〕30号）或 2019（试行格式）。")
    issues: list[Issue] = []
    grid: dict[str, dict[str, int]] = {}
    if "table2" in data:
        issues += _check_table2(data["table2"], style)
    if "table3" in data:
        issues += _check_table3(data["table3"], style, grid)
    if "table4" in data:
        issues += _check_table4(data["table4"])
    for i, breakdown in enumerate(data.get("breakdowns") or []):
        issues += _check_breakdown(breakdown, i)
    for i, item in enumerate(data.get("sums") or []):
        issues += _check_sum(item, i)
    narrative = data.get("narrative")
    if narrative and (grid or "table4" in data):
        issues += check_narrative(narrative, grid, data.get("table4"), style)
    return issues


TABLE3_ROW_RESULTS = "三、本年度办理结果"


def detect_format(data: dict) -> str:
    """ "2019" for the trial format (table 二 has 第二十条第（九）项, or table 三's （六）其他处理
    is one row), else "2021"; an explicit ``format`` ("2019"/"2021") wins."""
    explicit = str(data.get("format") or "").strip()
    if explicit in ("2019", "2021"):
        return explicit
    t2 = data.get("table2")
    if isinstance(t2, dict) and _lookup(t2, "第二十条第（九）项")[0]:
        return "2019"
    found, results = _lookup(data.get("table3") or {}, TABLE3_ROW_RESULTS)
    if found and isinstance(results, dict):
        found, other = _lookup(results, "（六）其他处理")
        if found and isinstance(other, dict) and any(_norm_col(k) for k in other):
            return "2019"
    return "2021"


# --- tolerant labels -------------------------------------------------------------------------
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")
_BLANKS = {"", "-", "—", "－", "–", "/", "／", "\\", "无"}


def norm_label(text: Any) -> str:
    """A label as printed → its comparison key: NFKC (full-width digits, dots and brackets
    become half-width), no whitespace at all (line breaks inside a label), no quotes, and
    "1、" / "1．" / "1." alike."""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"\s+", "", s).translate(_QUOTES)
    s = re.sub(r"^(\d+)[、.]", r"\1.", s)
    return s.rstrip("。:：")


_COLS = {norm_label(c): c for c in TABLE3_COLUMNS}


def _norm_col(key: Any) -> str | None:
    return _COLS.get(norm_label(key))


_MISSING = object()


def _lookup(node: Any, key: str) -> tuple[bool, Any]:
    """(found, value) of ``key`` in ``node``: exact, else the same label after
    ``norm_label``, else the one key that is the label without its parenthetical note
    ("（二）部分公开" for "（二）部分公开（区分处理的，…）")."""
    if not isinstance(node, dict):
        return False, None
    if key in node:
        return True, node[key]
    want = norm_label(key)
    normed = {norm_label(k): k for k in node}
    if want in normed:
        return True, node[normed[want]]
    candidates = [k for n, k in normed.items() if len(n) >= 4 and want.startswith(n + "(")]
    if len(candidates) == 1:
        return True, node[candidates[0]]
    return False, None


# --- helpers ---------------------------------------------------------------------------------
def _int(value: Any, where: str, issues: list[Issue], *, signed: bool = False) -> int | None:
    """A count; blank, null and "-" are 0 (printed tables leave zeros empty)."""
    if isinstance(value, bool):
        value = "?"
    if value is None:
        return 0
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).strip().replace(",", "")
        if value in _BLANKS:
            return 0
    kind = "整数" if signed else "非负整数"
    try:
        dec = Decimal(str(value))
    except (InvalidOperation, ValueError):
        issues.append(Issue(where, f"应为{kind}，实为“{value}”。"))
        return None
    if not dec.is_finite() or dec != dec.to_integral_value() or (dec < 0 and not signed):
        issues.append(Issue(where, f"应为{kind}，实为“{value}”。"))
        return None
    return int(dec)


def _dec(value: Any, where: str, issues: list[Issue]) -> Decimal | None:
    if value is None or (isinstance(value, str) and value.strip() in _BLANKS):
        return Decimal(0)
    try:
        dec = Decimal(str(value).strip().replace(",", "").rstrip("%"))
    except (InvalidOperation, ValueError):
        issues.append(Issue(where, f"应为数值，实为“{value}”。"))
        return None
    if dec < 0 or not dec.is_finite():
        issues.append(Issue(where, f"不应为负数或非数值，实为“{value}”。"))
        return None
    return dec


def _get(tree: Any, path: tuple[str, ...]) -> Any:
    """The value at ``path`` (tolerant label matching), or ``_MISSING``."""
    node = tree
    for key in path:
        found, node = _lookup(node, key)
        if not found:
            return _MISSING
    return node


# --- table 二 --------------------------------------------------------------------------------
def _check_table2(table: Any, style: str = "2021") -> list[Issue]:
    issues: list[Issue] = []
    if not isinstance(table, dict):
        return [Issue("表二", "应为按“第二十条第（…）项”分节的对象。")]
    layout = TABLE2_LAYOUT_2019 if style == "2019" else TABLE2_LAYOUT
    for section, columns, rows in layout:
        for row in rows:
            for col in columns:
                where = f"表二 {section}“{row}”“{col}”"
                value = _get(table, (section, row, col))
                if value is _MISSING:
                    issues.append(Issue(where, "缺少此项。"))
                elif "万元" in col or "金额" in col:
                    _dec(value, where, issues)
                else:
                    _int(value, where, issues, signed="增/减" in col)
    return issues


# --- table 三 --------------------------------------------------------------------------------
def _check_table3(
    table: Any, style: str = "2021", grid: dict[str, dict[str, int]] | None = None
) -> list[Issue]:
    """Rows, the 总计 column, the （七）总计 row and the 勾稽关系 per column. A missing row or
    cell is reported and counted as 0, so the sums are still checked."""
    issues: list[Issue] = []
    if not isinstance(table, dict):
        return [Issue("表三", "应为按行标签组织的对象。")]
    grid = {} if grid is None else grid
    paths = list(iter_table3_paths_2019() if style == "2019" else iter_table3_paths())
    for path, key in paths:
        label = path[-1]
        row = _get(table, path)
        if row is _MISSING or row is None:
            issues.append(Issue(f"表三“{label}”", "缺少此行（勾稽检查中按0计）。"))
            grid[key] = {c: 0 for c in TABLE3_COLUMNS}
            continue
        if not isinstance(row, dict):
            issues.append(Issue(f"表三“{label}”", "应为按列标签（自然人……总计）给出的数值。"))
            continue
        unknown = [str(k) for k in row if _norm_col(k) is None]
        if unknown:
            issues.append(
                Issue(f"表三“{label}”", "有不认识的列：" + "、".join(sorted(unknown)) + "。")
            )
        values: dict[str, int] = {}
        for col in TABLE3_COLUMNS:
            found, raw = _lookup(row, col)
            if not found:
                issues.append(Issue(f"表三“{label}”“{col}”列", "缺少此项（按0计）。"))
                values[col] = 0
                continue
            n = _int(raw, f"表三“{label}”“{col}”列", issues)
            if n is not None:
                values[col] = n
        grid[key] = values
        if all(c in values for c in TABLE3_COLUMNS):
            applicant_sum = sum(values[c] for c in APPLICANT_COLUMNS)
            if applicant_sum != values[TOTAL_COLUMN]:
                issues.append(
                    Issue(
                        f"表三“{label}”",
                        f"“总计”列为{values[TOTAL_COLUMN]}，但自然人至“其他”六列之和为"
                        f"{applicant_sum}（总计应等于各类申请人之和）。",
                    )
                )
    result_keys = [k for _p, k in paths if k not in ("new", "carried_in", "total", "carried_out")]
    for col in TABLE3_COLUMNS:

        def v(key: str, col: str = col) -> int | None:
            return grid.get(key, {}).get(col)

        cells = [v(k) for k in result_keys]
        total = v("total")
        if total is not None and all(c is not None for c in cells):
            cell_sum = sum(c for c in cells if c is not None)
            if cell_sum != total:
                issues.append(
                    Issue(
                        f"表三“{col}”列",
                        f"“{TABLE3_ROW_TOTAL}”为{total}，但（一）至（六）各项之和为{cell_sum}"
                        "（总计应等于各办理结果之和）。",
                    )
                )
        new, carried_in, carried_out = v("new"), v("carried_in"), v("carried_out")
        if None not in (new, carried_in, carried_out, total):
            left = new + carried_in  # type: ignore[operator]
            right = total + carried_out  # type: ignore[operator]
            if left != right:
                issues.append(
                    Issue(
                        f"表三“{col}”列",
                        f"“{TABLE3_ROW_NEW}”{new}＋“{TABLE3_ROW_CARRIED_IN}”{carried_in}＝{left}，"
                        f"而“{TABLE3_ROW_TOTAL}”{total}＋“{TABLE3_ROW_CARRIED_OUT}”{carried_out}＝"
                        f"{right}，不相等（勾稽关系：第一项加第二项之和，等于第三项加第四项之和）。",
                    )
                )
    return issues


# --- table 四 --------------------------------------------------------------------------------
def _check_table4(table: Any) -> list[Issue]:
    issues: list[Issue] = []
    groups = [
        ((TABLE4_REVIEW,), TABLE4_REVIEW),
        ((TABLE4_LITIGATION, TABLE4_DIRECT), f"{TABLE4_LITIGATION}·{TABLE4_DIRECT}"),
        ((TABLE4_LITIGATION, TABLE4_AFTER_REVIEW), f"{TABLE4_LITIGATION}·{TABLE4_AFTER_REVIEW}"),
    ]
    for path, name in groups:
        group = _get(table, path)
        if not isinstance(group, dict):
            issues.append(Issue(f"表四“{name}”", "缺少此组。"))
            continue
        values: dict[str, int] = {}
        for col in TABLE4_OUTCOMES:
            found, raw = _lookup(group, col)
            if not found:
                issues.append(Issue(f"表四“{name}”“{col}”", "缺少此项。"))
                continue
            n = _int(raw, f"表四“{name}”“{col}”", issues)
            if n is not None:
                values[col] = n
        if len(values) == len(TABLE4_OUTCOMES):
            parts = sum(values[c] for c in TABLE4_OUTCOMES[:-1])
            if parts != values["总计"]:
                issues.append(
                    Issue(
                        f"表四“{name}”",
                        f"“总计”为{values['总计']}，但结果维持、结果纠正、其他结果、尚未审结之和为"
                        f"{parts}。",
                    )
                )
    return issues


# --- the narrative against the tables -----------------------------------------------------------
# (what the text calls it, regex of the mention, how to get the figure from the tables)
_GAP = r"[^0-9，。；;,、\n]{0,8}?"
NARRATIVE_TERMS: list[tuple[str, str, tuple[str, ...]]] = [
    ("新收政府信息公开申请", r"(?:新收|收到)[^0-9，。；;\n]{0,14}?申请" + _GAP, ("new",)),
    ("上年结转", r"上年(?:度)?结转" + _GAP, ("carried_in",)),
    ("予以公开", r"(?<!不)予以公开" + _GAP, ("disclose",)),
    ("部分公开", r"部分公开" + _GAP, ("partial",)),
    ("不予公开", r"不予公开" + _GAP, ("withhold_",)),
    ("无法提供", r"无法提供" + _GAP, ("unable_",)),
    ("不予处理", r"不予处理" + _GAP, ("reject_",)),
    ("其他处理", r"其他处理" + _GAP, ("other",)),
    ("结转下年度继续办理", r"结转下(?:一)?年(?:度)?(?:继续办理)?" + _GAP, ("carried_out",)),
]


def _narrative_text(narrative: Any) -> str:
    if isinstance(narrative, dict):
        return "\n".join(str(v) for v in narrative.values() if v)
    return str(narrative)


def check_narrative(
    narrative: Any, grid: dict[str, dict[str, int]], table4: Any, style: str = "2021"
) -> list[Issue]:
    """Every figure the text states (“无法提供265件”, “行政复议3件”) against the tables: the 总计
    column of table 三 (a group's figure is the sum of its sub-rows) and table 四's totals."""
    text = unicodedata.normalize("NFKC", _narrative_text(narrative))
    issues: list[Issue] = []
    figures: dict[str, int] = {}
    for name, _rx, prefixes in NARRATIVE_TERMS:
        keys = [
            k
            for k in grid
            if any(k == p or (p.endswith("_") and k.startswith(p)) for p in prefixes)
        ]
        if name == "其他处理":
            keys = [k for k in grid if k.startswith("other")]
        if keys:
            figures[name] = sum(grid[k].get(TOTAL_COLUMN, 0) for k in keys)
    if isinstance(table4, dict):
        t4: dict[str, int] = {}
        for label, path in (
            ("行政复议", (TABLE4_REVIEW, "总计")),
            ("未经复议直接起诉", (TABLE4_LITIGATION, TABLE4_DIRECT, "总计")),
            ("复议后起诉", (TABLE4_LITIGATION, TABLE4_AFTER_REVIEW, "总计")),
        ):
            n = _int(_get(table4, path) if _get(table4, path) is not _MISSING else 0, "", [])
            t4[label] = n or 0
        figures["行政复议"] = t4["行政复议"]
        figures["行政诉讼"] = t4["未经复议直接起诉"] + t4["复议后起诉"]
    terms = list(NARRATIVE_TERMS) + [
        ("行政复议", r"行政复议" + _GAP, ()),
        ("行政诉讼", r"行政诉讼" + _GAP, ()),
    ]
    seen: set[tuple[str, int, int]] = set()
    for name, rx, _p in terms:
        if name not in figures:
            continue
        for m in re.finditer(rx + r"(\d+)\s*(?:件|起|宗)", text):
            stated = int(m.group(1))
            if (name, m.start(), stated) in seen:
                continue
            seen.add((name, m.start(), stated))
            if stated != figures[name]:
                table = "表四" if name in ("行政复议", "行政诉讼") else "表三"
                issues.append(
                    Issue(
                        f"正文与{table}",
                        f"正文写“{m.group(0)}”，但{table}中“{name}”为{figures[name]}件。",
                    )
                )
    return issues


# --- 2012-style breakdowns and sums -----------------------------------------------------------
def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f")


def _check_breakdown(breakdown: Any, index: int) -> list[Issue]:
    issues: list[Issue] = []
    if not isinstance(breakdown, dict):
        return [Issue(f"第{index + 1}项分类统计", "应为包含 title、total、items 的对象。")]
    title = str(breakdown.get("title") or f"第{index + 1}项分类统计")
    unit = str(breakdown.get("unit") or "")
    places = breakdown.get("places", 1)
    if not isinstance(places, int) or not 0 <= places <= 4:
        issues.append(Issue(title, "places（百分比小数位数）应为0至4的整数。"))
        places = 1
    total = _int(breakdown.get("total"), f"{title}“合计”", issues)
    items = breakdown.get("items")
    if not isinstance(items, list) or not items:
        issues.append(Issue(title, "缺少分项（items）。"))
        return issues
    counts: list[tuple[str, int | None, Decimal | None]] = []
    for item in items:
        label = str(item.get("label", "?")) if isinstance(item, dict) else "?"
        if not isinstance(item, dict):
            issues.append(Issue(title, "分项应为包含 label、count、share 的对象。"))
            continue
        count = _int(item.get("count"), f"{title}“{label}”", issues)
        pct = None
        if item.get("share") is not None:
            pct = _dec(item["share"], f"{title}“{label}”占比", issues)
        counts.append((label, count, pct))
    half = Decimal(5).scaleb(-(places + 1))
    if total is not None and all(c is not None for _l, c, _p in counts):
        parts = sum(c for _l, c, _p in counts if c is not None)
        if breakdown.get("complete", True) and parts != total:
            diff = total - parts
            message = (
                f"各分项之和为{parts}{unit}，与合计{total}{unit}不符（相差{abs(diff)}{unit}，"
                f"分项{'少' if diff > 0 else '多'}计）。"
            )
            # one item whose share is grossly off is the likely culprit: say what it would be
            gross = [
                (label, count)
                for label, count, pct in counts
                if pct is not None
                and count is not None
                and total
                and abs(pct - Decimal(count) * 100 / Decimal(total)) > 1
            ]
            if len(gross) == 1 and gross[0][1] is not None and gross[0][1] + diff >= 0:
                label, count = gross[0]
                fixed = count + diff
                message += (
                    f"若以合计为准，“{label}”应为{fixed}{unit}"
                    f"（{share_of(fixed, total, places)}%）。"
                )
            issues.append(Issue(title, message))
    if total:
        for label, count, pct in counts:
            if count is None or pct is None:
                continue
            exact = Decimal(count) * 100 / Decimal(total)
            if abs(pct - exact) > half + Decimal("1e-9"):
                rounded = exact.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
                message = (
                    f"占比写作{_fmt(pct)}%，但{count}{unit}÷{total}{unit}＝{exact:.3f}%，"
                    f"按{places}位小数应为{rounded}%。"
                )
                implied = (pct * Decimal(total) / 100).quantize(Decimal(1))
                if abs(pct - exact) > 1:
                    message += f"按所写占比反推，数量应约为{implied}{unit}。"
                issues.append(Issue(f"{title}“{label}”", message))
        shares = [p for _l, _c, p in counts if p is not None]
        if shares and len(shares) == len(counts) and breakdown.get("complete", True):
            total_share = sum(shares, Decimal(0))
            if abs(total_share - 100) > half * len(shares) + Decimal("1e-9"):
                issues.append(
                    Issue(
                        title,
                        f"各分项占比之和为{_fmt(total_share)}%，超出四舍五入误差范围"
                        f"（应在100%±{_fmt(half * len(shares))}%之内）。",
                    )
                )
    return issues


def _check_sum(item: Any, index: int) -> list[Issue]:
    issues: list[Issue] = []
    if not isinstance(item, dict) or not isinstance(item.get("parts"), dict):
        return [Issue(f"第{index + 1}项合计", "应为包含 title、total、parts 的对象。")]
    title = str(item.get("title") or f"第{index + 1}项合计")
    unit = str(item.get("unit") or "")
    total = _int(item.get("total"), f"{title}“合计”", issues)
    parts = {k: _int(v, f"{title}“{k}”", issues) for k, v in item["parts"].items()}
    if total is not None and all(v is not None for v in parts.values()):
        got = sum(v for v in parts.values() if v is not None)
        if got != total:
            names = "＋".join(f"{k}{v}" for k, v in parts.items())
            issues.append(Issue(title, f"{names}＝{got}{unit}，与合计{total}{unit}不符。"))
    return issues
