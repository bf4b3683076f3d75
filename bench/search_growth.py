"""Cost growth of the product's search and its peers: p95 per query class at several corpus
sizes, side by side (issue 18).

Usage (from the repository root)::

    make bench-growth                                   # 10,000 and 100,000 items, SQLite
    .venv/bin/python bench/search_growth.py --sizes 10000,100000,1000000 --backend postgres --reuse
    .venv/bin/python bench/search_growth.py --sizes 10000,100000 --backend sqlite --only-print

Each size is one run of ``bench/search_peers.py`` in its own process (its own database and
peer indexes; ``--reuse`` keeps the product's index of that size), which writes
``var/bench/peers-<backend>-<size>.json``. ``--only-print`` reads those files without
running anything, so sizes measured on different days can be put side by side (each run's
ratios are from one run, the absolute numbers are not). Printed: per class and engine the
p95 at each size and the growth factor from the smallest to the largest size; per engine the
indexing speed and the index size per 1,000 items at each size; per class the best peer's p95
divided by the product's (> 1: the product is faster).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("product", "product raw")


def result_path(backend: str, size: int) -> Path:
    return ROOT / "var" / "bench" / f"peers-{backend}-{size}.json"


def run(size: int, args: argparse.Namespace) -> None:
    command = [
        sys.executable, str(ROOT / "bench" / "search_peers.py"),
        "--size", str(size), "--backend", args.backend, "--rounds", str(args.rounds),
        "--peers", args.peers, "--json", str(result_path(args.backend, size)),
    ]  # fmt: skip
    if args.pg:
        command += ["--pg", args.pg]
    if args.reuse:
        command.append("--reuse")
    if args.peer_dir:
        command += ["--peer-dir", args.peer_dir]
    print("$ " + " ".join(command[1:]), flush=True)
    subprocess.run(command, check=True, cwd=ROOT)


def label(size: int) -> str:
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1000}k"


def table(runs: dict[int, dict[str, Any]]) -> str:
    sizes = sorted(runs)
    first, last = sizes[0], sizes[-1]
    engines: list[str] = list(PRODUCT)
    for size in sizes:
        for name in runs[size]["indexing"]:
            if name not in engines:
                engines.append(name)
        for row in runs[size]["queries"].values():
            for name in row:
                if name not in engines:
                    engines.append(name)
    lines = [
        f"p95 ms per class at {', '.join(label(s) for s in sizes)} (growth = {label(last)} / {label(first)})"
    ]
    head = "  " + "class".ljust(11) + "engine".ljust(13)
    head += "".join(label(s).rjust(10) for s in sizes) + "growth".rjust(9)
    lines.append(head)
    classes = list(runs[last]["queries"])
    for cls in classes:
        for name in engines:
            values = [runs[s]["queries"].get(cls, {}).get(name, {}).get("p95_ms") for s in sizes]
            if all(v is None for v in values):
                continue
            cells = "".join((f"{v:10.2f}" if v is not None else " " * 9 + "-") for v in values)
            a, b = values[0], values[-1]
            growth = f"{b / a:8.1f}×" if a and b else " " * 9
            lines.append("  " + cls.ljust(11) + name.ljust(13) + cells + growth)
    lines.append("")
    lines.append("best peer p95 / product p95 (> 1: the product is faster), full path and raw")
    lines.append("  " + "class".ljust(11) + "".join(label(s).rjust(18) for s in sizes))
    for cls in classes:
        cells = ""
        for s in sizes:
            row = runs[s]["queries"].get(cls, {})
            peers = [r["p95_ms"] for n, r in row.items() if n not in PRODUCT and r.get("p95_ms")]
            full, raw = (
                row.get("product", {}).get("p95_ms"),
                row.get("product raw", {}).get("p95_ms"),
            )
            if peers and full and raw:
                cells += f"{min(peers) / full:8.2f} / {min(peers) / raw:5.2f}".rjust(18)
            else:
                cells += "-".rjust(18)
        lines.append("  " + cls.ljust(11) + cells)
    lines.append("")
    lines.append("indexing items/s and index MB per 1,000 items")
    lines.append("  " + "engine".ljust(13) + "".join(label(s).rjust(20) for s in sizes))
    for name in engines:
        cells = ""
        for s in sizes:
            info = runs[s]["indexing"].get(name)
            if not info:
                cells += "-".rjust(20)
                continue
            speed = info.get("items_per_s") or info.get("bulk_items_per_s")
            size_mb = info.get("mb_per_1k_items") or info.get("storage", {}).get("mb_per_1k_items")
            shown = f"{speed:9.1f}" if speed else "   reused"  # a kept index: not timed
            cells += f"{shown} /{size_mb or 0:6.2f} MB".rjust(20)
        if cells.strip("- "):
            lines.append("  " + name.ljust(13) + cells)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg", help="PostgreSQL database URL (search_peers.py's default if unset)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--peers", default="tantivy,xapian,groonga")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the product's index of each size"
    )
    parser.add_argument(
        "--peer-dir", help="passed to search_peers.py: keep and reuse the peers' indexes"
    )
    parser.add_argument("--only-print", action="store_true", help="read earlier runs' results only")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    runs: dict[int, dict[str, Any]] = {}
    for size in sizes:
        if not args.only_print:
            run(size, args)
        path = result_path(args.backend, size)
        if not path.exists():
            sys.exit(f"没有 {label(size)} 的结果（{path}）：先不带 --only-print 运行。")
        runs[size] = json.loads(path.read_text(encoding="utf-8"))
    print()
    print(f"search growth: backend={args.backend}")
    print(table(runs))


if __name__ == "__main__":
    main()
