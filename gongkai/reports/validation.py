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
* 2012-style sums: the parts add up to the stated total.
"""

from __future__ import annotations

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
    TABLE3_ROWS,
    TABLE4_AFTER_REVIEW,
    TABLE4_DIRECT,
    TABLE4_LITIGATION,
    TABLE4_OUTCOMES,
    TABLE4_REVIEW,
    TOTAL_COLUMN,
    iter_table3_paths,
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


def validate_report_data(data: Any) -> list[Issue]:
    """Every inconsistency of a report in its JSON shape (empty list: consistent)."""
    if not isinstance(data, dict):
        raise ReportFormatError("报告数据应为一个 JSON 对象。")
    known = {"table2", "table3", "table4", "breakdowns", "sums"}
    if not known & data.keys():
        raise ReportFormatError(
            "没有可检查的表格：应至少包含 table2、table3、table4、breakdowns 或 sums 之一。"
        )
    issues: list[Issue] = []
    if "table2" in data:
        issues += _check_table2(data["table2"])
    if "table3" in data:
        issues += _check_table3(data["table3"])
    if "table4" in data:
        issues += _check_table4(data["table4"])
    for i, breakdown in enumerate(data.get("breakdowns") or []):
        issues += _check_breakdown(breakdown, i)
    for i, item in enumerate(data.get("sums") or []):
        issues += _check_sum(item, i)
    return issues


# --- helpers ---------------------------------------------------------------------------------
def _int(value: Any, where: str, issues: list[Issue]) -> int | None:
    if isinstance(value, bool):
        value = None
    if isinstance(value, str):
        value = value.strip().replace(",", "")
        if value == "":
            value = "0"
    try:
        dec = Decimal(str(value))
    except (InvalidOperation, ValueError):
        issues.append(Issue(where, f"应为非负整数，实为“{value}”。"))
        return None
    if dec != dec.to_integral_value() or dec < 0:
        issues.append(Issue(where, f"应为非负整数，实为“{value}”。"))
        return None
    return int(dec)


def _dec(value: Any, where: str, issues: list[Issue]) -> Decimal | None:
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
    node = tree
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


# --- table 二 --------------------------------------------------------------------------------
def _check_table2(table: Any) -> list[Issue]:
    issues: list[Issue] = []
    if not isinstance(table, dict):
        return [Issue("表二", "应为按“第二十条第（…）项”分节的对象。")]
    for section, columns, rows in TABLE2_LAYOUT:
        for row in rows:
            for col in columns:
                where = f"表二 {section}“{row}”“{col}”"
                value = _get(table, (section, row, col))
                if value is None:
                    issues.append(Issue(where, "缺少此项。"))
                elif "万元" in col:
                    _dec(value, where, issues)
                else:
                    _int(value, where, issues)
    return issues


# --- table 三 --------------------------------------------------------------------------------
def _check_table3(table: Any) -> list[Issue]:
    issues: list[Issue] = []
    if not isinstance(table, dict):
        return [Issue("表三", "应为按行标签组织的对象。")]
    grid: dict[str, dict[str, int]] = {}
    for path, key in iter_table3_paths():
        label = path[-1]
        row = _get(table, path)
        if row is None:
            issues.append(Issue(f"表三“{label}”", "缺少此行。"))
            continue
        if not isinstance(row, dict):
            issues.append(Issue(f"表三“{label}”", "应为按列标签（自然人……总计）给出的数值。"))
            continue
        unknown = set(row) - set(TABLE3_COLUMNS)
        if unknown:
            issues.append(
                Issue(f"表三“{label}”", "有不认识的列：" + "、".join(sorted(unknown)) + "。")
            )
        values: dict[str, int] = {}
        for col in TABLE3_COLUMNS:
            if col not in row:
                issues.append(Issue(f"表三“{label}”“{col}”列", "缺少此项。"))
                continue
            n = _int(row[col], f"表三“{label}”“{col}”列", issues)
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
    result_keys = [
        r.key for r in TABLE3_ROWS if r.key not in ("new", "carried_in", "total", "carried_out")
    ]
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
            if col not in group:
                issues.append(Issue(f"表四“{name}”“{col}”", "缺少此项。"))
                continue
            n = _int(group[col], f"表四“{name}”“{col}”", issues)
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
