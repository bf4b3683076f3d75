"""Choose the production WSGI server by measurement: gunicorn vs granian, same app, same machine.

Serves the portal home page (template rendering + a database read) from a migrated SQLite demo
database with DEBUG off, drives each server with ``wrk`` on loopback, and prints requests per
second and the ratio between the two. Usage: ``.venv/bin/python bench/wsgi_servers.py [--seconds 10]``.
Needs ``wrk`` (apt-get install wrk) and the ``prod`` extra (gunicorn, granian).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765


def wait_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not come up at {url}")


def run_wrk(url: str, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert match, out
    return float(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--path", default="/")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    var = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    env = dict(
        os.environ,
        GONGKAI_VAR_DIR=str(var),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="gongkai.settings",
    )
    env.pop("DATABASE_URL", None)
    py = sys.executable
    subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [py, "manage.py", "load_demo", "--quiet"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    servers = {
        # two cores: two worker processes each, the same for both servers
        "gunicorn": [
            py,
            "-m",
            "gunicorn",
            "gongkai.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        "granian": [
            py,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--workers",
            "2",
            "--log-level",
            "warning",
            "gongkai.wsgi:application",
        ],
    }
    results: dict[str, float] = {}
    for name, cmd in servers.items():
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            url = f"http://127.0.0.1:{PORT}{args.path}"
            wait_up(url)
            run_wrk(url, 2, args.connections)  # warm-up
            results[name] = run_wrk(url, args.seconds, args.connections)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        time.sleep(1)
    for name, rps in results.items():
        print(
            f"{name:<9} {rps:8.0f} req/s  ({args.path}, {args.connections} connections, {args.seconds}s)"
        )
    print(f"granian/gunicorn = {results['granian'] / results['gunicorn']:.2f}")
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
