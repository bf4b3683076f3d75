"""Relevance of the product's search against tantivy, Xapian and groonga: nDCG@10 (issue 18).

Usage (from the repository root)::

    make bench-relevance                                  # SQLite
    .venv/bin/python bench/relevance_bench.py --backend postgres \\
        --pg postgres://postgres@127.0.0.1:5432/gk_relevance

The corpus and the graded judgments are in bench/relevance/ (written by
bench/relevance/make_corpus.py; README.md there says how the judgments were made). The product
is indexed into a throwaway database (var/bench/relevance.sqlite3, or the --pg database, which
is emptied first) through ``gongkai.search.api.index_documents`` and asked through
``api.search`` (the full path: count, ranking, first page). The peers are search_peers.py's:
tantivy and Xapian on the product's segmentation and query plan, ranked by BM25; groonga with
its own bigram tokenizer and score.

nDCG@10 uses the gain 2^grade − 1 and the discount log2(rank + 1); the ideal ordering is
every judged document of the query by grade. Printed per query class and overall (mean over
queries), and the pass/fail line for the issue: the product's mean nDCG@10 over the common
terms at least tantivy's (BM25).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "bench" / "relevance"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import search_bench  # noqa: E402

CST = dt.timezone(dt.timedelta(hours=8))


def load_corpus() -> tuple[list[str], list[dict[str, Any]]]:
    """The doc ids (``d0001``…) and SearchDoc-shaped dicts, in the corpus order (oldest first)."""
    ids, docs = [], []
    with open(HERE / "corpus.jsonl", encoding="utf-8") as f:
        for i, line in enumerate(f):
            d = json.loads(line)
            ids.append(d["id"])
            y, m, day = map(int, d["published"].split("-"))
            docs.append(
                {
                    "key": f"bench:{i}",
                    "kind": "catalog",
                    "agency_id": None,
                    "title": d["title"],
                    "body_text": d["body"],
                    "doc_number": d["doc_number"],
                    "index_number": "",
                    "topic_code": "",
                    "genre": "",
                    "validity": "",
                    "published_at": dt.datetime(y, m, day, 9, 0, tzinfo=CST),
                    "url": f"/xxgk/{i}/",
                }
            )
    return ids, docs


def load_judgments() -> list[dict[str, Any]]:
    queries: dict[str, dict[str, Any]] = {}
    with open(HERE / "queries.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            qid, cls, q, basis = line.rstrip("\n").split("\t")
            queries[qid] = {"qid": qid, "class": cls, "q": q, "basis": basis, "grades": {}}
    with open(HERE / "judgments.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            qid, doc, grade = line.rstrip("\n").split("\t")
            queries[qid]["grades"][doc] = int(grade)
    return list(queries.values())


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def index_product(docs: list[dict[str, Any]]) -> None:
    from django.db import connection

    from gongkai.search.api import SearchDoc, index_documents
    from gongkai.search.models import SearchEntry

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("TRUNCATE search_searchentry RESTART IDENTITY")
    else:
        SearchEntry.objects.all().delete()
    for i in range(0, len(docs), 200):
        index_documents([SearchDoc(**d) for d in docs[i : i + 200]])
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM ANALYZE search_searchentry")
        else:
            cur.execute("INSERT INTO search_fts(search_fts) VALUES('optimize')")
            cur.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/gk_relevance")
    parser.add_argument("--peers", default="tantivy,xapian,groonga")
    parser.add_argument("--per-query", action="store_true", help="print nDCG@10 of every query")
    parser.add_argument("--show", default="", help="comma-separated qids: print each top 10")
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()
    ids, docs = load_corpus()
    titles = {i: d["title"] for i, d in zip(ids, docs, strict=True)}
    show = set(filter(None, args.show.split(",")))
    judged = load_judgments()
    bench_args = argparse.Namespace(
        backend=args.backend, pg=args.pg, size=len(docs), reuse=False, peer=False,
        sqlite_path=str(ROOT / "var" / "bench" / "relevance.sqlite3"),
    )  # fmt: skip
    search_bench.setup_django(bench_args)
    import search_peers

    print(
        f"relevance: backend={args.backend}, {len(docs)} documents, {len(judged)} judged queries",
        flush=True,
    )
    index_product(docs)
    engines: list[Any] = [search_peers.Product(raw=False)]
    workdir = Path(tempfile.mkdtemp(prefix="gk-relevance-"))
    seg = list(search_peers.segmented(docs))  # a small corpus: one list serves every peer
    for name in args.peers.split(","):
        peer: Any = {"tantivy": search_peers.Tantivy, "xapian": search_peers.Xapian,
                     "groonga": search_peers.Groonga}[name]  # fmt: skip
        try:
            engine = peer(workdir)
            engine.build(docs, seg)
        except Exception as exc:  # noqa: BLE001 - a missing peer is reported, not fatal
            print(f"  {name}: skipped ({exc})", flush=True)
            continue
        engines.append(engine)
    names = [e.name for e in engines]
    scores: dict[str, dict[str, float]] = {n: {} for n in names}
    for item in judged:
        for engine in engines:
            _, top = engine.search(item["q"])
            ranked = [ids[n] for n in top if 0 <= n < len(ids)]
            scores[engine.name][item["qid"]] = ndcg(ranked, item["grades"])
            if item["qid"] in show:
                print(f"\n  {item['qid']} {item['q']} — {engine.name}")
                for d in ranked[:10]:
                    print(
                        f"    {item['grades'].get(d, 0)} {d} {docs[ids.index(d)]['published_at']:%Y-%m-%d} {titles[d]}"
                    )
    for engine in engines:
        if hasattr(engine, "close"):
            engine.close()
    shutil.rmtree(workdir, ignore_errors=True)

    classes: dict[str, list[str]] = {}
    for item in judged:
        classes.setdefault(item["class"], []).append(item["qid"])

    def mean(name: str, qids: list[str]) -> float:
        return sum(scores[name][q] for q in qids) / len(qids)

    if args.per_query:
        print("\n  " + "qid class      query".ljust(34) + "".join(n.rjust(10) for n in names))
        for item in judged:
            print(
                f"  {item['qid']} {item['class']:10s} {item['q']}".ljust(34 - len(item["q"]))
                + "".join(f"{scores[n][item['qid']]:10.3f}" for n in names)
            )
    print("\n  nDCG@10")
    print("  " + "class".ljust(16) + "".join(n.rjust(10) for n in names))
    table: dict[str, dict[str, float]] = {}
    for group, qids in [*classes.items(), ("overall", [i["qid"] for i in judged])]:
        table[group] = {n: round(mean(n, qids), 3) for n in names}
        print(
            "  "
            + f"{group} ({len(qids)})".ljust(16)
            + "".join(f"{table[group][n]:10.3f}" for n in names)
        )
    if "tantivy" in table["common"]:
        ok = table["common"]["product"] >= table["common"]["tantivy"]
        print(
            f"\n  product common-term nDCG@10 ≥ BM25 (tantivy): "
            f"{'PASS' if ok else 'FAIL'} ({table['common']['product']:.3f} vs "
            f"{table['common']['tantivy']:.3f})"
        )
    if args.json:
        out = {"backend": args.backend, "documents": len(docs), "ndcg10": table,
               "per_query": scores}  # fmt: skip
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("GONGKAI_GC_FREEZE", "1")
    main()
