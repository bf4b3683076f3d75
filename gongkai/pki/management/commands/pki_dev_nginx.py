"""Development only (``make run-mtls``): the project's own nginx certificate layer
(deploy/nginx/pki-mtls.conf) on loopback, in front of ``runserver``, with the demo CA.

1. Refuses unless DEBUG is on — production runs nginx from deploy/ (deploy/pki.md).
2. Writes the CA's ``ca.pem``/``crl.pem`` (``publish_files``), a self-signed server
   certificate for 127.0.0.1 and an nginx prefix under ``var/nginx-dev/``, with the deploy
   file's listen address, upstream and paths replaced — nothing else of it changes.
3. With ``--with-runserver`` starts ``manage.py runserver`` on the upstream address
   (TRUSTED_PROXIES=127.0.0.1 so Django honours nginx's certificate headers), then nginx in
   the foreground; Ctrl-C stops both. Import the holder's ``.p12`` into the browser and open
   https://127.0.0.1:8443/console/.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

DEPLOY_CONF = Path(settings.BASE_DIR) / "deploy" / "nginx" / "pki-mtls.conf"


def server_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed TLS certificate for 127.0.0.1 (the browser will ask to accept it once)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    cert_path, key_path = directory / "server.pem", directory / "server.key"
    if cert_path.exists() and key_path.exists():
        return cert_path, key_path
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1（开发用）")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def write_config(prefix: Path, *, port: int, upstream_port: int, public_dir: Path) -> Path:
    """The nginx prefix for the deploy file on loopback; returns the main config file."""
    (prefix / "logs").mkdir(parents=True, exist_ok=True)
    server_cert, server_key = server_certificate(prefix)
    site = DEPLOY_CONF.read_text(encoding="utf-8")
    replacements = {
        "listen 443 ssl;": f"listen 127.0.0.1:{port} ssl;",
        "server 127.0.0.1:8080;": f"server 127.0.0.1:{upstream_port};",
        "/etc/gongkai/tls/server.pem": str(server_cert),
        "/etc/gongkai/tls/server.key": str(server_key),
        "/var/lib/gongkai/pki/public": str(public_dir),
    }
    for old, new in replacements.items():
        if old not in site:
            raise CommandError(f"deploy/nginx/pki-mtls.conf 已变化，找不到“{old}”，请更新本命令。")
        site = site.replace(old, new)
    (prefix / "site.conf").write_text(site, encoding="utf-8")
    temp_dirs = "\n".join(
        f"    {name}_temp_path {prefix / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    main = prefix / "nginx.conf"
    main.write_text(
        f"""{user}worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "logs" / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    access_log {prefix / "logs" / "access.log"};
{temp_dirs}
    include {prefix / "site.conf"};
}}
""",
        encoding="utf-8",
    )
    return main


class Command(BaseCommand):
    help = "开发环境：在本机 8443 端口启动项目自带的 nginx 证书登录配置（需 DEBUG=1）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8443, help="nginx 监听的本机端口")
        parser.add_argument("--upstream-port", type=int, default=8000, help="runserver 端口")
        parser.add_argument("--with-runserver", action="store_true", help="同时启动 runserver")
        parser.add_argument("--check", action="store_true", help="只生成并检查配置（nginx -t）")

    def handle(self, *args: Any, **options: Any) -> None:
        from gongkai.pki.models import CertificateAuthority
        from gongkai.pki.services.authority import publish_files

        if not settings.DEBUG:
            raise CommandError(
                "pki_dev_nginx 仅用于开发环境（DEBUG=1）；生产环境请按 deploy/pki.md 配置 nginx。"
            )
        nginx = shutil.which("nginx") or (
            "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
        )
        if nginx is None:
            raise CommandError("未找到 nginx：请先安装（apt-get install nginx-light）。")
        ca = CertificateAuthority.objects.filter(is_active=True).first()
        if ca is None:
            raise CommandError(
                "还没有证书颁发机构：请先运行 manage.py load_demo 或 pki_create_ca。"
            )
        publish_files(ca)
        public = Path(settings.PKI_PUBLISH_DIR)
        if not (public / "crl.pem").exists():
            raise CommandError("证书吊销列表尚未生成：请先运行 manage.py pki_refresh_crl --force。")
        prefix = Path(getattr(settings, "VAR_DIR", Path(settings.BASE_DIR) / "var")) / "nginx-dev"
        main = write_config(
            prefix, port=options["port"], upstream_port=options["upstream_port"], public_dir=public
        )
        check = subprocess.run(
            [nginx, "-t", "-p", str(prefix), "-c", str(main)], capture_output=True, text=True
        )
        if check.returncode != 0:
            raise CommandError(f"nginx 配置检查失败：{check.stderr.strip()}")
        if options["check"]:
            self.stdout.write(f"配置有效：{main}")
            return
        children: list[subprocess.Popen[bytes]] = []
        if options["with_runserver"]:
            env = {**os.environ, "DEBUG": "1", "TRUSTED_PROXIES": "127.0.0.1"}
            children.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "runserver",
                        f"127.0.0.1:{options['upstream_port']}",
                    ],
                    cwd=settings.BASE_DIR,
                    env=env,
                )
            )
        self.stdout.write(
            f"证书登录入口：https://127.0.0.1:{options['port']}/console/ （自签名服务器证书，首次访问请在浏览器中确认）\n"
            "把证书持有人签发时下载的 .p12 导入浏览器，用其用户名和密码登录；首次证书登录自动记为“登录测试”。\n"
            "Django 须设置 TRUSTED_PROXIES=127.0.0.1（--with-runserver 已设置）。按 Ctrl-C 停止。"
        )
        import signal

        def stop(_signum: int, _frame: Any) -> None:  # SIGTERM stops nginx and runserver too
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        proc = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(main), "-g", "daemon off;"])
        children.append(proc)
        try:
            proc.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
