"""Both nginx layers of deploy/nginx/ in front of Django's live server (issue 13, proxies).

client 127.0.0.2 ──TLS──▶ pki-mtls.conf ──▶ portal-cache.conf (127.0.0.1) ──▶ live server

With ``TRUSTED_PROXIES=127.0.0.1`` Django must see the client (127.0.0.2), not the TLS
layer, whatever the client puts in its own ``X-Forwarded-For``; the cache layer must pass the
TLS layer's ``X-Forwarded-Proto: https`` and certificate headers on, and must drop such
headers from anyone who reaches it directly.
"""

from __future__ import annotations

import html
import http.client
import os
import re
import socket
import ssl
import subprocess
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gongkai.lib.testing import require_system, wait_for_port
from gongkai.pki.tests.test_nginx_e2e import DEPLOY_CONF, NGINX, _server_tls
from gongkai.portal.tests.test_deploy import nginx_conf as cache_conf

CLIENT = "127.0.0.2"  # any 127/8 address reaches lo; this one is no trusted proxy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# One TLS port for the module: Django's CSRF middleware caches CSRF_TRUSTED_ORIGINS per process.
EDGE_PORT = _free_port()


def _start(conf: Path, prefix: Path, port: int, log: Path) -> subprocess.Popen:
    check = subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wait_for_port(port, log)
    return proc


@pytest.fixture
def chain(pki_world: dict[str, Any], live_server: Any, settings: Any) -> Iterator[dict[str, Any]]:
    require_system("nginx", os.path.exists(NGINX), "apt-get install nginx (.ci/run installs it)")
    tmp: Path = pki_world["tmp"]
    upstream = urllib.parse.urlsplit(live_server.url).port or 80
    # the cache layer, exactly deploy/nginx/portal-cache.conf
    cache_dir = tmp / "cache-layer"
    cache_dir.mkdir()
    cache_port = _free_port()
    cconf = cache_conf(cache_dir, upstream_port=upstream, port=cache_port)
    if os.geteuid() == 0:
        cconf.write_text("user root;\n" + cconf.read_text(encoding="utf-8"), encoding="utf-8")
    # the TLS layer, exactly deploy/nginx/pki-mtls.conf, pointing at the cache layer
    edge = tmp / "edge"
    (edge / "logs").mkdir(parents=True)
    server_cert, server_key = _server_tls(tmp)
    port = EDGE_PORT
    site = DEPLOY_CONF.read_text(encoding="utf-8")
    for old, new in {
        "listen 443 ssl;": f"listen 127.0.0.1:{port} ssl;",
        "server 127.0.0.1:8080;": f"server 127.0.0.1:{cache_port};",
        "/etc/gongkai/tls/server.pem": str(server_cert),
        "/etc/gongkai/tls/server.key": str(server_key),
        "/var/lib/gongkai/pki/public": str(tmp / "public"),
    }.items():
        assert old in site, f"deploy config no longer contains {old!r}"
        site = site.replace(old, new)
    (edge / "site.conf").write_text(site, encoding="utf-8")
    temp_dirs = "\n".join(
        f"    {n}_temp_path {edge / n};"
        for n in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (edge / "nginx.conf").write_text(
        f"user root;\nworker_processes 1;\npid {edge / 'nginx.pid'};\n"
        f"error_log {edge / 'logs' / 'error.log'} info;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n    access_log off;\n{temp_dirs}\n    include {edge / 'site.conf'};\n}}\n",
        encoding="utf-8",
    )
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.CSRF_TRUSTED_ORIGINS = [f"https://127.0.0.1:{port}"]
    procs = []
    try:
        procs.append(_start(cconf, cache_dir, cache_port, cache_dir / "error.log"))
        procs.append(_start(edge / "nginx.conf", edge, port, edge / "logs" / "error.log"))
        yield {"port": port, "cache_port": cache_port, "server_cert": server_cert, **pki_world}
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=10)


def _request(
    chain: dict[str, Any],
    method: str,
    path: str,
    *,
    body: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    client_cert: tuple[Path, Path] | None = None,
    direct: bool = False,
) -> tuple[int, str, http.client.HTTPResponse]:
    """One request from 127.0.0.2, through TLS + cache, or straight to the cache layer."""
    if direct:
        conn: http.client.HTTPConnection = http.client.HTTPConnection(
            "127.0.0.1", chain["cache_port"], timeout=20, source_address=(CLIENT, 0)
        )
    else:
        ctx = ssl.create_default_context(cafile=str(chain["server_cert"]))
        if client_cert is not None:
            ctx.load_cert_chain(str(client_cert[0]), str(client_cert[1]))
        conn = http.client.HTTPSConnection(
            "127.0.0.1", chain["port"], context=ctx, timeout=20, source_address=(CLIENT, 0)
        )
    hdrs = dict(headers or {})
    if cookies:
        hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        hdrs["Referer"] = f"https://127.0.0.1:{chain['port']}{path}"
    try:
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace"), resp
    finally:
        conn.close()


def _cookies(resp: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for value in resp.headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


def _login(chain: dict[str, Any], password: str, **kw: Any) -> tuple[int, dict[str, str]]:
    jar: dict[str, str] = {}
    status, page, resp = _request(chain, "GET", "/accounts/login/", **kw)
    assert status == 200, page[:300]
    _cookies(resp, jar)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    status, page, resp = _request(
        chain,
        "POST",
        "/accounts/login/",
        body={
            "csrfmiddlewaretoken": html.unescape(token.group(1)),
            "username": "lisi",
            "password": password,
        },
        cookies=jar,
        **kw,
    )
    _cookies(resp, jar)
    return status, jar


def test_django_sees_the_real_client_through_both_layers(chain: dict[str, Any]) -> None:
    from gongkai.audit.models import AuditEntry

    status, _ = _login(chain, "wrong", headers={"X-Forwarded-For": "6.6.6.6"})
    assert status == 400
    entry = AuditEntry.objects.filter(action="accounts.login.failed").latest("id")
    assert entry.ip == CLIENT  # not 127.0.0.1 (the TLS layer), not the forged 6.6.6.6


def test_the_https_scheme_survives_the_cache_layer(chain: dict[str, Any]) -> None:
    # The elder cookie is Secure exactly when Django sees https (request.is_secure()); had
    # the cache layer rewritten X-Forwarded-Proto to http, it would not be, and with
    # SECURE_SSL_REDIRECT every page would redirect to https for ever (issue 13).
    status, _, resp = _request(chain, "POST", "/elder/", body={"next": "/"})
    assert status == 302
    cookie = resp.getheader("Set-Cookie", "")
    assert cookie.startswith("elder=1"), cookie
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_certificate_login_works_through_both_layers(chain: dict[str, Any]) -> None:
    from gongkai.audit.models import AuditEntry
    from gongkai.test import PASSWORD

    cert, files = chain["lisi"]
    status, jar = _login(chain, PASSWORD, client_cert=files)
    assert status == 302
    status, page, _ = _request(
        chain, "GET", "/console/pki/certificates/", cookies=jar, client_cert=files
    )
    assert status == 200, page[:300]
    entry = AuditEntry.objects.filter(action="pki.certificate.login").latest("id")
    assert entry.cert_serial == cert.serial
    assert entry.ip == CLIENT


def test_the_cache_layer_drops_forwarded_headers_from_anyone_but_the_tls_layer(
    chain: dict[str, Any],
) -> None:
    from gongkai.audit.models import AuditEntry

    cert, _ = chain["lisi"]
    forged = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "6.6.6.6",
        "X-SSL-Client-Verify": "SUCCESS",
        "X-SSL-Client-Cert": "x",
    }
    status, _, resp = _request(
        chain, "POST", "/elder/", body={"next": "/"}, headers=forged, direct=True
    )
    assert status == 302
    assert "Secure" not in resp.getheader("Set-Cookie", "")  # forged https replaced by http
    # lisi must show a certificate; signed in without one, a forged certificate header sent
    # straight to the cache layer (which Django trusts as 127.0.0.1) must not count
    from gongkai.pki import ca as x509ca
    from gongkai.test import PASSWORD

    status, jar = _login(chain, PASSWORD)
    assert status == 302
    forged["X-SSL-Client-Cert"] = urllib.parse.quote(x509ca.to_pem(cert.certificate()))
    status, page, _ = _request(chain, "GET", "/console/pki/", cookies=jar, headers=forged)
    assert status == 403  # through the TLS layer: it replaces the headers
    status, page, _ = _request(
        chain, "GET", "/console/pki/", cookies=jar, headers=forged, direct=True
    )
    assert status == 403, page[:300]
    assert "未出示证书" in page
    # and the forged client address is not believed either
    conn = http.client.HTTPConnection(
        "127.0.0.1", chain["cache_port"], timeout=20, source_address=(CLIENT, 0)
    )
    conn.request("GET", "/healthz", headers={"X-Forwarded-For": "6.6.6.6"})
    conn.getresponse().read()
    conn.close()
    assert not AuditEntry.objects.filter(ip="6.6.6.6").exists()
