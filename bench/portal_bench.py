"""Portal throughput: item page and list page, uncached / Django page cache / nginx cache.

Usage: ``.venv/bin/python bench/portal_bench.py [--items 2000] [--seconds 8]``

A temporary SQLite database gets ``--items`` public catalog items (bench/corpus.py text).
granian serves the app with two workers (the production choice, see "WSGI server"); ``wrk``
drives loopback with 16 connections. Each row is measured in the same run:
* uncached — PORTAL_PAGE_CACHE=0: every request renders (visits still counted, buffered);
* django   — the portal's page cache (locmem per worker) + conditional GET machinery;
* nginx    — deploy/nginx/portal-cache.conf in front of the Django-cached app, with its
  visit log (item views are counted from it: ``manage.py ingest_visit_log``, run at the end
  against the bench database; its count should equal the item requests wrk made).
The client's CPU share is wrk's CPU time over (wall time × cores): how much of the machine
the load generator itself took.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PORT = 8767
NGINX_PORT = 8768

SEED = r"""
import sys, datetime as dt
sys.path.insert(0, "bench")
import django
django.setup()
from django.utils import timezone
import corpus
from gongkai.agencies.models import Region, Agency
from gongkai.publishing.models import CatalogItem
region = Region.objects.create(code="220500", name="通化市", level="city")
agencies = [Agency.objects.create(code=f"a{i}", name=name, region=region, level="city", org_code="", uscc="")
            for i, (name, _p) in enumerate(corpus.AGENCIES)]
now = timezone.now()
items = []
for i, d in enumerate(corpus.generate(int(sys.argv[1]))):
    items.append(CatalogItem(agency=agencies[d["agency_id"] - 1], title=d["title"][:300],
        body="<p>" + d["body_text"] + "</p>", doc_number=d["doc_number"], formed_on=d["published_at"].date(),
        status="published", published_at=min(d["published_at"], now), index_number=d["index_number"][:40],
        genre="notice", column="catalog"))
CatalogItem.objects.bulk_create(items, batch_size=500)
print(CatalogItem.objects.order_by("-id").values_list("id", flat=True).first())
"""


def wait_up(url: str, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not come up at {url}")


def run_wrk(url: str, seconds: int, connections: int) -> tuple[float, float, int]:
    """(requests/s, client CPU share of the whole machine, requests answered)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wall = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert match, out
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise RuntimeError(f"{url}: {non2xx.group(1)} error responses")
    total = re.search(r"(\d+) requests in", out)
    return (
        float(match.group(1)),
        cpu / (wall * (os.cpu_count() or 1)),
        int(total.group(1)) if total else 0,
    )


def start_app(env: dict[str, str]) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(APP_PORT),
           "--workers", "2", "--log-level", "warning", "gongkai.wsgi:application"]  # fmt: skip
    return subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def start_nginx(tmp: Path) -> subprocess.Popen:
    conf = (ROOT / "deploy" / "nginx" / "portal-cache.conf").read_text(encoding="utf-8")
    conf = conf.replace("/var/cache/nginx/gongkai", str(tmp / "cache"))
    conf = conf.replace("server 127.0.0.1:8001;", f"server 127.0.0.1:{APP_PORT};")
    conf = conf.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{NGINX_PORT};")
    # the visit log is part of what is measured; the general access log is not (as before)
    conf = conf.replace("    access_log /var/log/nginx/access.log;\n", "")
    conf = conf.replace("/var/log/nginx/gongkai-visits.log", str(tmp / "gongkai-visits.log"))
    temp = " ".join(
        f"{k}_temp_path {tmp / k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'};\nworker_processes 1;\nevents {{}}\n"
        f"http {{\naccess_log off;\n{temp}\n{conf}\n}}\n",
        encoding="utf-8",
    )
    return subprocess.Popen(["nginx", "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--modes", default="uncached,django,nginx", help="comma-separated subset")
    parser.add_argument("--pages", default="item,list", help="comma-separated subset")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="DB_CONN_MAX_AGE for the app (default: the settings' default, a new connection per request)",
    )
    args = parser.parse_args()
    modes = [m for m in ("uncached", "django", "nginx") if m in args.modes.split(",")]
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing")
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-portal-bench-"))
    env = dict(os.environ, GONGKAI_VAR_DIR=str(tmp), DEBUG="0", ALLOWED_HOSTS="127.0.0.1",
               DJANGO_SETTINGS_MODULE="portal_settings", PYTHONPATH=f"{ROOT}:{ROOT / 'bench'}")  # fmt: skip
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.pop("DB_CONN_MAX_AGE", None)
    if args.conn_max_age is not None:
        env["DB_CONN_MAX_AGE"] = str(args.conn_max_age)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    last_id = int(
        subprocess.run(
            [sys.executable, "-c", SEED, str(args.items)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]  # fmt: skip
    )
    paths = {"item": f"/xxgk/{last_id - 7}/", "list": "/xxgk/?page=3"}
    paths = {k: v for k, v in paths.items() if k in args.pages.split(",")}
    results: dict[tuple[str, str], tuple[float, float]] = {}
    nginx_item_requests = 0
    for mode in modes:
        app = start_app(dict(env, PORTAL_PAGE_CACHE="0" if mode == "uncached" else "1"))
        proxy = start_nginx(tmp) if mode == "nginx" else None
        port = NGINX_PORT if mode == "nginx" else APP_PORT
        try:
            for name, path in paths.items():
                url = f"http://127.0.0.1:{port}{path}"
                wait_up(url)
                warm = run_wrk(url, 2, args.connections)  # warm-up
                rps, share, answered = run_wrk(url, args.seconds, args.connections)
                results[(mode, name)] = (rps, share)
                if mode == "nginx" and name == "item":
                    nginx_item_requests = warm[2] + answered + 1  # + wait_up's request
        finally:
            if proxy is not None:
                proxy.terminate()
                proxy.wait(timeout=20)
            app.terminate()
            app.wait(timeout=20)
        time.sleep(1)
    print(
        f"portal throughput ({args.items} items, granian 2 workers, wrk -c{args.connections}, {args.seconds}s, "
        f"DB_CONN_MAX_AGE={args.conn_max_age if args.conn_max_age is not None else 'default'})"
    )
    for name in paths:
        base = results.get(("uncached", name), results[(modes[0], name)])[0]
        for mode in modes:
            rps, share = results[(mode, name)]
            print(
                f"  {name:5s} {mode:9s} {rps:9.0f} req/s  ×{rps / base:6.1f}  client CPU {share:5.1%}"
            )
    visit_log = tmp / "gongkai-visits.log"
    if nginx_item_requests and visit_log.exists():
        counted = subprocess.run(
            [sys.executable, "manage.py", "ingest_visit_log", "--log", str(visit_log)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        print(f"  nginx item requests answered (wrk): {nginx_item_requests}; {counted}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
