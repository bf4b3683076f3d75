"""Garbage-collection pauses on the full request path, frozen vs unfrozen start-up heap (issue 19).

Usage (from the repository root)::

    .venv/bin/python bench/gc_pauses.py --size 10000                       # SQLite
    .venv/bin/python bench/gc_pauses.py --size 10000 --backend postgres \\
        --pg postgres://postgres@127.0.0.1:5432/gongkai_h10

What it does:
1. Setup (a child process, so the measuring process has only a worker's heap): a database of
   its own (var/bench/gc-<size>.sqlite3, or the --pg database) gets every migration, ``--size``
   public catalog items from bench/corpus.py (as bench/portal_bench.py seeds them) and their
   search entries through ``search.services.index_reconcile`` (the product's indexing path).
   ``--reuse`` keeps a database of that size.
2. The measuring process builds the worker state as ``gongkai.wsgi`` does
   (``get_wsgi_application()``; the warm-up of ``gongkai.lib.runtime.freeze_startup_heap``)
   and sends a fixed, seeded request mix through Django's test ``Client`` (middleware, URL
   resolution, view, search, template): portal search ``/search/?q=…`` with the query classes
   of bench/search_bench.py (some with ``page=2`` or ``sort=date``), item pages ``/xxgk/<id>/``
   and list pages ``/xxgk/?page=n``. The portal page cache is off by default
   (``--page-cache`` turns it on), so every request renders.
   ``--driver wsgi`` calls ``gongkai.wsgi.application`` with a WSGI environ instead: the test
   ``Client`` connects a signal receiver per request, and each ``Signal.connect`` leaves a
   ``weakref.finalize`` behind (≈12 tracked objects per request that a worker never has).
3. Rounds alternate frozen / unfrozen (ABBA order, same process, same machine noise). Every
   round starts from a full collection: unfrozen = ``gc.unfreeze(); gc.collect()``, frozen =
   ``gc.unfreeze()`` and then ``freeze_startup_heap()`` itself (warm-up, collect, freeze).
4. At each round's end ``--forced`` explicit ``gc.collect()`` calls are timed the same way: the
   cost of one full collection in that heap, whether or not the thresholds triggered one.
5. ``gc.callbacks`` records each collection: generation, wall duration (``perf_counter``) and
   CPU duration (``process_time``, robust to other processes' load) between its start and stop
   phases, and the objects it collected. Each request records its wall and CPU latency and
   whether a gen-2 collection ran inside it.

CPython 3.11/3.12 run a gen-2 collection only when generation 2's count passes its threshold
*and* the objects promoted into it since the last full collection (``long_lived_pending``)
exceed a quarter of those found alive by that collection (``long_lived_total``). That is why
gen-2 collections are rare; the default ``--requests`` per round is sized to cross it several
times in the unfrozen case (the output prints how many occurred).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SEED = r"""
import sys
sys.path.insert(0, "bench")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.utils import timezone
import corpus
from gongkai.agencies.models import Region, Agency
from gongkai.publishing.models import CatalogItem
from gongkai.search import services
n = int(sys.argv[1])
if CatalogItem.objects.count() < n:
    CatalogItem.objects.all().delete()
    region = Region.objects.get_or_create(code="220500", defaults=dict(name="通化市", level="city"))[0]
    agencies = [Agency.objects.get_or_create(code=f"a{i}", defaults=dict(name=name, region=region,
                level="city", org_code="", uscc=""))[0] for i, (name, _p) in enumerate(corpus.AGENCIES)]
    now = timezone.now()
    items = []
    for d in corpus.generate(n):
        items.append(CatalogItem(agency=agencies[d["agency_id"] - 1], title=d["title"][:300],
            body="<p>" + d["body_text"] + "</p>", doc_number=d["doc_number"],
            formed_on=d["published_at"].date(), status="published",
            published_at=min(d["published_at"], now), index_number=d["index_number"][:40],
            genre="notice", column="catalog"))
    CatalogItem.objects.bulk_create(items, batch_size=500)
print(services.index_reconcile(), flush=True)
"""


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def configure_env(args: argparse.Namespace) -> None:
    var = ROOT / "var" / "bench"
    var.mkdir(parents=True, exist_ok=True)
    if args.backend == "postgres":
        import psycopg

        os.environ["DATABASE_URL"] = args.pg
        base, name = args.pg.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')  # name from the operator's own --pg
    else:
        path = var / f"gc-{args.size}.sqlite3"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="portal_settings",  # gongkai.settings + PORTAL_PAGE_CACHE switch
        PORTAL_PAGE_CACHE="1" if args.page_cache else "0",
        DEBUG="0",
        ALLOWED_HOSTS="testserver",
        GONGKAI_GC_FREEZE="1",
    )
    for k in ("REDIS_URL", "DB_CONN_MAX_AGE"):
        os.environ.pop(k, None)


def request_mix(n: int, item_ids: list[int], seed: int) -> list[str]:
    """Seeded: 55 % search (query classes of search_bench), 35 % item page, 10 % list page."""
    from search_bench import QUERIES

    rng = random.Random(seed)
    queries = [q for qs in QUERIES.values() for q in qs]
    paths: list[str] = []
    for _ in range(n):
        r = rng.random()
        if r < 0.55:
            q = rng.choice(queries)
            extra = rng.choice(["", "", "", "&page=2", "&sort=date"])
            paths.append(f"/search/?q={q}{extra}")
        elif r < 0.90:
            paths.append(f"/xxgk/{rng.choice(item_ids)}/")
        else:
            paths.append(f"/xxgk/?page={rng.randint(1, 20)}")
    return paths


class Recorder:
    """gc.callbacks hook: one row per collection (generation, wall s, CPU s, collected)."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, float, float, int]] = []
        self.gen2 = 0
        self._start = (0.0, 0.0)

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = (time.perf_counter(), time.process_time())
            return
        t0, c0 = self._start
        self.rows.append(
            (
                info["generation"],
                time.perf_counter() - t0,
                time.process_time() - c0,
                info["collected"],
            )
        )
        if info["generation"] == 2:
            self.gen2 += 1


class WsgiDriver:
    """Calls ``gongkai.wsgi.application`` itself with a WSGI environ (no test ``Client``: its
    per-request ``Signal.connect`` leaves ``weakref.finalize`` objects behind)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def get(self, path: str) -> Any:
        import io
        from types import SimpleNamespace
        from urllib.parse import quote
        from wsgiref.util import setup_testing_defaults

        path, _, qs = path.partition("?")
        env: dict[str, Any] = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": quote(qs, safe="=&"),
            "SERVER_NAME": "testserver",
            "HTTP_HOST": "testserver",
            "wsgi.input": io.BytesIO(b""),
        }
        setup_testing_defaults(env)
        status: list[str] = []
        body = self.app(env, lambda s, h, exc=None: status.append(s))
        try:
            b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        return SimpleNamespace(status_code=int(status[0][:3]))


def run_round(client: Any, paths: list[str], frozen: bool, forced_n: int) -> dict[str, Any]:
    from gongkai.lib import runtime

    gc.unfreeze()
    if frozen:
        runtime.freeze_startup_heap()  # warm-up, gc.collect(), gc.freeze(), as gongkai.wsgi
    else:
        gc.collect()
    frozen_count = gc.get_freeze_count()
    rec = forced = Recorder()
    wall: list[float] = []
    cpu: list[float] = []
    with_gen2 = 0
    gc.callbacks.append(rec)
    try:
        for p in paths:
            before = rec.gen2
            t, c = time.perf_counter(), time.process_time()
            response = client.get(p)
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            if response.status_code != 200:
                raise RuntimeError(f"{p}: HTTP {response.status_code}")
            if rec.gen2 != before:
                with_gen2 += 1
        # The cost of one full collection in this state, asked directly (``gc.collect()``),
        # independent of when the collector's own thresholds would have run one.
        forced = Recorder()
        gc.callbacks.remove(rec)
        gc.callbacks.append(forced)
        for _ in range(forced_n):
            gc.collect()
    finally:
        for cb in (rec, forced):
            if cb in gc.callbacks:
                gc.callbacks.remove(cb)
    return {
        "forced": forced.rows,
        "frozen": frozen,
        "freeze_count": frozen_count,
        "gen2_objects_at_end": len(gc.get_objects(generation=2)),
        "rows": rec.rows,
        "wall": wall,
        "cpu": cpu,
        "with_gen2": with_gen2,
    }


def summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    n = sum(len(r["wall"]) for r in rounds)
    rows = [row for r in rounds for row in r["rows"]]
    g2 = [row for row in rows if row[0] == 2]
    per_gen = {g: [row for row in rows if row[0] == g] for g in (0, 1, 2)}
    wall = [x for r in rounds for x in r["wall"]]
    cpu = [x for r in rounds for x in r["cpu"]]
    ms = 1000.0
    out: dict[str, Any] = {
        "requests": n,
        "freeze_count": rounds[0]["freeze_count"],
        "gen2_objects_at_end": round(statistics.mean(r["gen2_objects_at_end"] for r in rounds)),
        "collections": {g: len(v) for g, v in per_gen.items()},
        "gen2": len(g2),
        "gen2_wall_median_ms": statistics.median(x[1] for x in g2) * ms if g2 else None,
        "gen2_wall_max_ms": max(x[1] for x in g2) * ms if g2 else None,
        "gen2_cpu_median_ms": statistics.median(x[2] for x in g2) * ms if g2 else None,
        "gen2_cpu_max_ms": max(x[2] for x in g2) * ms if g2 else None,
        "gen2_collected_median": statistics.median(x[3] for x in g2) if g2 else None,
        "gen2_wall_per_1k_ms": sum(x[1] for x in g2) * ms / n * 1000,
        "gen2_cpu_per_1k_ms": sum(x[2] for x in g2) * ms / n * 1000,
        "all_gc_wall_per_1k_ms": sum(x[1] for x in rows) * ms / n * 1000,
        "all_gc_cpu_per_1k_ms": sum(x[2] for x in rows) * ms / n * 1000,
        "gen1_cpu_median_ms": statistics.median(x[2] for x in per_gen[1]) * ms
        if per_gen[1]
        else None,
        "forced_cpu_median_ms": statistics.median(x[2] for r in rounds for x in r["forced"]) * ms
        if rounds[0]["forced"]
        else None,
        "forced_wall_median_ms": statistics.median(x[1] for r in rounds for x in r["forced"]) * ms
        if rounds[0]["forced"]
        else None,
        "share_with_gen2": sum(r["with_gen2"] for r in rounds) / n,
        "p50_wall_ms": pct(wall, 0.5) * ms,
        "p99_wall_ms": pct(wall, 0.99) * ms,
        "p99_cpu_ms": pct(cpu, 0.99) * ms,
        "max_cpu_ms": max(cpu) * ms,
    }
    return out


def fmt(v: Any, spec: str = ".2f") -> str:
    return "—" if v is None else format(v, spec)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/gongkai_h10")
    parser.add_argument("--reuse", action="store_true", help="keep a database of that size")
    parser.add_argument("--requests", type=int, default=2500, help="requests per round")
    parser.add_argument("--rounds", type=int, default=4, help="rounds per mode (interleaved)")
    parser.add_argument("--warmup", type=int, default=200, help="requests before the rounds")
    parser.add_argument("--forced", type=int, default=15, help="gc.collect() timed per round end")
    parser.add_argument(
        "--driver",
        choices=["client", "wsgi"],
        default="client",
        help="Django's test Client, or the WSGI application called directly",
    )
    parser.add_argument("--page-cache", action="store_true", help="portal page cache on")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()

    configure_env(args)
    t0 = time.perf_counter()
    setup = subprocess.run(
        [sys.executable, "-c", SEED, str(args.size)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=f"{ROOT}:{ROOT / 'bench'}"),
        check=True,
        capture_output=True,
        text=True,
    )
    print(f"setup ({time.perf_counter() - t0:.0f} s): {setup.stdout.strip().splitlines()[-1]}")

    os.environ["GONGKAI_GC_FREEZE"] = "0"  # the rounds freeze or not themselves
    from django.test import Client

    import gongkai.wsgi  # noqa: F401 - the worker's start-up: get_wsgi_application()
    from gongkai.publishing.models import CatalogItem

    os.environ["GONGKAI_GC_FREEZE"] = "1"
    item_ids = list(CatalogItem.objects.public().values_list("pk", flat=True))
    client = WsgiDriver(gongkai.wsgi.application) if args.driver == "wsgi" else Client()
    for p in request_mix(args.warmup, item_ids, args.seed + 1):  # caches, dictionaries, plans
        client.get(p)
    paths = request_mix(args.requests, item_ids, args.seed)
    print(
        f"python {sys.version.split()[0]}, gc threshold {gc.get_threshold()}, "
        f"{args.size} items, {args.backend}, driver {args.driver}, page cache {'on' if args.page_cache else 'off'}, "
        f"{args.rounds}×{args.requests} requests per mode, load avg {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    results: dict[bool, list[dict[str, Any]]] = {True: [], False: []}
    for i in range(args.rounds):
        for frozen in (True, False) if i % 2 == 0 else (False, True):
            t = time.perf_counter()
            r = run_round(client, paths, frozen, args.forced)
            results[frozen].append(r)
            g2 = [row for row in r["rows"] if row[0] == 2]
            print(
                f"  round {i + 1} {'frozen  ' if frozen else 'unfrozen'} "
                f"{time.perf_counter() - t:6.1f} s: gen-2 {len(g2)} "
                f"(CPU ms {', '.join(f'{x[2] * 1000:.1f}' for x in g2) or '-'}), "
                f"gen-2 objects at end {r['gen2_objects_at_end']}, frozen {r['freeze_count']}",
                flush=True,
            )
    fz, uf = summarise(results[True]), summarise(results[False])
    print(f"load avg at end {os.getloadavg()[0]:.1f}")
    rows: list[tuple[str, str | tuple[str, str], str]] = [
        ("requests", "requests", "d"),
        ("objects in the permanent generation", "freeze_count", "d"),
        ("gen-2 objects at round end (mean)", "gen2_objects_at_end", "d"),
        ("gen-2 collections", "gen2", "d"),
        ("gen-2 median / max ms (wall)", ("gen2_wall_median_ms", "gen2_wall_max_ms"), ".2f"),
        ("gen-2 median / max ms (CPU)", ("gen2_cpu_median_ms", "gen2_cpu_max_ms"), ".2f"),
        ("gen-2 objects collected (median)", "gen2_collected_median", ".0f"),
        ("gen-2 pause per 1,000 requests ms (wall)", "gen2_wall_per_1k_ms", ".2f"),
        ("gen-2 pause per 1,000 requests ms (CPU)", "gen2_cpu_per_1k_ms", ".2f"),
        ("all collections per 1,000 requests ms (CPU)", "all_gc_cpu_per_1k_ms", ".2f"),
        ("gen-1 collection median ms (CPU)", "gen1_cpu_median_ms", ".3f"),
        ("requests containing a gen-2 collection", "share_with_gen2", ".3%"),
        ("forced gc.collect() median ms (wall)", "forced_wall_median_ms", ".2f"),
        ("forced gc.collect() median ms (CPU)", "forced_cpu_median_ms", ".2f"),
        ("request p50 / p99 ms (wall)", ("p50_wall_ms", "p99_wall_ms"), ".2f"),
        ("request p99 / max ms (CPU)", ("p99_cpu_ms", "max_cpu_ms"), ".2f"),
    ]
    print(f"{'':46s} {'frozen':>18s} {'unfrozen':>18s} {'frozen/unfrozen':>16s}")
    for label, key, spec in rows:
        if isinstance(key, tuple):
            a = " / ".join(fmt(fz[k], spec) for k in key)
            b = " / ".join(fmt(uf[k], spec) for k in key)
            x, y = fz[key[-1]], uf[key[-1]]
        else:
            a, b, x, y = fmt(fz[key], spec), fmt(uf[key], spec), fz[key], uf[key]
        ratio = f"{x / y:.3f}" if isinstance(x, (int, float)) and y else "—"
        print(f"  {label:44s} {a:>18s} {b:>18s} {ratio:>16s}")
    print(f"  collections by generation: frozen {fz['collections']}, unfrozen {uf['collections']}")


if __name__ == "__main__":
    main()
