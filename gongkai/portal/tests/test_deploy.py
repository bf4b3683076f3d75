"""The nginx cache configuration parses, and a content change asks nginx to refresh pages."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from unittest import mock

from django.test import override_settings

from gongkai.lib.testing import ROOT, require_system
from gongkai.portal import caching
from gongkai.search.tests.factories import make_item
from gongkai.test import BaseTestCase


class NginxConfigTest(BaseTestCase):
    def test_it_is_valid_nginx_syntax(self) -> None:
        require_system("nginx", shutil.which("nginx") is not None, "apt-get install nginx")
        tmp = Path(tempfile.mkdtemp(prefix="gk-nginx-"))
        conf = (Path(ROOT) / "deploy" / "nginx" / "portal-cache.conf").read_text(encoding="utf-8")
        conf = conf.replace("/var/cache/nginx/gongkai", str(tmp / "cache"))
        temp = " ".join(
            f"{k}_temp_path {tmp / k};"
            for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (tmp / "nginx.conf").write_text(
            f"pid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'};\nevents {{}}\nhttp {{\n{temp}\n{conf}\n}}\n",
            encoding="utf-8",
        )
        result = subprocess.run(
            ["nginx", "-t", "-c", str(tmp / "nginx.conf")], capture_output=True, text=True
        )
        shutil.rmtree(tmp, ignore_errors=True)
        self.assertEqual(result.returncode, 0, result.stderr)


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
