"""The embedded CA and its CRL: creating the CA, its key and files; generating the CRL."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_log
from gongkai.pki import ca as x509ca
from gongkai.pki import conf
from gongkai.pki.models import (
    REASON_FLAGS,
    Certificate,
    CertificateAuthority,
    CertificateStatus,
    RevocationReason,
)
from gongkai.pki.services.common import PkiError


# --- the CA ------------------------------------------------------------------------------
def active_ca() -> CertificateAuthority:
    ca = CertificateAuthority.objects.filter(is_active=True).first()
    if ca is None:
        raise PkiError("尚未创建证书颁发机构（CA）：请运行 manage.py pki_create_ca。")
    return ca


def _passphrase() -> str:
    try:
        return conf.passphrase()
    except conf.ConfigError as exc:
        raise PkiError(str(exc)) from exc


def _write_private(path: Path, data: bytes) -> None:
    """Write a secret file atomically with mode 0600 in a 0700 directory."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_public(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def ca_create(
    *,
    by: Any = None,
    name: str = "",
    algorithm: str | None = None,
    days: int | None = None,
    now: dt.datetime | None = None,
) -> CertificateAuthority:
    """Create the platform CA (management command ``pki_create_ca``).

    1. Refuse when an active CA exists, or when the passphrase file sits in the key directory.
    2. Generate the key (``PKI_KEY_ALGORITHM``) and the self-signed CA certificate.
    3. Write the key as encrypted PKCS#8 (mode 0600) under ``PKI_CA_DIR``; the database gets
       the certificate and the key file's path, never the key or its passphrase.
    4. Record the CA, audit it, and sign the first (empty) CRL.
    """
    now = now or timezone.now()
    if CertificateAuthority.objects.filter(is_active=True).exists():
        raise PkiError("已存在启用的证书颁发机构（CA），不能重复创建。")
    algorithm = algorithm or conf.key_algorithm()
    passphrase = _passphrase()
    key_dir = conf.ca_dir().resolve()
    pass_file = conf.passphrase_file()
    if pass_file is not None and pass_file.parent == key_dir:
        raise PkiError("CA 私钥口令文件不得与私钥存放在同一目录。")
    try:
        key = x509ca.generate_key(algorithm)
    except x509ca.CaError as exc:
        raise PkiError(str(exc)) from exc
    name = name or conf.ca_common_name()
    cert = x509ca.build_ca_certificate(
        key=key,
        name=x509ca.ca_name(name, conf.organization()),
        now=now,
        days=days or conf.ca_days(),
    )
    fp = x509ca.fingerprint(cert)
    key_path = key_dir / f"ca-{fp[:16]}.key.pem"
    _write_private(key_path, x509ca.encrypt_private_key(key, passphrase))
    with transaction.atomic():
        ca = CertificateAuthority.objects.create(
            name=name,
            subject_dn=cert.subject.rfc4514_string(),
            key_algorithm=algorithm,
            certificate_pem=x509ca.to_pem(cert),
            key_file=str(key_path),
            fingerprint_sha256=fp,
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            created_at=now,
        )
        audit_log(
            "pki.ca.created",
            obj=ca,
            actor=by,
            changes={"fingerprint_sha256": [None, fp], "key_algorithm": [None, algorithm]},
            message=f"创建证书颁发机构 {cert.subject.rfc4514_string()}",
            now=now,
        )
        crl_generate(ca=ca, by=by, now=now)
    return ca


def _ca_key(ca: CertificateAuthority) -> x509ca.PrivateKey:
    try:
        pem = Path(ca.key_file).read_bytes()
    except OSError as exc:
        raise PkiError(f"无法读取 CA 私钥文件（{ca.key_file}）。") from exc
    try:
        return x509ca.load_private_key(pem, _passphrase())
    except x509ca.CaError as exc:
        raise PkiError(str(exc)) from exc


# --- the CRL -----------------------------------------------------------------------------
def publish_files(ca: CertificateAuthority) -> None:
    """Write ``ca.pem`` and ``crl.pem`` for nginx atomically, then run the reload command."""
    out = conf.publish_dir()
    _write_public(out / "ca.pem", ca.certificate_pem.encode("ascii"))
    if ca.crl_pem:
        _write_public(out / "crl.pem", ca.crl_pem.encode("ascii"))
    command = conf.crl_reload_command()
    if command:
        subprocess.run(command, check=False, timeout=30)  # noqa: S603 - argv from settings


def crl_generate(
    *, ca: CertificateAuthority | None = None, by: Any = None, now: dt.datetime | None = None
) -> CertificateAuthority:
    """Sign a new CRL (CRLNumber + 1) listing every revoked, unexpired certificate."""
    now = now or timezone.now()
    ca = ca or active_ca()
    key = _ca_key(ca)
    with transaction.atomic():
        locked = CertificateAuthority.objects.select_for_update().get(pk=ca.pk)
        revoked = [
            x509ca.RevokedEntry(
                serial=int(c.serial, 16),
                revoked_at=c.revoked_at or now,
                reason=REASON_FLAGS[RevocationReason(c.revocation_reason or "unspecified")],
            )
            for c in Certificate.objects.filter(
                ca=locked, status=CertificateStatus.REVOKED, not_after__gte=now
            ).order_by("revoked_at", "pk")
        ]
        number = locked.crl_number + 1
        next_update = now + dt.timedelta(hours=conf.crl_validity_hours())
        crl = x509ca.build_crl(
            ca_cert=locked.certificate(),
            ca_key=key,
            revoked=revoked,
            number=number,
            now=now,
            next_update=next_update,
        )
        locked.crl_number = number
        locked.crl_pem = x509ca.crl_to_pem(crl)
        locked.crl_last_update = now
        locked.crl_next_update = next_update
        locked.save(update_fields=["crl_number", "crl_pem", "crl_last_update", "crl_next_update"])
        audit_log(
            "pki.crl.generated",
            obj=locked,
            actor=by,
            changes={"crl_number": [number - 1, number]},
            message=f"签发 CRL 第 {number} 号，列入 {len(revoked)} 张已吊销证书，"
            f"下次更新 {timezone.localtime(next_update):%Y-%m-%d %H:%M}",
            now=now,
        )
        transaction.on_commit(lambda: publish_files(locked))
    return locked


def crl_is_due(ca: CertificateAuthority, now: dt.datetime | None = None) -> bool:
    """Due when none exists, when it is older than ``PKI_CRL_REFRESH_HOURS``, or when its
    nextUpdate is closer than ``PKI_CRL_ALERT_HOURS`` (well before it expires)."""
    now = now or timezone.now()
    if not ca.crl_pem or ca.crl_last_update is None or ca.crl_next_update is None:
        return True
    if now - ca.crl_last_update >= dt.timedelta(hours=conf.crl_refresh_hours()):
        return True
    return ca.crl_next_update - now <= dt.timedelta(hours=conf.crl_alert_hours())


def crl_refresh(
    *, force: bool = False, dry_run: bool = False, now: dt.datetime | None = None
) -> bool:
    """The periodic job (idempotent): re-sign the CRL when due. Returns whether it did."""
    ca = CertificateAuthority.objects.filter(is_active=True).first()
    if ca is None or not (force or crl_is_due(ca, now)):
        return False
    if not dry_run:
        crl_generate(ca=ca, now=now)
    return True
