"""Indexing speed of this tree against an earlier commit, interleaved in one run (issue 18).

Usage (from the repository root)::

    .venv/bin/python bench/index_speed.py --old 269d265 --backend sqlite --size 4000 --rounds 4
    .venv/bin/python bench/index_speed.py --old 269d265 --backend postgres --size 20000 --rounds 2

The old commit is exported with ``git archive`` into a temporary directory (the working tree
and its git state are not touched) and both trees index the same bench corpus
(``bench/corpus.py``) through their own ``api.index_documents``, in batches of 1,000, each run
in a fresh process and database, old and new alternating. Printed per run: items per second of
wall clock and per CPU second (this process, plus the PostgreSQL server process that served it,
read from ``/proc``: on a shared machine CPU seconds are the comparable figure); then the ratio
of the means, new / old.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run inside each tree by a fresh interpreter: argv = tree, backend, database, size.
CHILD = r"""
import argparse, json, os, sys, time
root, backend, db, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path[:0] = [root, root + "/bench"]
os.chdir(root)
import search_bench
args = argparse.Namespace(backend=backend, pg=db if backend == "postgres" else "", size=size,
    seed=20240101, reuse=False, sqlite_path=None if backend == "postgres" else db, peer=False, single=0)
search_bench.setup_django(args)
import corpus
from django.db import connection
from gongkai.search.api import SearchDoc, index_documents
from gongkai.search import segment
docs = [SearchDoc(**d) for d in corpus.generate(size, seed=20240101)]
segment.index_tokens(docs[0].title + docs[0].body_text)  # load the dictionaries before timing
pid = None
if backend == "postgres":
    with connection.cursor() as cur:
        cur.execute("TRUNCATE search_searchentry RESTART IDENTITY")
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
def server_cpu():
    if pid is None:
        return 0.0
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
s0, c0, t0 = server_cpu(), time.process_time(), time.perf_counter()
for i in range(0, size, 1000):
    index_documents(docs[i:i + 1000])
wall, cpu = time.perf_counter() - t0, time.process_time() - c0 + server_cpu() - s0
print(json.dumps({"per_wall_s": size / wall, "per_cpu_s": size / cpu}))
"""


def run(tree: Path, args: argparse.Namespace, db: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(tree), args.backend, db, str(args.size)],
        check=True, capture_output=True, text=True, cwd=tree,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--old", default="269d265", help="the commit to compare with")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/gk_index_speed")
    parser.add_argument("--size", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gk-index-speed-") as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.old], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        (old / "var").mkdir(exist_ok=True)
        trees = {"old": old, "new": ROOT}
        results: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
        print(f"index speed: backend={args.backend} size={args.size} old={args.old}", flush=True)
        for r in range(args.rounds):
            for name, tree in trees.items():
                if args.backend == "postgres":
                    db = args.pg + ("_old" if name == "old" else "_new")
                else:
                    db = str(Path(tmp) / f"{name}.sqlite3")
                    for suffix in ("", "-wal", "-shm"):
                        Path(db + suffix).unlink(missing_ok=True)
                res = run(tree, args, db)
                results[name].append(res)
                print(
                    f"  round {r + 1} {name}: {res['per_wall_s']:7.1f} items/s wall, "
                    f"{res['per_cpu_s']:7.1f} items per CPU second",
                    flush=True,
                )
    mean = {k: sum(x["per_cpu_s"] for x in v) / len(v) for k, v in results.items()}
    pairs = [
        n["per_cpu_s"] / o["per_cpu_s"] for o, n in zip(results["old"], results["new"], strict=True)
    ]
    print(
        f"  new / old, items per CPU second: mean {mean['new'] / mean['old']:.2f}× "
        f"(pairs {', '.join(f'{p:.2f}' for p in pairs)})"
    )


if __name__ == "__main__":
    main()
