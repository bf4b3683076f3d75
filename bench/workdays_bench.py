"""Due-date computations per second: the indexed deadline engine vs a day-by-day loop.

Usage: .venv/bin/python bench/workdays_bench.py [--n 20000] [--seconds 3]

Builds a throw-away SQLite database with only the workdays tables (seeded 2004–2026 by the
migration), then over the same random inputs (receipt dates 2004–2026-09, 0–2 pauses)
measures, in the same run:

* ``index``  — ``deadlines._count`` (binary searches on the cached working-day index);
* ``engine`` — ``compute_deadline`` (the same plus validation and the Chinese explanation);
* ``naive``  — ``deadlines.naive_due_date``: walk day by day asking ``is_workday`` (itself an
  O(1) lookup in the same index) and checking the pauses;
* ``naive_cc`` — the same walk with ``chinese_calendar.is_workday``.

Every run checks that the index and the naive walk agree on every input, then prints
computations per second and the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    tmp = tempfile.mkdtemp(prefix="gk-bench-workdays-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("GONGKAI_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "workdays", verbosity=0)


def rate(fn, inputs, seconds: float) -> float:  # type: ignore[no-untyped-def]
    done, start = 0, time.perf_counter()
    while True:
        for args in inputs:
            fn(*args)
        done += len(inputs)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000, help="distinct inputs")
    parser.add_argument("--seconds", type=float, default=2.0, help="time per variant")
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    setup()
    import chinese_calendar

    from gongkai.workdays import calendar, deadlines

    rng = random.Random(args.seed)
    lo, hi = dt.date(2004, 1, 1).toordinal(), dt.date(2026, 9, 1).toordinal()
    inputs = []
    for _ in range(args.n):
        start = dt.date.fromordinal(rng.randint(lo, hi))
        pauses = []
        for _ in range(rng.randint(0, 2)):
            a = start + dt.timedelta(days=rng.randint(1, 30))
            pauses.append((a, a + dt.timedelta(days=rng.randint(0, 14))))
        inputs.append((start, 20, pauses))

    def index(start, n, pauses):  # type: ignore[no-untyped-def]
        merged, _ = deadlines._normalise_pauses(pauses, start)
        return deadlines._count(start, n, merged)[0]

    def engine(start, n, pauses):  # type: ignore[no-untyped-def]
        return deadlines.compute_deadline(received_on=start, pauses=pauses).due_on

    def naive_cc(start, n, pauses):  # type: ignore[no-untyped-def]
        d, counted = start, 0
        while counted < n:
            d += calendar.ONE_DAY
            if chinese_calendar.is_workday(d) and not any(a <= d <= b for a, b in pauses):
                counted += 1
        return d

    calendar.is_workday(dt.date(2026, 1, 5))  # build the index once
    for start, n, pauses in inputs:  # correctness first: every variant agrees
        expected = deadlines.naive_due_date(start, n, pauses)
        got = index(start, n, pauses)
        assert got == expected == naive_cc(start, n, pauses), (start, pauses, got, expected)
        if start >= deadlines.ERA_2019_FROM:
            assert engine(start, n, pauses) == expected
    engine_inputs = [i for i in inputs if i[0] >= deadlines.ERA_2019_FROM]

    results = {
        "index": rate(index, inputs, args.seconds),
        "engine": rate(engine, engine_inputs, args.seconds),
        "naive": rate(deadlines.naive_due_date, inputs, args.seconds),
        "naive_cc": rate(naive_cc, inputs, args.seconds),
    }
    print(
        f"inputs: {len(inputs)} (20 working days, 0–2 pauses); engine over {len(engine_inputs)} 2019-era inputs"
    )
    for name, value in results.items():
        print(f"{name:9s} {value:12,.0f} due dates/s")
    print(f"index / naive     = {results['index'] / results['naive']:.1f}x")
    print(f"index / naive_cc  = {results['index'] / results['naive_cc']:.1f}x")
    print(
        f"engine / naive    = {results['engine'] / results['naive']:.1f}x  (engine includes validation + explanation)"
    )


if __name__ == "__main__":
    main()
