"""Issuing and revoking single certificates."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from cryptography import x509
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_log
from gongkai.pki import ca as x509ca
from gongkai.pki import conf
from gongkai.pki.models import (
    CertApplication,
    Certificate,
    CertificateStatus,
    RevocationReason,
)
from gongkai.pki.services.authority import _ca_key, active_ca, crl_generate
from gongkai.pki.services.common import PkiError


# --- issuance and revocation -------------------------------------------------------------
def _subject(application: CertApplication) -> x509.Name:
    return x509ca.client_name(
        common_name=application.person_name,
        unit=application.agency.name,
        organization=conf.organization(),
        uid=application.person.username,
    )


def user_urn(user: Any) -> str:
    """A stable, non-personal SAN for a user (``urn:uuid:``)."""
    base = str(getattr(settings, "SITE_URL", "gongkai")).rstrip("/")
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{base}/users/{user.pk}')}"


def _issue(
    *,
    application: CertApplication,
    public_key: x509ca.PublicKey,
    method: str,
    by: Any,
    now: dt.datetime,
) -> Certificate:
    """Sign one certificate for an approved application (inside the caller's transaction)."""
    problem = conf.crl_url_problem()
    if problem:
        raise PkiError(problem)
    ca = active_ca()
    key_hash = x509ca.public_key_sha256(public_key)
    if Certificate.objects.filter(public_key_sha256=key_hash).exists():
        raise PkiError("该公钥已用于签发其他证书，请在设备上重新生成密钥对后再提交 CSR。")
    if now > ca.not_after:
        raise PkiError("CA 证书已过期，不能签发新证书。")
    serial = x509ca.new_serial()
    while Certificate.objects.filter(ca=ca, serial=x509ca.serial_hex(serial)).exists():
        serial = x509ca.new_serial()  # pragma: no cover - 2^-100 chance
    cert = x509ca.build_client_certificate(
        ca_cert=ca.certificate(),
        ca_key=_ca_key(ca),
        public_key=public_key,
        subject=_subject(application),
        serial=serial,
        san_uri=user_urn(application.person),
        crl_url=conf.crl_url(),
        now=now,
        days=conf.cert_days(),
    )
    fp = x509ca.fingerprint(cert)
    row = Certificate.objects.create(
        ca=ca,
        user=application.person,
        agency=application.agency,
        application=application,
        serial=x509ca.serial_hex(serial),
        fingerprint_sha256=fp,
        public_key_sha256=key_hash,
        subject_dn=cert.subject.rfc4514_string(),
        key_algorithm=x509ca.key_algorithm(public_key),
        issue_method=method,
        der=x509ca.to_der(cert),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        issued_by=by,
        issued_at=now,
    )
    audit_log(
        "pki.certificate.issued",
        obj=row,
        actor=by,
        changes={
            "serial": [None, row.serial],
            "fingerprint_sha256": [None, fp],
            "not_after": [None, row.not_after],
        },
        message=f"签发证书 {row.subject_dn}（{row.get_issue_method_display()}），"
        f"DER={x509ca.to_der(cert).hex()}",
        agency_code=application.agency.code,
        now=now,
    )
    return row


def certificate_revoke(
    *,
    certificate: Certificate,
    reason: str,
    by: Any,
    now: dt.datetime | None = None,
) -> Certificate:
    """Revoke at once in the database (the login check sees it on the next request), then
    re-sign the CRL in the same transaction; the CRL file is written on commit."""
    now = now or timezone.now()
    if reason not in RevocationReason.values:
        raise PkiError("吊销原因无效。")
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if cert.status == CertificateStatus.REVOKED:
            raise PkiError("该证书已被吊销。")
        cert.status = CertificateStatus.REVOKED
        cert.revoked_at = now
        cert.revocation_reason = reason
        cert.revoked_by = by
        cert.save(update_fields=["status", "revoked_at", "revocation_reason", "revoked_by"])
        audit_log(
            "pki.certificate.revoked",
            obj=cert,
            actor=by,
            changes={"status": ["active", "revoked"], "revocation_reason": ["", reason]},
            message=f"吊销证书 {cert.serial}，原因：{RevocationReason(reason).label}",
            now=now,
        )
        crl_generate(ca=cert.ca, by=by, now=now)
    certificate.refresh_from_db()
    return cert
