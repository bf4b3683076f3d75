"""Search benchmark: indexing rate, query latency per class, recall vs LIKE, LIKE ratios.

Usage (from the repository root)::

    .venv/bin/python bench/search_bench.py --size 2000                       # SQLite, < 1 min
    .venv/bin/python bench/search_bench.py --size 100000 --backend sqlite
    .venv/bin/python bench/search_bench.py --size 100000 --backend postgres \\
        --pg postgres://postgres@127.0.0.1:5432/gk_search_bench

Each run uses its own database (var/bench/search-<size>.sqlite3, or the --pg database,
created if missing) so it never touches the application's data; ``--reuse`` keeps an index
of the same size from an earlier run. The corpus comes from bench/corpus.py (deterministic).

Reported, in one run for one backend:
* indexing items/s — bulk (batches of 1,000 per call/transaction) and one item per call
  (one transaction each, ``--single`` items);
* p50/p95/p99 of ``gongkai.search.api.search`` (ranking + count + snippets for one page of
  20) for each query class: rare, medium, common, two-character, phrase, 文号, substring,
  multi-term;
* p99 with the start-up heap frozen (as the WSGI workers run, ``gongkai.lib.runtime``) and
  without, in interleaved rounds;
* recall of the engine's match set against ``LIKE '%…%'`` on the first ``--sample`` items,
  and its extra matches (documents matched that do not contain the query);
* the same queries as a plain ``LIKE`` scan (count + newest page of 20), and the ratio.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

QUERIES: dict[str, list[str]] = {
    "rare": ["量子通信", "冰雪运动", "人参产业", "葡萄酒庄", "数据要素"],
    "medium": ["乡村振兴", "养老服务", "公共卫生", "社会救助", "消防安全"],
    "common": ["工作", "发展", "人民政府", "申请"],
    "two_char": ["补贴", "供暖", "防汛", "改造"],
    "phrase": ["农机购置补贴", "城乡居民最低生活保障", "高标准农田建设", "老旧小区改造"],
    "doc_number": ["通政发〔2015〕3号", "通民发〔2020〕12号", "东政发〔2013〕7号"],
    "substring": ["璟珩", "购置补", "5G专网", "玥琰"],
    "multi_term": ["养老服务 补贴", "乡村振兴 资金", "数字政府 方案", "防汛 通知"],
}


def setup_django(args: argparse.Namespace) -> None:
    if args.backend == "postgres":
        os.environ["DATABASE_URL"] = args.pg
        import psycopg

        base, name = args.pg.rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')  # name from the operator's own --pg
    else:
        path = (
            Path(args.sqlite_path)
            if args.sqlite_path
            else ROOT / "var" / "bench" / f"search-{args.size}.sqlite3"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = (
        "search_peer_settings" if args.peer else "gongkai.settings"
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "search", verbosity=0)
    if args.peer:
        call_command("migrate", "modelsearch", verbosity=0)
        call_command("migrate", run_syncdb=True, verbosity=0)  # the migration-less mspeer app


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def index_corpus(args: argparse.Namespace) -> dict[str, Any]:
    import corpus
    from django.db import connection

    from gongkai.search.api import SearchDoc, index_documents
    from gongkai.search.models import SearchEntry

    existing = SearchEntry.objects.count()
    if args.reuse and existing >= args.size:
        return {"reused": existing}
    if existing:
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("TRUNCATE search_searchentry RESTART IDENTITY")
        else:
            SearchEntry.objects.all().delete()
    single_n = min(args.single, args.size)
    docs = corpus.generate(args.size, seed=args.seed)
    batch: list[SearchDoc] = []
    t0 = time.perf_counter()
    c0 = time.process_time()  # this process's CPU: SQLite's work, not PostgreSQL's server
    bulk_n = args.size - single_n
    done = 0
    for d in docs:
        batch.append(SearchDoc(**d))
        done += 1  # noqa: SIM113 - the generator continues below for the single-item path
        if len(batch) == 1000:
            index_documents(batch)
            batch = []
            if done % 20000 == 0:
                print(f"  indexed {done} ({done / (time.perf_counter() - t0):.0f}/s)", flush=True)
        if done >= bulk_n:
            break
    if batch:
        index_documents(batch)
    bulk_s = time.perf_counter() - t0
    bulk_cpu = time.process_time() - c0
    t1 = time.perf_counter()
    for d in docs:  # the remaining single_n items, one call (transaction) each
        index_documents([SearchDoc(**d)])
    single_s = time.perf_counter() - t1
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE search_searchentry")
    else:
        with connection.cursor() as cur:
            cur.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")
            cur.execute("ANALYZE")
    return {
        "bulk_items": bulk_n,
        "bulk_items_per_s": round(bulk_n / bulk_s, 1) if bulk_n else None,
        # Items per CPU second of this process: comparable between runs on a shared machine
        # whose load changes the wall-clock rate (on PostgreSQL it leaves out the server).
        "bulk_items_per_cpu_s": round(bulk_n / bulk_cpu, 1) if bulk_n and bulk_cpu else None,
        "single_items": single_n,
        "single_items_per_s": round(single_n / single_s, 1) if single_n else None,
    }


def index_peer(args: argparse.Namespace) -> dict[str, Any]:
    """The same corpus through modelsearch, fed the same jieba tokens (space-separated)."""
    import corpus
    from modelsearch.backends import get_search_backend
    from mspeer.models import MsDoc

    from gongkai.search import segment

    if args.reuse and MsDoc.objects.count() >= args.size:
        return {"reused": MsDoc.objects.count()}
    MsDoc.objects.all().delete()
    backend = get_search_backend()
    t0 = time.perf_counter()
    batch: list[Any] = []
    for d in corpus.generate(args.size, seed=args.seed):
        head = " ".join(x for x in (d["title"], d["doc_number"]) if x)
        batch.append(
            MsDoc(
                title_seg=" ".join(segment.index_tokens(head)),
                body_seg=" ".join(segment.index_tokens(d["body_text"])),
                published_at=d["published_at"],
            )
        )
        if len(batch) == 1000:
            MsDoc.objects.bulk_create(batch)
            backend.add_bulk(MsDoc, batch)
            batch = []
    if batch:
        MsDoc.objects.bulk_create(batch)
        backend.add_bulk(MsDoc, batch)
    return {"bulk_items_per_s": round(args.size / (time.perf_counter() - t0), 1)}


def peer_query(q: str) -> tuple[int, list[int]]:
    from mspeer.models import MsDoc

    from gongkai.search import segment

    words = " ".join(t for c in segment.plan_query(q).clauses for t in c.tokens)
    results = MsDoc.objects.search(words, operator="and")
    return results.count(), [d.pk for d in results[:20]]


def peer_ids(q: str, max_id: int) -> set[int]:
    from mspeer.models import MsDoc

    from gongkai.search import segment

    words = " ".join(t for c in segment.plan_query(q).clauses for t in c.tokens)
    first = MsDoc.objects.order_by("id").values_list("id", flat=True).first() or 0
    qs = MsDoc.objects.filter(id__lte=first + (max_id - 1))
    return {d.pk - first + 1 for d in qs.search(words, operator="and")}


PLAIN = "bench_plain"  # the naive peer's table: the entries' text uncompressed


def plain_table() -> str:
    """The naive peer's own table (id, title, doc_number, body_text as plain text, published_at):
    the product keeps its body compressed (``CompressedTextField``), which SQL cannot search.
    Made from the entries on first use; ``storage`` drops it, so it is never counted."""
    from django.db import connection

    from gongkai.search.models import SearchEntry

    if PLAIN in connection.introspection.table_names():
        return PLAIN
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE {PLAIN} (id bigint PRIMARY KEY, title text, doc_number text, "
            "body_text text, published_at timestamptz)"
        )
        rows = SearchEntry.objects.order_by("id").values_list(
            "id", "title", "doc_number", "body_text", "published_at"
        )
        batch: list[Any] = []
        for row in rows.iterator(chunk_size=2000):
            batch.append(row)
            if len(batch) == 2000:
                cur.executemany(f"INSERT INTO {PLAIN} VALUES (%s, %s, %s, %s, %s)", batch)  # noqa: S608
                batch = []
        if batch:
            cur.executemany(f"INSERT INTO {PLAIN} VALUES (%s, %s, %s, %s, %s)", batch)  # noqa: S608
    return PLAIN


def like_scan(q: str, vendor: str) -> tuple[int, list[int]]:
    """The naive peer: every term as LIKE '%term%' over title, 文号 and body (AND-ed)."""
    from django.db import connection

    op = "ILIKE" if vendor == "postgresql" else "LIKE"
    terms = q.split()
    cond = " AND ".join(
        [f"(title {op} %s OR doc_number {op} %s OR body_text {op} %s)"] * len(terms)
    )
    params: list[Any] = []
    for t in terms:
        params += [f"%{t}%"] * 3
    with connection.cursor() as cur:
        table = plain_table()
        cur.execute(f"SELECT count(*) FROM {table} WHERE {cond}", params)  # noqa: S608 - fixed fragments
        total = cur.fetchone()[0]
        cur.execute(
            f"SELECT id FROM {table} WHERE {cond} ORDER BY published_at DESC LIMIT 20",  # noqa: S608
            params,
        )
        ids = [r[0] for r in cur.fetchall()]
    return total, ids


def like_ids(q: str, vendor: str, max_id: int) -> set[int]:
    from django.db import connection

    op = "ILIKE" if vendor == "postgresql" else "LIKE"
    terms = q.split()
    cond = " AND ".join(
        [f"(title {op} %s OR doc_number {op} %s OR body_text {op} %s)"] * len(terms)
    )
    params: list[Any] = []
    for t in terms:
        params += [f"%{t}%"] * 3
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM {plain_table()} WHERE id <= %s AND {cond}", [max_id, *params])  # noqa: S608
        return {r[0] for r in cur.fetchall()}


def run_queries(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    from gongkai.search import segment
    from gongkai.search.api import SearchQuery, search
    from gongkai.search.backends import get_backend

    vendor = connection.vendor
    backend = get_backend()
    with connection.cursor() as cur:
        cur.execute("SELECT min(id) FROM search_searchentry")
        first_id = cur.fetchone()[0] or 0
    max_id = first_id + args.sample - 1
    results: dict[str, Any] = {}
    for cls, queries in QUERIES.items():
        for q in queries:  # warm-up (page cache, dictionaries)
            search(SearchQuery(q=q))
        # Rounds interleaved: the start-up heap frozen as the WSGI workers do
        # (gongkai.lib.runtime), then not frozen, so that both see the same machine noise.
        times: list[float] = []
        unfrozen: list[float] = []
        totals: list[int] = []
        for _ in range(args.reps):
            for frozen in (True, False) if args.gc_compare else (True,):
                gc.collect()
                gc.freeze() if frozen else gc.unfreeze()
                for q in queries:
                    t = time.perf_counter()
                    page = search(SearchQuery(q=q))
                    (times if frozen else unfrozen).append((time.perf_counter() - t) * 1000)
                    totals.append(page.total)
        gc.freeze()
        like_times: list[float] = []
        for _ in range(max(1, args.like_reps)):
            for q in queries[: args.like_queries or None]:
                t = time.perf_counter()
                like_scan(q, vendor)
                like_times.append((time.perf_counter() - t) * 1000)
        truth = found = extra = 0
        for q in queries:
            g = like_ids(q, vendor, max_id)
            m = backend.match_ids(segment.plan_query(q), max_id=max_id)
            truth += len(g)
            found += len(g & m)
            extra += len(m - g)  # matches that do not contain the query (issue 19)
        peer: dict[str, Any] = {}
        if args.peer:
            peer_times: list[float] = []
            for _ in range(args.reps):
                for q in queries:
                    t = time.perf_counter()
                    peer_query(q)
                    peer_times.append((time.perf_counter() - t) * 1000)
            found_peer = 0
            for q in queries:
                g = {i - first_id + 1 for i in like_ids(q, vendor, max_id)}
                found_peer += len(g & peer_ids(q, args.sample))
            peer = {
                "peer_p50_ms": round(pct(peer_times, 0.5), 2),
                "peer_p95_ms": round(pct(peer_times, 0.95), 2),
                "peer_recall_vs_like": round(found_peer / truth, 4) if truth else None,
            }
        p50 = pct(times, 0.5)
        like_p50 = pct(like_times, 0.5)
        results[cls] = {
            "queries": queries,
            "hits_avg": round(statistics.mean(totals)),
            "p50_ms": round(p50, 2),
            "p95_ms": round(pct(times, 0.95), 2),
            "p99_ms": round(pct(times, 0.99), 2),
            "p99_unfrozen_ms": round(pct(unfrozen, 0.99), 2) if unfrozen else None,
            "extra_vs_like": extra,
            "like_p50_ms": round(like_p50, 2),
            "like_p95_ms": round(pct(like_times, 0.95), 2),
            "speedup_vs_like_p50": round(like_p50 / p50, 1) if p50 else None,
            "recall_vs_like": round(found / truth, 4) if truth else None,
            "like_truth_in_sample": truth,
            **peer,
        }
        r = results[cls]
        print(
            f"  {cls:11s} p50 {r['p50_ms']:8.2f}  p95 {r['p95_ms']:8.2f}  p99 {r['p99_ms']:8.2f} ms "
            f"(unfrozen p99 {r['p99_unfrozen_ms']}) | "
            f"LIKE p50 {r['like_p50_ms']:9.2f} ms (×{r['speedup_vs_like_p50']}) | recall {r['recall_vs_like']} "
            f"extra {extra} (n={truth}) | hits≈{r['hits_avg']}"
            + (
                f" | modelsearch p50 {r['peer_p50_ms']:.2f} p95 {r['peer_p95_ms']:.2f} ms "
                f"(×{r['peer_p50_ms'] / r['p50_ms']:.1f} ours) recall {r['peer_recall_vs_like']}"
                if args.peer
                else ""
            ),
            flush=True,
        )
    return results


def storage(args: argparse.Namespace) -> dict[str, Any]:
    """Size of the index: the whole database and per table (MB, and MB per 1,000 items)."""
    from django.db import connection

    from gongkai.search.models import SearchEntry

    per_k = max(SearchEntry.objects.count(), 1) / 1000
    tables: dict[str, float] = {}
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {PLAIN}")  # the naive peer's, not the product's
        if connection.vendor == "postgresql":
            cur.execute("SELECT pg_database_size(current_database())")
            total = cur.fetchone()[0]
            cur.execute(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "WHERE c.relname LIKE 'search_%%' AND c.relkind = 'r'"
            )
            tables = {name: size for name, size in cur.fetchall()}
        else:
            cur.execute("PRAGMA page_count")
            pages = cur.fetchone()[0]
            cur.execute("PRAGMA freelist_count")
            pages -= cur.fetchone()[0]
            cur.execute("PRAGMA page_size")
            total = pages * cur.fetchone()[0]
            try:
                cur.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
                tables = {name: size for name, size in cur.fetchall() if name.startswith("search_")}
            except Exception:  # noqa: BLE001 - dbstat is optional in SQLite builds
                tables = {}
    mb = 1024 * 1024
    return {
        "total_mb": round(total / mb, 1),
        "mb_per_1k_items": round(total / mb / per_k, 2),
        "tables_mb": {
            k: round(v / mb, 1) for k, v in sorted(tables.items(), key=lambda kv: -kv[1])[:6]
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/gk_search_bench")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--single", type=int, default=300, help="items indexed one per transaction")
    parser.add_argument("--reps", type=int, default=5, help="repetitions of each query")
    parser.add_argument("--like-reps", type=int, default=1)
    parser.add_argument(
        "--like-queries",
        type=int,
        default=0,
        help="LIKE baseline over only the first N queries of each class (0: all; one ILIKE scan "
        "of 1,000,000 PostgreSQL rows takes 15–40 s here)",
    )
    parser.add_argument("--sample", type=int, default=2000, help="items checked for recall vs LIKE")
    parser.add_argument("--reuse", action="store_true", help="keep an existing index of this size")
    parser.add_argument(
        "--compact",
        action="store_true",
        help="PostgreSQL: after indexing, build the GIN index again in one pass (what "
        "`search_reindex --index-only` does after a bulk import); storage is reported before "
        "and after, the queries run on the rebuilt index",
    )
    parser.add_argument(
        "--no-gc-compare",
        dest="gc_compare",
        action="store_false",
        help="time only with the start-up heap frozen (default: also unfrozen, interleaved)",
    )
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument(
        "--sqlite-path", help="SQLite database file (default var/bench/search-<size>.sqlite3)"
    )
    parser.add_argument(
        "--peer", action="store_true", help="also run Wagtail modelsearch on the same corpus"
    )
    args = parser.parse_args()
    setup_django(args)
    print(f"search benchmark: backend={args.backend} size={args.size}", flush=True)
    t = time.perf_counter()
    indexing = index_corpus(args)
    print(f"  indexing: {indexing} ({time.perf_counter() - t:.0f} s)", flush=True)
    indexing["storage"] = storage(args)
    if args.compact and args.backend == "postgres" and "reused" not in indexing:
        from gongkai.search.backends import get_backend

        t = time.perf_counter()
        get_backend().compact()
        indexing["compact_s"] = round(time.perf_counter() - t, 1)
        indexing["storage_before_compact"] = indexing["storage"]
        indexing["storage"] = storage(args)
    print(f"  storage: {indexing['storage']}", flush=True)
    if args.peer:
        t = time.perf_counter()
        indexing["modelsearch"] = index_peer(args)
        print(
            f"  modelsearch indexing: {indexing['modelsearch']} ({time.perf_counter() - t:.0f} s)",
            flush=True,
        )
    queries = run_queries(args)
    out = {"backend": args.backend, "size": args.size, "indexing": indexing, "queries": queries}
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
