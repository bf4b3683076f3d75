"""End to end through real TLS: Debian's nginx with deploy/nginx/pki-mtls.conf in front of
Django's live server, a throw-away CA, and client certificates presented by ``ssl``.

What it shows (issue 8, point 6): a valid certificate plus the password logs in; a revoked
one is refused by nginx (CRL) and, before any CRL refresh, by Django (database); no
certificate is refused on staff pages and allowed on the portal; forged headers are ignored.
"""

from __future__ import annotations

import datetime as dt
import html
import http.client
import ipaddress
import os
import re
import shutil
import socket
import ssl
import subprocess
import urllib.parse
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings as django_settings

from gongkai.lib.testing import require_system, wait_for_port
from gongkai.pki import ca as x509ca
from gongkai.test import PASSWORD

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEPLOY_CONF = Path(django_settings.BASE_DIR) / "deploy" / "nginx" / "pki-mtls.conf"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_tls(directory: Path) -> tuple[Path, Path]:
    """A self-signed server certificate for 127.0.0.1 (separate from the client CA)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "server.pem", directory / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Browser:
    """A tiny cookie-keeping HTTPS client over ``http.client`` with an optional client cert."""

    def __init__(self, port: int, server_cert: Path, client: tuple[Path, Path] | None) -> None:
        self.port = port
        self.ctx = ssl.create_default_context(cafile=str(server_cert))
        if client is not None:
            self.ctx.load_cert_chain(str(client[0]), str(client[1]))
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str, dict[str, str]]:
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.ctx, timeout=20)
        hdrs = dict(headers or {})
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
            for value in resp.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(value)
                for k, morsel in jar.items():
                    self.cookies[k] = morsel.value
            return resp.status, text, dict(resp.headers.items())
        finally:
            conn.close()

    def login(self, username: str) -> int:
        status, page, _ = self.request("GET", "/accounts/login/")
        assert status == 200, page[:500]
        m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert m is not None
        status, _, headers = self.request(
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": html.unescape(m.group(1)),
                "username": username,
                "password": PASSWORD,
            },
        )
        return status


@pytest.fixture
def nginx(pki_world: dict[str, Any], live_server: Any) -> Iterator[dict[str, Any]]:
    require_system(
        "nginx", os.path.exists(NGINX), "apt-get install nginx-light (.ci/run installs nginx)"
    )
    tmp: Path = pki_world["tmp"]
    prefix = tmp / "nginx"
    (prefix / "logs").mkdir(parents=True)
    server_cert, server_key = _server_tls(tmp)
    port = _free_port()
    upstream = urllib.parse.urlsplit(live_server.url)
    site = DEPLOY_CONF.read_text(encoding="utf-8")
    replacements = {
        "listen 443 ssl;": f"listen 127.0.0.1:{port} ssl;",
        "server 127.0.0.1:8080;": f"server 127.0.0.1:{upstream.port};",
        "/etc/gongkai/tls/server.pem": str(server_cert),
        "/etc/gongkai/tls/server.key": str(server_key),
        "/var/lib/gongkai/pki/public": str(tmp / "public"),
    }
    for old, new in replacements.items():
        assert old in site, f"deploy config no longer contains {old!r}"
        site = site.replace(old, new)
    (prefix / "site.conf").write_text(site, encoding="utf-8")
    temp_dirs = "\n".join(
        f"    {name}_temp_path {prefix / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (prefix / "nginx.conf").write_text(
        f"""user root;
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "logs" / "error.log"} info;
events {{ worker_connections 64; }}
http {{
    access_log off;
{temp_dirs}
    include {prefix / "site.conf"};
}}
""",
        encoding="utf-8",
    )
    check = subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, prefix / "logs" / "error.log")
        yield {"port": port, "server_cert": server_cert, **pki_world}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_it_logs_in_with_password_and_a_valid_certificate(nginx: dict[str, Any]) -> None:
    cert, files = nginx["lisi"]
    b = Browser(nginx["port"], nginx["server_cert"], files)
    assert b.login("lisi") == 302
    status, page, _ = b.request("GET", "/console/pki/certificates/")
    assert status == 200, page[:300]
    assert cert.serial[:10] in page
    from gongkai.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(action="pki.certificate.login").latest("id")
    assert entry.cert_serial == cert.serial


def test_it_refuses_a_revoked_certificate_at_the_tls_proxy(nginx: dict[str, Any]) -> None:
    _, files = nginx["wangwu"]
    b = Browser(nginx["port"], nginx["server_cert"], files)
    # with ssl_verify_client optional the handshake completes and nginx answers 400 itself
    status, page, _ = b.request("GET", "/")
    assert status == 400
    assert "数字证书无效" in page


def test_it_refuses_a_certificate_revoked_after_the_crl_was_loaded(nginx: dict[str, Any]) -> None:
    cert, files = nginx["lisi"]
    b = Browser(nginx["port"], nginx["server_cert"], files)
    assert b.login("lisi") == 302
    assert b.request("GET", "/console/pki/")[0] == 200
    # the database refuses it on the next request, although nginx still has the old CRL
    from gongkai.pki.models import Certificate

    Certificate.objects.filter(pk=cert.pk).update(status="revoked")
    status, page, _ = b.request("GET", "/console/pki/")
    assert status == 403
    assert "已被吊销" in page


def test_it_refuses_staff_pages_without_a_certificate_and_serves_the_portal(
    nginx: dict[str, Any],
) -> None:
    b = Browser(nginx["port"], nginx["server_cert"], None)
    assert b.request("GET", "/pki/crl.crl")[0] == 200
    assert b.request("GET", "/accounts/login/")[0] == 200
    assert b.login("lisi") == 302
    status, page, _ = b.request("GET", "/console/pki/")
    assert status == 403
    assert "未出示证书" in page


def test_it_ignores_forged_certificate_headers(nginx: dict[str, Any]) -> None:
    cert, _ = nginx["lisi"]
    b = Browser(nginx["port"], nginx["server_cert"], None)
    assert b.login("lisi") == 302
    forged = {
        "X-SSL-Client-Verify": "SUCCESS",
        "X-SSL-Client-Cert": urllib.parse.quote(x509ca.to_pem(cert.certificate())),
        "X_SSL_Client_Cert": urllib.parse.quote(x509ca.to_pem(cert.certificate())),
    }
    status, page, _ = b.request("GET", "/console/pki/", headers=forged)
    assert status == 403
    assert "未出示证书" in page
