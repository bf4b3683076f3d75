"""信息处理费 (国办函〔2020〕109号): pure functions, no database.

Both methods are 超额累进 (progressive by band); one method per application.

按件计收 (Art 4) — ``k`` is the 1-based running count of the same applicant's
applications in one natural month:
    k ≤ 10 → 0; 11 ≤ k ≤ 30 → 100 元; k > 30 → 100 + 100 × ⌈(k − 30) / 10⌉ 元
    (31–40 → 200, 41–50 → 300, … — one reading of "以10件为一档，每增加一档，提高100元/件").
按量计收 (Art 5) — pages of one application:
    ≤ 30 free; 31–100 → 10 元/页; 101–200 → 20 元/页; 201+ → 40 元/页.

Worked examples (reference/regulation.md §3): 45 applications in a month → 5,500 元 in
total; 150 pages → 1,700 元.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ITEM_FREE = 10
ITEM_BASE_LIMIT = 30
ITEM_BAND = 10
ITEM_STEP = Decimal(100)
PAGE_BANDS: tuple[tuple[int, int | None, Decimal], ...] = (
    (30, 100, Decimal(10)),
    (100, 200, Decimal(20)),
    (200, None, Decimal(40)),
)
PAGE_FREE = 30


def item_fee(k: int) -> Decimal:
    """The fee of the k-th application of one applicant in one natural month (yuan)."""
    if k < 1:
        raise ValueError("件序应为正整数。")
    if k <= ITEM_FREE:
        return Decimal(0)
    if k <= ITEM_BASE_LIMIT:
        return ITEM_STEP
    bands = -(-(k - ITEM_BASE_LIMIT) // ITEM_BAND)  # ceil
    return ITEM_STEP + ITEM_STEP * bands


def item_running_total(k: int) -> Decimal:
    """The month's total for applications 1 … k of one applicant (yuan)."""
    if k < 1:
        raise ValueError("件序应为正整数。")
    return sum((item_fee(i) for i in range(1, k + 1)), Decimal(0))


def page_fee(pages: int) -> Decimal:
    """The fee for ``pages`` pages of one application (yuan)."""
    if pages < 0:
        raise ValueError("页数不能为负数。")
    total = Decimal(0)
    for low, high, rate in PAGE_BANDS:
        upper = pages if high is None else min(pages, high)
        if upper > low:
            total += rate * (upper - low)
    return total


@dataclass(frozen=True)
class FeeComputation:
    method: str  # "item" | "page"
    amount: Decimal  # this application's fee
    units: int  # k (件序) or pages
    month_total: Decimal | None  # 按件 only: running total of the month
    explanation: str

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "method": self.method,
            "units": self.units,
            "amount_yuan": str(self.amount),
            "explanation": self.explanation,
        }
        if self.month_total is not None:
            data["month_total_yuan"] = str(self.month_total)
        return data


def compute(method: str, units: int, items: int = 1) -> FeeComputation:
    """One application's fee by ``method`` ("item": units = k, the rank of its first item;
    "page": units = pages). An application bundling several items counts as ``items``
    applications (109号 第四条 “一事一申请”, ranks k … k + items − 1)."""
    if method == "item":
        if items < 1:
            raise ValueError("件数应为正整数。")
        last = units + items - 1
        amount = sum((item_fee(k) for k in range(units, last + 1)), Decimal(0))
        total = item_running_total(last)
        if items > 1:
            why = f"按“一事一申请”原则拆分为{items}件，计为本月第{units}—{last}件，合计{amount}元"
        elif units <= ITEM_FREE:
            why = f"本月第{units}件，10件以内（含10件）不收费"
        elif units <= ITEM_BASE_LIMIT:
            why = f"本月第{units}件，11—30件部分按100元/件收取"
        else:
            why = f"本月第{units}件，超过30件的部分每10件为一档，本档{amount}元/件"
        return FeeComputation("item", amount, units, total, why + f"；本月累计{total}元。")
    if method == "page":
        amount = page_fee(units)
        parts = []
        for low, high, rate in PAGE_BANDS:
            upper = units if high is None else min(units, high)
            if upper > low:
                parts.append(f"第{low + 1}—{upper}页 {upper - low}页×{rate}元")
        why = "30页以下（含30页）不收费" + ("；" + "；".join(parts) if parts else "")
        return FeeComputation("page", amount, units, None, f"共{units}页，{why}；合计{amount}元。")
    raise ValueError("收费方式应为 item（按件）或 page（按量）。")
