"""``make run-mtls`` (manage.py pki_dev_nginx): the deploy nginx file on loopback, development
only, checked by nginx itself."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import override_settings

from gongkai.lib.testing import require_system
from gongkai.pki.tests.helpers import PkiTestCase


class DevNginxTest(PkiTestCase):
    def test_it_refuses_outside_development(self) -> None:
        with (
            override_settings(DEBUG=False),
            self.assertRaisesMessage(CommandError, "仅用于开发环境"),
        ):
            call_command("pki_dev_nginx", "--check")

    def test_it_writes_a_config_nginx_accepts_from_the_deploy_file(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        require_system("nginx", Path(nginx).exists(), "apt-get install nginx-light")
        out = StringIO()
        with override_settings(DEBUG=True, VAR_DIR=Path(self.tmp)):
            call_command("pki_dev_nginx", "--check", "--port", "8443", stdout=out)
        self.assertIn("配置有效", out.getvalue())
        site = (Path(self.tmp) / "nginx-dev" / "site.conf").read_text(encoding="utf-8")
        self.assertIn("listen 127.0.0.1:8443 ssl;", site)
        self.assertIn("ssl_verify_client      optional;", site)
        self.assertIn(f"{self.tmp}/public/ca.pem", site)
        self.assertTrue((Path(self.tmp) / "public" / "crl.pem").exists())
