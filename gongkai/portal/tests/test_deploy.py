"""The nginx cache configuration parses and, end to end in front of a live server, serves
cached item pages whose visits are counted once through its visit log; a content change asks
nginx to refresh pages."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import override_settings

from gongkai.lib.testing import ROOT, require_system, wait_for_port
from gongkai.portal import caching
from gongkai.publishing.models import CatalogItem
from gongkai.search import visits
from gongkai.search.tests.factories import make_item
from gongkai.test import BaseTestCase

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONF = Path(ROOT) / "deploy" / "nginx" / "portal-cache.conf"


def nginx_conf(tmp: Path, *, upstream_port: int = 8000, port: int = 8080) -> Path:
    """deploy/nginx/portal-cache.conf in a throw-away nginx.conf whose paths are under ``tmp``."""
    conf = CONF.read_text(encoding="utf-8")
    replacements = {
        "/var/cache/nginx/gongkai": str(tmp / "cache"),
        "/var/log/nginx/access.log": str(tmp / "access.log"),
        "/var/log/nginx/gongkai-visits.log": str(tmp / "gongkai-visits.log"),
        "server 127.0.0.1:8001;": f"server 127.0.0.1:{upstream_port};",
        "listen 127.0.0.1:8080;": f"listen 127.0.0.1:{port};",
    }
    for old, new in replacements.items():
        assert old in conf, f"deploy config no longer contains {old!r}"
        conf = conf.replace(old, new)
    temp = " ".join(
        f"{k}_temp_path {tmp / k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    path = tmp / "nginx.conf"
    path.write_text(
        f"pid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'};\nworker_processes 1;\n"
        f"events {{}}\nhttp {{\n{temp}\n{conf}\n}}\n",
        encoding="utf-8",
    )
    return path


class NginxConfigTest(BaseTestCase):
    def test_it_is_valid_nginx_syntax(self) -> None:
        require_system("nginx", Path(NGINX).exists(), "apt-get install nginx")
        tmp = Path(tempfile.mkdtemp(prefix="gk-nginx-"))
        result = subprocess.run(
            [NGINX, "-t", "-c", str(nginx_conf(tmp))], capture_output=True, text=True
        )
        shutil.rmtree(tmp, ignore_errors=True)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_it_no_longer_mirrors_item_requests(self) -> None:
        conf = CONF.read_text(encoding="utf-8")
        self.assertNotIn("mirror", conf.replace("mirrored", ""))
        self.assertIn("X-Gongkai-Visit-Counted", conf)


class PurgeTest(BaseTestCase):
    @override_settings(PORTAL_PURGE_BASE="http://127.0.0.1:9")
    def test_it_asks_nginx_to_refresh_the_affected_pages(self) -> None:
        item = make_item(self.agency_a)
        with mock.patch("urllib.request.urlopen") as urlopen:
            caching.content_changed([f"catalog:{item.pk}"])
        requested = {call.args[0].full_url for call in urlopen.call_args_list}
        self.assertIn(f"http://127.0.0.1:9/xxgk/{item.pk}/", requested)
        self.assertIn("http://127.0.0.1:9/", requested)
        self.assertIn("http://127.0.0.1:9/feeds/catalog/rss.xml", requested)
        headers = urlopen.call_args_list[0].args[0].headers
        self.assertEqual(headers.get("X-portal-purge"), "1")

    @override_settings(PORTAL_PURGE_BASE="http://127.0.0.1:9")
    def test_it_survives_an_unreachable_nginx(self) -> None:
        before = caching.content_version()
        caching.content_changed(["catalog:1"])  # port 9: connection refused, logged only
        self.assertGreater(caching.content_version(), before)


# --- end to end: nginx with the deploy config in front of Django's live server --------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def portal_nginx(live_server: Any, tmp_path: Path, settings: Any) -> Iterator[dict[str, Any]]:
    require_system("nginx", Path(NGINX).exists(), "apt-get install nginx (.ci/run installs it)")
    settings.PORTAL_PAGE_CACHE = True
    port = _free_port()
    conf = nginx_conf(
        tmp_path, upstream_port=urllib.parse.urlsplit(live_server.url).port or 80, port=port
    )
    if os.geteuid() == 0:  # else workers run as nobody and cannot write under tmp_path
        conf.write_text("user root;\n" + conf.read_text(encoding="utf-8"), encoding="utf-8")
    proc = subprocess.Popen(
        [NGINX, "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, tmp_path / "error.log")
        yield {"port": port, "log": tmp_path / "gongkai-visits.log"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _get(port: int, path: str, **headers: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, response.getheader("X-Cache-Status") or ""


def _log_lines(log: Path, n: int) -> list[str]:
    """The visit log once it has ``n`` lines (nginx flushes its buffer every second)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = log.read_text().splitlines() if log.exists() else []
        if len(lines) >= n:
            return lines
        time.sleep(0.1)
    return log.read_text().splitlines() if log.exists() else []


def test_it_counts_cached_item_views_once_through_the_visit_log(
    portal_nginx: dict[str, Any],
) -> None:
    from gongkai.agencies.models import Region
    from gongkai.test import make_agency

    cache.clear()
    visits.flush_visits()
    region = Region.objects.create(code="220500", name="通化市", level="city")
    item = make_item(make_agency("th-mzj", "通化市民政局", region))
    hidden = make_item(item.agency, status="draft", published_at=None)
    port, url = portal_nginx["port"], f"/xxgk/{item.pk}/"

    assert _get(port, url) == (200, "MISS")
    assert _get(port, url) == (200, "HIT")  # served by nginx: Django never saw it
    assert _get(port, url + "?from=rss")[0] == 200
    assert _get(port, url, **{"X-Portal-Purge": "1"})[0] == 200  # a purge is no visit
    assert _get(port, f"/xxgk/{hidden.pk}/")[0] == 404
    assert _get(port, f"/xxgk/{item.pk}/print/")[0] == 200
    # with a session cookie the cache is bypassed and Django counts (an anonymous applicant)
    assert _get(port, url, Cookie="sessionid=not-a-session")[0] == 200

    lines = _log_lines(portal_nginx["log"], 3)
    assert len(lines) == 3, lines
    assert all(line.split()[2:] == [str(item.pk), "200"] for line in lines), lines
    assert visits.pending_visits(item.pk) == 1  # only the session request reached the counter

    result = visits.ingest_visit_log(portal_nginx["log"])
    assert (result["visits"], result["malformed"]) == (3, 0)
    assert visits.ingest_visit_log(portal_nginx["log"])["visits"] == 0  # run twice: no change
    visits.flush_visits()
    assert CatalogItem.objects.get(pk=item.pk).visit_count == 4


class GuidePurgeTest(BaseTestCase):
    """A new guide version invalidates the portal's cached pages and purges nginx, like a
    catalog change does."""

    FIELDS = {
        "classification": "机构职能类",
        "arrangement": "按主题",
        "access_methods": "网站查阅",
        "office_name": "民政局办公室",
        "office_address": "通化市新华大街1号",
        "office_hours": "工作日 8:30-16:30",
        "office_phone": "0435-1234567",
    }

    def setUp(self) -> None:
        cache.clear()

    def save(self, **changes: str) -> None:
        from gongkai.publishing.services import guide_save

        with self.captureOnCommitCallbacks(execute=True):
            guide_save(agency=self.agency_a, by=self.lisi, fields={**self.FIELDS, **changes})

    def test_it_refreshes_the_cached_guide_page(self) -> None:
        self.save()
        url = f"/gkzn/{self.agency_a.code}/"
        self.assertContains(self.client.get(url), "0435-1234567")
        self.assertEqual(self.client.get(url)["X-Portal-Cache"], "hit")
        self.save(office_phone="0435-7654321")
        response = self.client.get(url)
        self.assertContains(response, "0435-7654321")
        self.assertContains(self.client.get("/gkzn/"), "第2版")

    @override_settings(PORTAL_PURGE_BASE="http://127.0.0.1:9")
    def test_it_asks_nginx_to_refresh_the_guide_pages(self) -> None:
        with mock.patch("urllib.request.urlopen") as urlopen:
            self.save()
        requested = {call.args[0].full_url for call in urlopen.call_args_list}
        base = "http://127.0.0.1:9"
        for path in ("/", f"/gkzn/{self.agency_a.code}/", "/gkzn/"):
            self.assertIn(base + path, requested)

    def test_it_invalidates_only_after_the_commit(self) -> None:
        from gongkai.publishing.services import guide_save

        before = caching.content_version()
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            guide_save(agency=self.agency_a, by=self.lisi, fields=self.FIELDS)
        self.assertEqual(caching.content_version(), before)
        for callback in callbacks:
            callback()
        self.assertGreater(caching.content_version(), before)
