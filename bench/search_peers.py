"""The product's search against real engines: tantivy, Xapian and groonga (issue 18).

Usage (from the repository root; peers are bench-only dependencies)::

    make bench-peers                      # 10,000 items on SQLite
    .venv/bin/python bench/search_peers.py --size 100000 --backend sqlite --reuse
    .venv/bin/python bench/search_peers.py --size 100000 --backend postgres --reuse

Needs: PyPI ``tantivy`` (the ``bench`` extra), Debian ``python3-xapian`` (imported from
/usr/lib/python3/dist-packages: the same CPython minor version) and Debian ``groonga-bin``
(run as an HTTP server on a free loopback port). A missing peer is reported and skipped.

Every engine gets the same documents (``bench/corpus.py``) and the same queries
(``search_bench.QUERIES``). tantivy and Xapian index the product's own segmentation (title
words, body words, and the bigram field with its run breaks) and answer the product's own
query plan (a one-word clause by its word or its bigram phrase, a longer clause by its
bigram phrase, a single character by the bigrams that start with it), so they are measured
on the same precise matcher; both count every match and rank with BM25. groonga tokenizes
by itself (``TokenBigram`` + ``NormalizerAuto``) and answers the raw query string.

Reported per query class and engine: p50/p95 in ms over interleaved rounds (each round runs
every query on every engine, in a shuffled engine order), recall and extra matches against
the ``LIKE '%term%'`` ground truth (title, 文号, body; computed here in Python over the
whole corpus), the index size, indexing speed (segmentation included for the engines that
use it), and the ratio of each peer's p95 to the product's. "product" is the full path
(``api.search``: count, ranking, one page of 20 with snippets); "product raw" is the backend
call alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import search_bench  # noqa: E402

QUERIES = search_bench.QUERIES


def pct(values: list[float], p: float) -> float:
    return search_bench.pct(values, p)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def truth_sets(docs: list[dict[str, Any]]) -> dict[str, set[int]]:
    """LIKE semantics: every whitespace-separated term in title, 文号 or body (ASCII
    case-insensitive, as SQLite's LIKE)."""
    queries = [(q, [t.lower() for t in q.split()]) for qs in QUERIES.values() for q in qs]
    out: dict[str, set[int]] = {q: set() for q, _ in queries}
    for i, d in enumerate(docs):  # one document's lower-cased fields at a time (1M: no copy)
        fields = (
            (d["title"] or "").lower(),
            (d["doc_number"] or "").lower(),
            d["body_text"].lower(),
        )
        for q, terms in queries:
            if all(any(t in f for f in fields) for t in terms):
                out[q].add(i)
    return out


# --- the shared segmentation -------------------------------------------------------------------


def segmented(docs: list[dict[str, Any]]) -> Iterator[tuple[str, str, str]]:
    """The product's segmentation of each document, one at a time: at 1,000,000 items the
    whole list would take about 20 GB. Each peer that uses it segments again while it builds,
    so its indexing speed includes the segmentation."""
    from gongkai.search.api import SearchDoc, segment_doc

    for d in docs:
        t, b, g = segment_doc(SearchDoc(**d))
        yield " ".join(t), " ".join(b), " ".join(g)


# --- tantivy ---------------------------------------------------------------------------------


class Tantivy:
    name = "tantivy"

    def __init__(self, workdir: Path) -> None:
        import tantivy

        self.tv = tantivy
        sb = tantivy.SchemaBuilder()
        sb.add_integer_field("n", stored=True, fast=True, indexed=True)
        for f in ("t", "b", "g"):
            sb.add_text_field(f, tokenizer_name="whitespace")
        self.schema = sb.build()
        self.path = workdir / "tantivy"
        self.path.mkdir(exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(self.path))  # reuse=True: opens a kept one

    def open(self) -> None:
        """Search an index kept by an earlier run (``--peer-dir``)."""
        self.index.reload()
        self.searcher = self.index.searcher()

    def build(self, docs: list[dict[str, Any]], seg: Iterable[tuple[str, str, str]]) -> None:
        writer = self.index.writer(heap_size=200_000_000, num_threads=1)
        for i, (t, b, g) in enumerate(seg):
            writer.add_document(self.tv.Document(n=i, t=t, b=b, g=g))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def _query(self, q: str) -> Any:
        from gongkai.search import segment

        tv = self.tv
        clauses = []
        for c in segment.plan_query(q).clauses:
            paths = []
            if c.tokens and c.word_match:
                words = [
                    tv.Query.boolean_query(
                        [
                            (tv.Occur.Should, tv.Query.term_query(self.schema, f, tok))
                            for f in ("t", "b")
                        ]
                    )
                    for tok in c.tokens
                ]
                paths.append(tv.Query.boolean_query([(tv.Occur.Must, w) for w in words]))
            phrases = []
            for phrase in c.phrases:
                if len(phrase) == 1:
                    phrases.append(tv.Query.term_query(self.schema, "g", phrase[0]))
                elif phrase:
                    phrases.append(tv.Query.phrase_query(self.schema, "g", phrase))
            if phrases:
                paths.append(tv.Query.boolean_query([(tv.Occur.Must, p) for p in phrases]))
            if c.char:
                paths.append(tv.Query.regex_query(self.schema, "g", c.char + ".*"))
            clauses.append(tv.Query.boolean_query([(tv.Occur.Should, p) for p in paths]))
        return tv.Query.boolean_query([(tv.Occur.Must, c) for c in clauses])

    def search(self, q: str) -> tuple[int, list[int]]:
        res = self.searcher.search(self._query(q), limit=20, count=True)
        return res.count, [self.searcher.doc(a)["n"][0] for _, a in res.hits]

    def match_ids(self, q: str) -> set[int]:
        res = self.searcher.search(self._query(q), limit=max(self.searcher.num_docs, 1))
        return {self.searcher.doc(a)["n"][0] for _, a in res.hits}

    def size(self) -> int:
        return dir_size(self.path)


# --- Xapian ----------------------------------------------------------------------------------


class Xapian:
    name = "xapian"

    def __init__(self, workdir: Path) -> None:
        sys.path.append("/usr/lib/python3/dist-packages")
        import xapian

        self.x = xapian
        self.path = workdir / "xapian"
        self.db: Any = None

    def open(self) -> None:
        """Search a database kept by an earlier run (``--peer-dir``)."""
        self.rdb = self.x.Database(str(self.path))
        self.enquire = self.x.Enquire(self.rdb)

    def build(self, docs: list[dict[str, Any]], seg: Iterable[tuple[str, str, str]]) -> None:
        x = self.x
        self.db = x.WritableDatabase(str(self.path), x.DB_CREATE_OR_OVERWRITE)
        for i, (t, b, g) in enumerate(seg):
            doc = x.Document()
            pos = 0
            for prefix, text in (("T", t), ("B", b), ("G", g)):
                pos += 10
                for tok in text.split():
                    pos += 1
                    term = prefix + tok
                    if len(term.encode()) < 240:
                        doc.add_posting(term, pos)
            doc.set_data(str(i))
            self.db.add_document(doc)
        self.db.commit()
        self.db.close()
        self.open()

    def _query(self, q: str) -> Any:
        from gongkai.search import segment

        x = self.x
        clauses = []
        for c in segment.plan_query(q).clauses:
            paths = []
            if c.tokens and c.word_match:
                paths.append(
                    x.Query(
                        x.Query.OP_AND,
                        [
                            x.Query(x.Query.OP_OR, [x.Query("T" + t), x.Query("B" + t)])
                            for t in c.tokens
                        ],
                    )
                )
            phrases = []
            for phrase in c.phrases:
                if len(phrase) == 1:
                    phrases.append(x.Query("G" + phrase[0]))
                elif phrase:
                    phrases.append(
                        x.Query(x.Query.OP_PHRASE, ["G" + g for g in phrase], len(phrase))
                    )
            if phrases:
                paths.append(x.Query(x.Query.OP_AND, phrases))
            if c.char:
                paths.append(x.Query(x.Query.OP_WILDCARD, "G" + c.char))
            clauses.append(x.Query(x.Query.OP_OR, paths))
        return x.Query(x.Query.OP_AND, clauses)

    def search(self, q: str) -> tuple[int, list[int]]:
        self.enquire.set_query(self._query(q))
        mset = self.enquire.get_mset(0, 20, self.rdb.get_doccount())  # exact count
        return mset.get_matches_estimated(), [int(m.document.get_data()) for m in mset]

    def match_ids(self, q: str) -> set[int]:
        self.enquire.set_query(self._query(q))
        mset = self.enquire.get_mset(0, self.rdb.get_doccount())
        return {int(m.document.get_data()) for m in mset}

    def size(self) -> int:
        return dir_size(self.path)


# --- groonga ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Groonga:
    name = "groonga"

    def __init__(self, workdir: Path) -> None:
        exe = shutil.which("groonga")
        if exe is None:
            raise RuntimeError("groonga not installed (apt-get install groonga-bin)")
        self.path = workdir / "groonga"
        kept = (self.path / "db").exists()  # a database kept by an earlier run (--peer-dir)
        self.path.mkdir(exist_ok=True)
        self.port = free_port()
        self.proc = subprocess.Popen(
            [exe, "-s", "--protocol", "http", "--bind-address", "127.0.0.1",
             "--port", str(self.port), *([] if kept else ["-n"]), str(self.path / "db")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                self.cmd("status")
                break
            except OSError:
                time.sleep(0.1)
        # groonga caches the results of the last 100 selects by default: every round after
        # the first would be answered from the cache (0.6–1 ms whatever the query; 20–45 ms
        # uncached for 工作 / 养老服务 补贴 at 100,000 items). The product and the other peers
        # cache no results, so neither does groonga here.
        self.cmd("cache_limit", max=0)

    def open(self) -> None:
        """Nothing to do: the server opened the kept database."""

    def cmd(self, command: str, body: bytes | None = None, **params: Any) -> Any:
        url = f"http://127.0.0.1:{self.port}/d/{command}?" + urllib.parse.urlencode(params)
        req = urllib.request.Request(url, data=body, method="POST" if body else "GET")
        if body:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=600) as resp:
            return json.loads(resp.read())

    def build(self, docs: list[dict[str, Any]], seg: Iterable[tuple[str, str, str]]) -> None:
        self.cmd("table_create", name="Docs", flags="TABLE_NO_KEY")
        for col, kind in (("n", "UInt32"), ("title", "ShortText"), ("doc_number", "ShortText"),
                          ("body", "LongText")):  # fmt: skip
            self.cmd("column_create", table="Docs", name=col, flags="COLUMN_SCALAR", type=kind)
        self.cmd(
            "table_create", name="Terms", flags="TABLE_PAT_KEY", key_type="ShortText",
            default_tokenizer="TokenBigram", normalizer="NormalizerAuto",
        )  # fmt: skip
        self.cmd(
            "column_create", table="Terms", name="docs_index",
            flags="COLUMN_INDEX|WITH_POSITION|WITH_SECTION", type="Docs",
            source="title,doc_number,body",
        )  # fmt: skip
        for i in range(0, len(docs), 2000):
            rows = [
                {"n": j, "title": d["title"], "doc_number": d["doc_number"], "body": d["body_text"]}
                for j, d in enumerate(docs[i : i + 2000], start=i)
            ]
            self.cmd("load", body=json.dumps(rows, ensure_ascii=False).encode(), table="Docs")

    def _select(self, q: str, limit: int, columns: str) -> Any:
        query = " ".join('"' + t.replace('"', "") + '"' for t in q.split())
        return self.cmd(
            "select", table="Docs", match_columns="title||doc_number||body", query=query,
            limit=limit, output_columns=columns, sort_keys="-_score",
        )[1][0]  # fmt: skip

    def search(self, q: str) -> tuple[int, list[int]]:
        res = self._select(q, 20, "n,_score")
        return res[0][0], [row[0] for row in res[2:]]

    def match_ids(self, q: str) -> set[int]:
        return {row[0] for row in self._select(q, -1, "n")[2:]}

    def size(self) -> int:
        return dir_size(self.path)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


# --- the product -----------------------------------------------------------------------------


class Product:
    def __init__(self, raw: bool) -> None:
        from gongkai.search.backends import get_backend
        from gongkai.search.models import SearchEntry

        self.name = "product raw" if raw else "product"
        self.raw = raw
        self.backend = get_backend()
        self.n_of = {
            pk: int(key.split(":", 1)[1])
            for pk, key in SearchEntry.objects.filter(key__startswith="bench:").values_list(
                "id", "key"
            )
        }
        self.max_id = max(self.n_of, default=0)

    def search(self, q: str) -> tuple[int, list[int]]:
        from gongkai.search import api, segment
        from gongkai.search.api import SearchQuery

        if self.raw:
            query = SearchQuery(q=q)
            total, _, hits = self.backend.search(
                segment.plan_query(q), query.filters(), sort="relevance", offset=0, limit=20,
                cap=api.CANDIDATE_CAP, count_cap=api.COUNT_CAP,
            )  # fmt: skip
            return total, [self.n_of.get(pk, -1) for pk, _ in hits]
        page = api.search(SearchQuery(q=q))
        return page.total, [int(h.url.strip("/").split("/")[-1]) for h in page.hits]

    def match_ids(self, q: str) -> set[int]:
        from gongkai.search import segment

        return {
            self.n_of[pk]
            for pk in self.backend.match_ids(segment.plan_query(q), max_id=self.max_id)
            if pk in self.n_of
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/gk_search_bench")
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the product's index")
    parser.add_argument("--peers", default="tantivy,xapian,groonga")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument(
        "--peer-dir",
        help="keep the peers' indexes under this directory (one per size and seed) and reuse "
        "them in later runs, e.g. the same corpus on the other backend; their indexing "
        "figures are those of the run that built them",
    )
    parser.add_argument(
        "--peers-only",
        action="store_true",
        help="with --peer-dir: only build the peers' kept indexes (in parallel with another run "
        "that builds the product's index; at 1,000,000 items each build takes an hour), then exit",
    )
    args = parser.parse_args()
    if args.peers_only and not args.peer_dir:
        parser.error("--peers-only needs --peer-dir")
    # search_bench's set-up: its own database, the product's index of the same corpus. With
    # --peers-only, a scratch SQLite database: segmentation reads the custom words from the
    # database, and the bench corpus has no agencies, so any database segments alike.
    scratch = tempfile.mkdtemp(prefix="gk-peers-db-") if args.peers_only else None
    bench_args = argparse.Namespace(
        backend="sqlite" if scratch else args.backend, pg=args.pg, size=args.size,
        seed=args.seed, reuse=args.reuse, peer=False, single=0,
        sqlite_path=str(Path(scratch) / "scratch.sqlite3") if scratch else None,
    )  # fmt: skip
    search_bench.setup_django(bench_args)
    import corpus

    from gongkai.lib.runtime import freeze_startup_heap

    print(f"search peers: backend={args.backend} size={args.size}", flush=True)
    product_indexing: dict[str, Any] = {}
    if not args.peers_only:
        t = time.perf_counter()
        product_indexing = search_bench.index_corpus(bench_args)
        product_indexing["seconds"] = round(time.perf_counter() - t, 1)
        product_indexing["storage"] = search_bench.storage(bench_args)
        print(f"  product indexing: {product_indexing}", flush=True)
    docs = list(corpus.generate(args.size, seed=args.seed))
    truth = truth_sets(docs) if not args.peers_only else {}

    if args.peer_dir:
        workdir = Path(args.peer_dir) / f"{args.size}-{args.seed}"
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = Path(tempfile.mkdtemp(prefix="gk-peers-"))
    engines: list[Any] = [] if args.peers_only else [Product(raw=False), Product(raw=True)]
    indexing: dict[str, Any] = {"product": product_indexing}
    for name in args.peers.split(","):
        cls = {"tantivy": Tantivy, "xapian": Xapian, "groonga": Groonga}[name]
        kept = workdir / f"{name}.json"
        try:
            engine = cls(workdir)
            if kept.exists():
                engine.open()
                indexing[name] = {**json.loads(kept.read_text()), "kept": True}
            else:
                t = time.perf_counter()
                engine.build(docs, segmented(docs))  # groonga segments by itself
                build_s = time.perf_counter() - t
                indexing[name] = {
                    "items_per_s": round(args.size / build_s, 1),
                    "mb_per_1k_items": round(engine.size() / 1024 / 1024 / (args.size / 1000), 2),
                }
                if name == "xapian":  # documents buffered in memory between flushes
                    indexing[name]["flush_threshold"] = int(
                        os.environ.get("XAPIAN_FLUSH_THRESHOLD", "10000")
                    )
                if args.peer_dir:
                    kept.write_text(json.dumps(indexing[name]))
        except Exception as exc:  # noqa: BLE001 - a missing peer is reported, not fatal
            print(f"  {name}: skipped ({exc})", flush=True)
            continue
        print(f"  {name} indexing: {indexing[name]}", flush=True)
        engines.append(engine)
    if args.peers_only:
        for engine in engines:
            if hasattr(engine, "close"):
                engine.close()
        shutil.rmtree(scratch or "", ignore_errors=True)
        return

    freeze_startup_heap()  # as the WSGI workers run
    times: dict[tuple[str, str], list[float]] = {}
    rng = random.Random(1)
    for engine in engines:  # warm-up
        for queries in QUERIES.values():
            for q in queries:
                engine.search(q)
    for _ in range(args.rounds):
        for cls_name, queries in QUERIES.items():
            for q in queries:
                order = engines[:]
                rng.shuffle(order)
                for engine in order:
                    t0 = time.perf_counter()
                    engine.search(q)
                    times.setdefault((cls_name, engine.name), []).append(
                        (time.perf_counter() - t0) * 1000
                    )
    results: dict[str, Any] = {}
    names = [e.name for e in engines]
    print("\n  p95 ms (p50) | recall / extra | ratio = peer p95 / product p95", flush=True)
    print("  " + "class".ljust(11) + "".join(n.rjust(24) for n in names))
    for cls_name, queries in QUERIES.items():
        row: dict[str, Any] = {}
        for engine in engines:
            found = extra = n = 0
            for q in queries:
                m = engine.match_ids(q)
                found += len(m & truth[q])
                extra += len(m - truth[q])
                n += len(truth[q])
            ts = times[(cls_name, engine.name)]
            row[engine.name] = {
                "p50_ms": round(pct(ts, 0.5), 2),
                "p95_ms": round(pct(ts, 0.95), 2),
                "recall": round(found / n, 4) if n else None,
                "extra": extra,
            }
        base = row["product"]["p95_ms"] or float("nan")
        for engine in engines:
            row[engine.name]["ratio_to_product"] = round(row[engine.name]["p95_ms"] / base, 2)
        results[cls_name] = row
        print(
            "  "
            + cls_name.ljust(11)
            + "".join(
                f"{r['p95_ms']:7.2f} ({r['p50_ms']:6.2f}) {r['recall']}/{r['extra']}".rjust(24)
                for r in row.values()
            ),
            flush=True,
        )
    for engine in engines:
        if hasattr(engine, "close"):
            engine.close()
    if not args.peer_dir:
        shutil.rmtree(workdir, ignore_errors=True)
    out = {"backend": args.backend, "size": args.size, "indexing": indexing, "queries": results}
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("GONGKAI_GC_FREEZE", "1")
    main()
