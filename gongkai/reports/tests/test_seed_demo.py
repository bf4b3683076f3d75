"""The seed test: ``load_demo --full`` reproduces the 2012 report of 通化市 (slow tier).

Run: .venv/bin/python -m pytest gongkai/reports/tests/test_seed_demo.py -p no:xdist --run-slow
"""

from __future__ import annotations

import json
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from gongkai.reports.demo import TARGET_ITEMS_BY_CLASS, TARGET_ITEMS_BY_LEVEL, class_matrix, split

SEED = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "tonghua-2012.json").read_text("utf-8")
)
LEVELS = "本年主动公开政府信息（按层级）·"
CHANNELS = "政府信息公开申请（按受理方式）·"
RESULTS = "政府信息公开申请（按答复结果）·"
# seed figure → the generated report's figure (where the names differ)
RENAMED = {
    "市本级主动公开条数": LEVELS + "市本级",
    "县（市、区）主动公开条数": LEVELS + "县（市、区）",
    "乡（镇）主动公开条数": LEVELS + "乡（镇）",
    "信函受理件次": CHANNELS + "信函",
    "当面受理件次": CHANNELS + "当面",
    "网上申请受理件次": CHANNELS + "网上申请",
    "其他形式受理件次": CHANNELS + "其他形式",
    "同意公开件次": RESULTS + "同意公开",
    "同意部分公开件次": RESULTS + "同意部分公开",
}
# the seed's own contradictions, resolved in favour of its totals (docs/annual-report-json.md)
EXPECTED_DIFFERENCES = {"县（市、区）主动公开条数": 65050, "网上申请受理件次": 0}
# narrative-only figures (not business data): leadership group, plans, rules, web columns …
NARRATIVE_ONLY = {
    "领导小组成员单位数", "领导小组成员单位工作职责项数", "年度工作要点重点任务项数", "配套制度项数",
    "领取录入电子证书的部门数", "重点公开内容项数", "累计网上公开政府信息条数", "新建政务公开网数",
    "本年网上发布政府信息条数",
}  # fmt: skip


def test_it_splits_exactly() -> None:
    assert sum(split(243657, 4200)) == 243657
    assert max(split(10, 3)) - min(split(10, 3)) <= 1
    m = class_matrix(TARGET_ITEMS_BY_LEVEL, TARGET_ITEMS_BY_CLASS)
    for level, total in TARGET_ITEMS_BY_LEVEL.items():
        assert sum(v for (lv, _c), v in m.items() if lv == level) == total
    for cclass, total in TARGET_ITEMS_BY_CLASS.items():
        assert sum(v for (_l, c), v in m.items() if c == cclass) == total


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_it_reproduces_the_seed_report() -> None:
    from gongkai.reports.models import AnnualReport
    from gongkai.reports.validation import validate_report_data

    out = StringIO()
    started = time.monotonic()
    call_command("load_demo", full=True, quiet=True, stdout=out)
    elapsed = time.monotonic() - started
    assert elapsed < 600, f"load_demo --full took {elapsed:.0f}s"
    assert "公开目录：" in out.getvalue()  # progress is shown
    report = AnnualReport.objects.get(
        region__code="220500", year=2012, style="2012", status="published"
    )
    data = report.data
    assert data is not None
    figures = data["figures"]
    mismatches = []
    for name, seed_value in SEED["figures"].items():
        if name in NARRATIVE_ONLY:
            assert str(seed_value) in report.html or name in {
                "累计网上公开政府信息条数",
                "新建政务公开网数",
                "本年网上发布政府信息条数",
                "重点公开内容项数",
            }
            continue
        expected = EXPECTED_DIFFERENCES.get(name, seed_value)
        got = figures.get(RENAMED.get(name, name))
        if got != expected:
            mismatches.append(f"{name}: seed {seed_value}, expected {expected}, got {got}")
    assert not mismatches, "\n".join(mismatches)
    by_class = {i["label"]: i["count"] for i in data["breakdowns"][1]["items"]}
    assert by_class == {i["label"]: i["count"] for i in SEED["breakdowns"][1]["items"]}
    assert validate_report_data({k: data[k] for k in ("breakdowns", "sums")}) == []
    # idempotent: a second run creates nothing new
    call_command("load_demo", full=True, quiet=True, stdout=StringIO())
    from gongkai.publishing.models import CatalogItem

    assert CatalogItem.objects.filter(imported=True, summary__startswith="演示数据").count() > 0
    again = AnnualReport.objects.filter(region__code="220500", year=2012, style="2012")
    assert again.count() == 1
