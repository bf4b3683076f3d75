"""Settings of the pki app, each read with ``getattr`` and a default (see deploy/pki.md).

* ``PKI_CA_KEY_PASSPHRASE`` / ``PKI_CA_KEY_PASSPHRASE_FILE`` (also read from the environment):
  the passphrase that encrypts the CA key at rest. Without one, a development install
  (``HTTPS`` off, or ``PKI_DEV_PASSPHRASE=True``) derives one from ``SECRET_KEY``; production
  refuses to start the CA.
* ``PKI_CA_DIR`` (default ``var/pki/private``): where the encrypted CA key file lives.
* ``PKI_PUBLISH_DIR`` (default ``var/pki/public``): ``ca.pem`` and ``crl.pem`` for nginx.
* ``PKI_KEY_ALGORITHM``: ``"ecdsa-p256"`` (default) or ``"rsa-2048"``.
* ``PKI_CERT_DAYS`` (365), ``PKI_CA_DAYS`` (3650), ``PKI_CRL_VALIDITY_HOURS`` (48),
  ``PKI_CRL_REFRESH_HOURS`` (6), ``PKI_CRL_ALERT_HOURS`` (24), ``PKI_EXPIRY_WARN_DAYS`` (30).
* ``PKI_CRL_URL``: the CRL distribution point written into certificates
  (default ``SITE_URL + "/pki/crl.crl"``).
* ``PKI_CRL_RELOAD_COMMAND``: argv run after a new CRL is written (e.g. reload nginx).
* ``PKI_CERT_REQUIRED_ROLES``: membership roles or admin roles that must present a valid
  certificate on staff pages (default: none).
* ``PKI_PROTECTED_PREFIXES``: the staff paths the requirement applies to.
* ``PKI_CERT_HEADER`` / ``PKI_VERIFY_HEADER``: the META names of the proxy's headers.
* ``PKI_ORGANIZATION``: the O= of issued certificates.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Any

from django.conf import settings


class ConfigError(Exception):
    pass


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def passphrase() -> str:
    """The CA key passphrase: setting, secret file, environment; dev fallback; else error."""
    value = str(
        _setting("PKI_CA_KEY_PASSPHRASE", "") or os.environ.get("PKI_CA_KEY_PASSPHRASE", "")
    )
    if value:
        return value
    path = str(
        _setting("PKI_CA_KEY_PASSPHRASE_FILE", "")
        or os.environ.get("PKI_CA_KEY_PASSPHRASE_FILE", "")
    )
    if path:
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"无法读取 CA 私钥口令文件 {path}。") from exc
        if value:
            return value
        raise ConfigError(f"CA 私钥口令文件 {path} 为空。")
    if _setting("PKI_DEV_PASSPHRASE", not getattr(settings, "HTTPS", False)):
        return hmac.new(
            settings.SECRET_KEY.encode("utf-8"), b"gongkai-pki-ca-passphrase", hashlib.sha256
        ).hexdigest()
    raise ConfigError(
        "未配置 CA 私钥口令：请设置环境变量 PKI_CA_KEY_PASSPHRASE 或 PKI_CA_KEY_PASSPHRASE_FILE。"
    )


def passphrase_file() -> Path | None:
    path = str(
        _setting("PKI_CA_KEY_PASSPHRASE_FILE", "")
        or os.environ.get("PKI_CA_KEY_PASSPHRASE_FILE", "")
    )
    return Path(path).resolve() if path else None


def ca_dir() -> Path:
    return Path(str(_setting("PKI_CA_DIR", Path(settings.VAR_DIR) / "pki" / "private")))


def publish_dir() -> Path:
    return Path(str(_setting("PKI_PUBLISH_DIR", Path(settings.VAR_DIR) / "pki" / "public")))


def key_algorithm() -> str:
    return str(_setting("PKI_KEY_ALGORITHM", "ecdsa-p256"))


def cert_days() -> int:
    return int(_setting("PKI_CERT_DAYS", 365))


def ca_days() -> int:
    return int(_setting("PKI_CA_DAYS", 3650))


def crl_validity_hours() -> int:
    return int(_setting("PKI_CRL_VALIDITY_HOURS", 48))


def crl_refresh_hours() -> int:
    return int(_setting("PKI_CRL_REFRESH_HOURS", 6))


def crl_alert_hours() -> int:
    return int(_setting("PKI_CRL_ALERT_HOURS", 24))


def expiry_warn_days() -> int:
    return int(_setting("PKI_EXPIRY_WARN_DAYS", 30))


def crl_url() -> str:
    default = str(getattr(settings, "SITE_URL", "")).rstrip("/") + "/pki/crl.crl"
    return str(_setting("PKI_CRL_URL", "") or default)


def crl_url_problem() -> str:
    """Why no certificate may be issued with today's CRL address, or ``""``.

    In production (``HTTPS=1``, ``DEBUG=0``) a certificate whose CRL distribution point is the
    development default ``http://127.0.0.1:8000/pki/crl.crl`` (or any loopback/localhost
    address) could never be checked by anyone else, for its whole lifetime (issue 13).
    """
    import ipaddress
    import urllib.parse

    if settings.DEBUG or not getattr(settings, "HTTPS", False):
        return ""
    host = urllib.parse.urlsplit(crl_url()).hostname or ""
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = host in {"", "localhost"} or host.endswith(".localhost")
    if local:
        return (
            f"证书吊销列表地址 {crl_url()} 不是对外可访问的地址，不能签发证书。"
            "请系统管理员设置 SITE_URL（或 PKI_CRL_URL）为本平台的正式网址。"
        )
    return ""


def crl_reload_command() -> list[str]:
    return list(_setting("PKI_CRL_RELOAD_COMMAND", []) or [])


def required_roles() -> set[str]:
    return {str(r) for r in _setting("PKI_CERT_REQUIRED_ROLES", []) or []}


def protected_prefixes() -> tuple[str, ...]:
    value: Any = _setting("PKI_PROTECTED_PREFIXES", ("/console/", "/accounts/users/", "/admin/"))
    return tuple(str(p) for p in value)


def cert_header() -> str:
    return str(_setting("PKI_CERT_HEADER", "HTTP_X_SSL_CLIENT_CERT"))


def verify_header() -> str:
    return str(_setting("PKI_VERIFY_HEADER", "HTTP_X_SSL_CLIENT_VERIFY"))


def organization() -> str:
    return str(_setting("PKI_ORGANIZATION", "政务公开平台"))


def ca_common_name() -> str:
    return str(_setting("PKI_CA_COMMON_NAME", "政务公开平台客户端证书 CA G1"))
