"""Print a 信息处理费 computation (国办函〔2020〕109号) as JSON.

    python manage.py fee --method item --count N    # the N-th application of a month
    python manage.py fee --method page --pages P    # P pages of one application

Output (stdout, one JSON object): method, count/pages, amount_yuan (this application),
month_total_yuan (按件: the month's running total for applications 1…N), explanation.
Bad arguments: a Chinese message on stderr and exit status 2.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.applications import fees


class Command(BaseCommand):
    help = (
        "计算信息处理费（按件：--method item --count N；按量：--method page --pages P），输出JSON。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--method", required=True, help="item（按件）或 page（按量）")
        parser.add_argument("--count", help="按件：本月第几件申请（正整数）")
        parser.add_argument("--pages", help="按量：页数（非负整数）")

    def fail(self, message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.exit(2)

    def handle(self, *args: Any, **opts: Any) -> None:
        method = opts["method"]
        if method == "item":
            raw = opts.get("count")
            if raw is None or not str(raw).isdigit() or int(raw) < 1:
                self.fail("按件计收请用 --count 给出本月第几件申请（正整数）。")
            comp = fees.compute("item", int(str(raw)))
            data = {
                "method": "item",
                "count": comp.units,
                "amount_yuan": str(comp.amount),
                "month_total_yuan": str(comp.month_total),
                "explanation": comp.explanation,
            }
        elif method == "page":
            raw = opts.get("pages")
            if raw is None or not str(raw).isdigit():
                self.fail("按量计收请用 --pages 给出页数（非负整数）。")
            comp = fees.compute("page", int(str(raw)))
            data = {
                "method": "page",
                "pages": comp.units,
                "amount_yuan": str(comp.amount),
                "explanation": comp.explanation,
            }
        else:
            self.fail("--method 应为 item（按件计收）或 page（按量计收）。")
            return
        self.stdout.write(json.dumps(data, ensure_ascii=False))
