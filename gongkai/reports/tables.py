"""The annual report's tables (2021 national format) as data: labels, layout and JSON shape.

Labels are exactly those of 国办公开办函〔2021〕30号 (shared reference/regulation.md §2.3–2.5);
table 三's row and column labels come from ``gongkai.lib.taxonomy`` so a report cell can never
drift from the outcome a handler picks. The JSON shape documented in docs/annual-report-json.md
is built here (``table3_to_json`` …) and read back by the validator and by ``validate_report``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.lib.taxonomy import (
    OUTCOME_CELLS,
    TABLE3_COLUMNS,
    TABLE3_ROW_CARRIED_IN,
    TABLE3_ROW_CARRIED_OUT,
    TABLE3_ROW_NEW,
    TABLE3_ROW_RESULTS,
    TABLE3_ROW_TOTAL,
    ApplicantType,
)

APPLICANT_COLUMNS: list[str] = [label for _v, label in ApplicantType.choices]
TOTAL_COLUMN = TABLE3_COLUMNS[-1]  # "总计"
COLUMN_BY_TYPE: dict[str, str] = {value: label for value, label in ApplicantType.choices}

# --- table 二 -------------------------------------------------------------------------------
TABLE2_LAYOUT: list[tuple[str, list[str], list[str]]] = [
    # (section, columns, rows)
    (
        "第二十条第（一）项",
        ["本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "行政规范性文件"],
    ),
    ("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
    ("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"]),
]
TABLE2_FEE_COLUMN = "本年收费金额（单位：万元）"
# The 2019 trial format (国办公开办函〔2019〕60号; the 2019 and 2020 reports).
TABLE2_LAYOUT_2019: list[tuple[str, list[str], list[str]]] = [
    (
        "第二十条第（一）项",
        ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "规范性文件"],
    ),
    (
        "第二十条第（五）项",
        ["上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政许可", "其他对外管理服务事项"],
    ),
    (
        "第二十条第（六）项",
        ["上一年项目数量", "本年增/减", "处理决定数量"],
        ["行政处罚", "行政强制"],
    ),
    ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], ["行政事业性收费"]),
    ("第二十条第（九）项", ["采购项目数量", "采购总金额"], ["政府集中采购"]),
]
TABLE3_OTHER_2019 = "（六）其他处理"  # one row in the 2019 trial format

# --- table 三 -------------------------------------------------------------------------------
# The result groups in order: "" for the single rows （一）（二）, else the row-span label.
RESULT_GROUPS: list[str] = []
for _cell in OUTCOME_CELLS:
    _key = _cell.group or _cell.label
    if _key not in RESULT_GROUPS:
        RESULT_GROUPS.append(_key)


@dataclass(frozen=True)
class Table3Row:
    """One numbered row of table 三 in display order."""

    key: str  # an OUTCOME_CELLS code, or new / carried_in / total / carried_out
    label: str  # the exact row label
    group: str = ""  # the row-span label for sub-rows of （三）–（六）


TABLE3_ROWS: list[Table3Row] = (
    [Table3Row("new", TABLE3_ROW_NEW), Table3Row("carried_in", TABLE3_ROW_CARRIED_IN)]
    + [Table3Row(c.code, c.label, c.group) for c in OUTCOME_CELLS]
    + [Table3Row("total", TABLE3_ROW_TOTAL), Table3Row("carried_out", TABLE3_ROW_CARRIED_OUT)]
)

# --- table 四 -------------------------------------------------------------------------------
TABLE4_OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
TABLE4_REVIEW = "行政复议"
TABLE4_LITIGATION = "行政诉讼"
TABLE4_DIRECT = "未经复议直接起诉"
TABLE4_AFTER_REVIEW = "复议后起诉"


@dataclass
class Table2:
    """第二十条 items. ``values[(row, column)]``; the fee in 万元 (Decimal, 4 places)."""

    values: dict[tuple[str, str], int | Decimal] = field(default_factory=dict)

    def get(self, row: str, column: str) -> int | Decimal:
        return self.values.get((row, column), 0)

    def to_json(self) -> dict:
        out: dict = {}
        for section, columns, rows in TABLE2_LAYOUT:
            out[section] = {row: {col: _num(self.get(row, col)) for col in columns} for row in rows}
        return out


@dataclass
class Table3:
    """Counts by row key (see ``TABLE3_ROWS``) and applicant type value; 总计 is derived."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def cell(self, key: str, applicant_type: str) -> int:
        return self.counts.get(key, {}).get(applicant_type, 0)

    def row_total(self, key: str) -> int:
        return sum(self.counts.get(key, {}).values())

    def row(self, key: str) -> list[int]:
        """The seven numbers of a row: six applicant columns then 总计."""
        values = [self.cell(key, t) for t, _l in ApplicantType.choices]
        return values + [sum(values)]

    def to_json(self) -> dict:
        def cols(key: str) -> dict[str, int]:
            return dict(zip(TABLE3_COLUMNS, self.row(key), strict=True))

        results: dict = {}
        for cell in OUTCOME_CELLS:
            if cell.group:
                results.setdefault(cell.group, {})[cell.label] = cols(cell.code)
            else:
                results[cell.label] = cols(cell.code)
        results[TABLE3_ROW_TOTAL] = cols("total")
        return {
            TABLE3_ROW_NEW: cols("new"),
            TABLE3_ROW_CARRIED_IN: cols("carried_in"),
            TABLE3_ROW_RESULTS: results,
            TABLE3_ROW_CARRIED_OUT: cols("carried_out"),
        }


@dataclass
class Table4:
    """Review and litigation counts: ``counts[(kind, outcome)]`` with kind review/direct/after_review
    and outcome upheld/corrected/other/pending; totals are derived."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    OUTCOME_KEYS = ("upheld", "corrected", "other", "pending")

    def group(self, kind: str) -> list[int]:
        values = [self.counts.get((kind, o), 0) for o in self.OUTCOME_KEYS]
        return values + [sum(values)]

    def flat(self) -> list[int]:
        return self.group("review") + self.group("direct") + self.group("after_review")

    def to_json(self) -> dict:
        return {
            TABLE4_REVIEW: dict(zip(TABLE4_OUTCOMES, self.group("review"), strict=True)),
            TABLE4_LITIGATION: {
                TABLE4_DIRECT: dict(zip(TABLE4_OUTCOMES, self.group("direct"), strict=True)),
                TABLE4_AFTER_REVIEW: dict(
                    zip(TABLE4_OUTCOMES, self.group("after_review"), strict=True)
                ),
            },
        }


def _num(value: int | Decimal) -> int | float:
    if isinstance(value, Decimal):
        return float(value)
    return value


def share(part: int, whole: int, places: int = 1) -> Decimal | None:
    """``part`` as a percentage of ``whole``, rounded half-up to ``places`` decimals."""
    if not whole:
        return None
    q = Decimal(1).scaleb(-places)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(q, rounding="ROUND_HALF_UP")


def iter_table3_paths_2019() -> Iterable[tuple[tuple[str, ...], str]]:
    """Like ``iter_table3_paths`` for the 2019 trial format: （六）其他处理 is one row (key
    ``other_2019``) instead of three sub-rows."""
    done = False
    for path, key in iter_table3_paths():
        if key.startswith("other"):
            if not done:
                done = True
                yield (TABLE3_ROW_RESULTS, TABLE3_OTHER_2019), "other_2019"
            continue
        yield path, key


def iter_table3_paths() -> Iterable[tuple[tuple[str, ...], str]]:
    """(JSON path, row key) for every numbered row of table 三."""
    yield (TABLE3_ROW_NEW,), "new"
    yield (TABLE3_ROW_CARRIED_IN,), "carried_in"
    for c in OUTCOME_CELLS:
        path = (TABLE3_ROW_RESULTS, c.group, c.label) if c.group else (TABLE3_ROW_RESULTS, c.label)
        yield path, c.code
    yield (TABLE3_ROW_RESULTS, TABLE3_ROW_TOTAL), "total"
    yield (TABLE3_ROW_CARRIED_OUT,), "carried_out"
