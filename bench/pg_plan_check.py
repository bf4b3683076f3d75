"""PostgreSQL: the search's bounded candidate query vs a materialised-superset variant.

Usage: ``.venv/bin/python bench/pg_plan_check.py [--pg URL] [--explain] "数字政府 方案" 工作 …``
against a database filled by ``search_bench.py --backend postgres`` (default gk_search_bench).

For each query it times (twice each, alternating) the production candidate pass
(``doc @@ q ORDER BY id DESC LIMIT 2001``: newest-first primary-key walk, each row's vector
tested) and a variant that first collects a superset from the GIN index with a query it can
answer without recheck (no weights, no ``<->``), then tests the exact query newest-first
inside it; and checks that both return the same ids. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CURRENT = (
    "SELECT e.id FROM search_searchentry e WHERE e.doc @@ %s::tsquery ORDER BY e.id DESC LIMIT 2001"
)
SUPERSET_CTE = (
    "WITH c AS MATERIALIZED (SELECT id FROM search_searchentry WHERE doc @@ %s::tsquery) "
    "SELECT e.id FROM search_searchentry e WHERE e.id IN (SELECT id FROM c) "
    "AND e.doc @@ %s::tsquery ORDER BY e.id DESC LIMIT 2001"
)


def superset_query(plan) -> str:  # type: ignore[no-untyped-def]
    """The plan's tsquery without weights and with phrases as plain AND (matches ⊇ exact)."""
    from gongkai.search.backends import _tsq_lexeme

    clauses = []
    for clause in plan.clauses:
        paths = []
        if clause.tokens:
            paths.append("(" + " & ".join(_tsq_lexeme(t) for t in clause.tokens) + ")")
        phrases = [" & ".join(_tsq_lexeme(g) for g in p) for p in clause.phrases if p]
        if phrases:
            paths.append("(" + " & ".join(f"({p})" for p in phrases) + ")")
        if clause.char:
            paths.append(_tsq_lexeme(clause.char) + ":*")
        clauses.append("(" + " | ".join(paths) + ")")
    return " & ".join(clauses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("queries", nargs="+")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/gk_search_bench")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.pg
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    import django

    django.setup()
    from django.db import connection

    from gongkai.search import segment
    from gongkai.search.backends import PostgresBackend

    for q in args.queries:
        plan = segment.plan_query(q)
        exact, _ = PostgresBackend.match_query(plan)
        variants = {
            "current": (CURRENT, [exact]),
            "cte": (SUPERSET_CTE, [superset_query(plan), exact]),
        }
        times: dict[str, list[float]] = {"current": [], "cte": []}
        ids: dict[str, list[int]] = {}
        with connection.cursor() as cur:
            for _ in range(2):
                for name, (sql, params) in variants.items():
                    t = time.perf_counter()
                    cur.execute(sql, params)
                    ids[name] = [r[0] for r in cur.fetchall()]
                    times[name].append(round((time.perf_counter() - t) * 1000, 1))
            print(
                f"{q}: current {times['current']} ms, cte {times['cte']} ms, "
                f"same ids {ids['current'] == ids['cte']} ({len(ids['current'])})"
            )
            if args.explain:
                for name, (sql, params) in variants.items():
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                    print(f"--- {name}\n" + "\n".join(r[0] for r in cur.fetchall()))


if __name__ == "__main__":
    main()
