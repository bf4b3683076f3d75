"""Benchmark the catalog import: generate N legacy rows as CSV and import them.

    .venv/bin/python bench/import_bench.py --rows 100000 [--no-index] [--keep]

Runs against a scratch database (a fresh SQLite file under a temporary directory, or the
database named by $BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/gk_bench — it
is migrated, and must be disposable). Prints rows per second for validation + insert and for
search indexing.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-index", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="gk-import-bench-")
    os.environ["GONGKAI_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from gongkai.agencies import demo as agencies_demo
    from gongkai.agencies.models import Agency
    from gongkai.publishing import importing
    from gongkai.publishing.models import CatalogItem, Topic

    agencies_demo.load()
    codes = list(Agency.objects.filter(level="city").values_list("code", flat=True))
    topics = [str(t) for t in Topic.objects.filter(parent__isnull=False).select_related("parent")]
    genres = ["通知", "公告", "意见", "报告", "工作动态", "统计数据"]
    rnd = random.Random(42)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(
        [
            "发布机构代号",
            "名称",
            "内容概述",
            "正文",
            "文号",
            "生成日期",
            "发布日期",
            "主题分类",
            "体裁分类",
            "主题词",
        ]
    )
    for i in range(args.rows):
        year = rnd.choice([2009, 2010, 2011, 2012])
        month, day = rnd.randint(1, 12), rnd.randint(1, 28)
        code = rnd.choice(codes)
        writer.writerow([
            code, f"关于做好{year}年第{i}号政府信息公开事项的通知", "历史目录迁移数据", f"<p>正文第{i}条，涉及城乡建设与社会保障。</p>",
            f"通政发〔{year}〕{i % 500 + 1}号", f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}-{min(day + 2, 28):02d}",
            rnd.choice(topics), rnd.choice(genres), "政务公开",
        ])  # fmt: skip
    data = buf.getvalue().encode("utf-8")
    print(f"generated {args.rows} rows ({len(data) / 1e6:.1f} MB) in {tmp}", file=sys.stderr)
    phases: dict[str, float] = {}
    started = time.monotonic()
    last = [started, ""]

    def progress(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != last[1]:
            if last[1]:
                phases[last[1]] = now - last[0]
            last[0], last[1] = now, phase
        if done == total or done % 10000 == 0:
            print(f"\r{phase} {done}/{total}", end="", file=sys.stderr)

    job = importing.import_file(
        name="bench.csv",
        data=data,
        index=not args.no_index,
        progress=progress,
        migration_reason="基准测试：按原发布状态导入",
    )
    end = time.monotonic()
    phases[last[1]] = end - last[0]
    print(file=sys.stderr)
    assert job.status == job.Status.DONE, job.errors[:5]
    assert CatalogItem.objects.count() == args.rows
    total = end - started
    engine = "postgresql" if "postgres" in os.environ["DATABASE_URL"] else "sqlite"
    print(f"import_catalog benchmark ({engine}): {args.rows} rows")
    for phase, seconds in phases.items():
        print(f"  {phase}: {seconds:.1f} s ({args.rows / seconds:.0f} rows/s)")
    print(f"  total: {total:.1f} s = {args.rows / total:.0f} items/s")
    if not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
