"""Benchmark: the 2021 report for the whole city over N items and M applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_bench \
        .venv/bin/python bench/report_bench.py --items 1000000 --applications 100000

1. Creates (once; reused when the counts already match) N published catalog items and M
   applications spread over the demo agencies of 通化市 (loads the demo organisations if missing),
   with bulk inserts (PostgreSQL: COPY-free ``bulk_create`` in batches of 10,000).
2. Times ``compute_report_2021`` for region 220500 (aggregate queries), then a naive
   per-row Python count over the same rows, and checks both give the same table 三 and 二.
Prints one JSON line with both timings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongkai.agencies.models import Agency, Region  # noqa: E402
from gongkai.applications.models import Application  # noqa: E402
from gongkai.lib.taxonomy import OUTCOME_CELLS, ApplicantType, Art20Item, ContentClass  # noqa: E402
from gongkai.publishing.models import CatalogItem  # noqa: E402
from gongkai.reports.compute import Scope, compute_report_2021  # noqa: E402

YEAR = 2025
BENCH_TITLE = "基准测试条目"


def ensure_data(n_items: int, n_apps: int) -> None:
    if not Region.objects.filter(code="220500").exists():
        call_command("load_demo", quiet=True)
    agencies = list(Agency.objects.filter(region__code__startswith="2205").order_by("pk"))
    tz = timezone.get_default_timezone()
    have = CatalogItem.objects.filter(title=BENCH_TITLE).count()
    classes = [c for c, _l in ContentClass.choices]
    art20 = [a for a, _l in Art20Item.choices]
    batch = []
    for i in range(have, n_items):
        day = dt.date(YEAR - (i % 3 == 0), 1, 1) + dt.timedelta(days=i % 365)
        batch.append(
            CatalogItem(
                agency=agencies[i % len(agencies)],
                title=BENCH_TITLE,
                formed_on=day,
                content_class=classes[i % 6],
                art20_item=art20[i % 7] if i % 10 == 0 else "",
                art20_amount=Decimal("1.5") if i % 70 == 0 else None,
                status="published",
                published_at=dt.datetime.combine(day, dt.time(10), tzinfo=tz),
                publish_workdays=i % 30,
                validity="repealed" if i % 97 == 0 else "valid",
                invalid_on=day if i % 97 == 0 else None,
                imported=True,
            )  # fmt: skip
        )
        if len(batch) == 10000:
            CatalogItem.objects.bulk_create(batch)
            batch = []
            print(f"items {i + 1}/{n_items}", file=sys.stderr, flush=True)
    CatalogItem.objects.bulk_create(batch)
    have = Application.objects.filter(description=BENCH_TITLE).count()
    types = [t for t, _l in ApplicantType.choices]
    outcomes = [c.code for c in OUTCOME_CELLS]
    batch = []
    for i in range(have, n_apps):
        received = dt.date(YEAR - (i % 5 == 0), 1, 1) + dt.timedelta(days=(i * 7) % 365)
        done = received + dt.timedelta(days=10 + i % 30) if i % 11 else None
        batch.append(
            Application(
                agency=agencies[i % len(agencies)],
                year=received.year,
                serial=10_000_000 + i,
                number=f"BENCH-{i:08d}",
                channel="online",
                applicant_type=types[i % 6],
                applicant_name="基准",
                description=BENCH_TITLE,
                received_on=received,
                outcome=outcomes[i % len(outcomes)] if done else "",
                replied_on=done,
                closed_on=done,
                status="closed" if done else "processing",
            )  # fmt: skip
        )
        if len(batch) == 10000:
            Application.objects.bulk_create(batch)
            batch = []
            print(f"applications {i + 1}/{n_apps}", file=sys.stderr, flush=True)
    Application.objects.bulk_create(batch)


def naive(region: Region) -> tuple[dict, dict]:
    """Per-row Python counting over every row of the scope (what the aggregate queries replace)."""
    ids = set(
        Agency.objects.filter(region_id__in=region.descendant_ids()).values_list("pk", flat=True)
    )
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    t3: dict[str, dict[str, int]] = {}
    for a in Application.objects.filter(received_on__isnull=False).iterator(chunk_size=5000):
        if a.agency_id not in ids:
            continue
        done = a.closed_on or a.replied_on
        t = a.applicant_type
        if start <= a.received_on <= end:
            t3.setdefault("new", {}).setdefault(t, 0)
            t3["new"][t] += 1
        if a.received_on < start and (done is None or done >= start):
            t3.setdefault("carried_in", {}).setdefault(t, 0)
            t3["carried_in"][t] += 1
        if a.received_on <= end and (done is None or done > end):
            t3.setdefault("carried_out", {}).setdefault(t, 0)
            t3["carried_out"][t] += 1
        if done and start <= done <= end:
            key = a.outcome or "other"
            t3.setdefault(key, {}).setdefault(t, 0)
            t3[key][t] += 1
    t2: dict[str, int] = {}
    for it in CatalogItem.objects.filter(status="published").iterator(chunk_size=5000):
        if it.agency_id not in ids or it.withdrawn_at is not None:
            continue
        if it.published_at and timezone.localtime(it.published_at).year == YEAR and it.art20_item:
            t2[it.art20_item] = t2.get(it.art20_item, 0) + 1
    return t3, t2


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    ensure_data(args.items, args.applications)
    region = Region.objects.get(code="220500")
    t0 = time.perf_counter()
    report = compute_report_2021(Scope(region=region), YEAR)
    fast = time.perf_counter() - t0
    result = {
        "database": django.db.connection.vendor,
        "items": CatalogItem.objects.count(),
        "applications": Application.objects.count(),
        "aggregate_seconds": round(fast, 3),
        "table3_new_total": report.table3.row("new")[-1],
    }
    if not args.skip_naive:
        t0 = time.perf_counter()
        t3, t2 = naive(region)
        result["naive_seconds"] = round(time.perf_counter() - t0, 3)
        same = all(
            report.table3.cell(k, t) == n for k, row in t3.items() for t, n in row.items()
        ) and report.table3.row("new")[-1] == sum(t3.get("new", {}).values())
        same = same and report.table2.get("行政许可", "本年处理决定数量") == t2.get("license", 0)
        result["same_result"] = same
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
