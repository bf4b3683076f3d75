"""Writes of the pki app: the CA, issuance, revocation, the CRL and the certificate workflows.

Every transition has the house shape: guard → ``PkiError`` with a Chinese message →
``transaction.atomic`` + ``select_for_update`` → ``save(update_fields=…)`` → ``audit_log`` →
irreversible work (writing the CRL file for nginx, reloading it) in ``on_commit``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

from cryptography import x509
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.audit.services import audit_log
from gongkai.numbering.services import counter_next
from gongkai.pki import ca as x509ca
from gongkai.pki import conf
from gongkai.pki.models import (
    REASON_FLAGS,
    CertApplication,
    Certificate,
    CertificateAuthority,
    CertificateStatus,
    IssueMethod,
    Kind,
    RevocationReason,
    Status,
    Step,
)


class PkiError(Exception):
    """A refused PKI operation; the message is shown to the user as is."""


# --- the workflows as data ---------------------------------------------------------------
NEW_FLOW: list[str] = [
    Status.SUBMITTED,
    Status.DEPT_APPROVED,
    Status.GUIDANCE_REVIEWED,
    Status.ISSUED,
    Status.NETWORK_REVIEWED,
    Status.DEPT_CHECKED,
    Status.LOGIN_TESTED,
    Status.HANDED_OVER,
    Status.ARCHIVED,
]
FLOWS: dict[tuple[str, bool], list[str]] = {
    (Kind.NEW, False): NEW_FLOW,
    (Kind.REPLACE, False): NEW_FLOW,
    (Kind.REVOKE, False): [
        Status.SUBMITTED,
        Status.DEPT_APPROVED,
        Status.GUIDANCE_REVIEWED,
        Status.REVOKED,
        Status.ARCHIVED,
    ],
    # emergency (keyCompromise): 网管科 revokes first, the approvals are recorded afterwards
    (Kind.REVOKE, True): [
        Status.REVOKED,
        Status.DEPT_APPROVED,
        Status.GUIDANCE_REVIEWED,
        Status.ARCHIVED,
    ],
}
DEPT_ROLES = frozenset(
    {Role.CLERK, Role.PROOFREADER, Role.APPROVER, Role.DEPT_HEAD, Role.OFFICE_HEAD, Role.HANDLER}
)
STEP_ROLES: dict[str, frozenset[str]] = {
    Status.DEPT_APPROVED: frozenset({Role.APPROVER, Role.DEPT_HEAD}),
    Status.GUIDANCE_REVIEWED: frozenset({Role.GUIDANCE}),
    Status.ISSUED: frozenset({Role.NETWORK}),
    Status.NETWORK_REVIEWED: frozenset({Role.NETWORK}),
    Status.DEPT_CHECKED: frozenset({Role.DEPT_HEAD}),
    Status.HANDED_OVER: frozenset({Role.DEPT_HEAD}),
    Status.REVOKED: frozenset({Role.NETWORK}),
    Status.ARCHIVED: frozenset({Role.GUIDANCE, Role.NETWORK}),
}
# Steps done through their own service (not the generic "advance").
SPECIAL_STEPS = frozenset({Status.ISSUED, Status.REVOKED, Status.LOGIN_TESTED})
# Steps that the certificate holder may not do on their own application.
NOT_BY_PERSON = frozenset(
    {Status.DEPT_APPROVED, Status.GUIDANCE_REVIEWED, Status.ISSUED, Status.NETWORK_REVIEWED}
)
# Steps at which an application may be sent back (rejected).
REJECTABLE = frozenset(
    {Status.SUBMITTED, Status.DEPT_APPROVED, Status.GUIDANCE_REVIEWED, Status.ISSUED}
)
SCAN_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def flow_of(application: CertApplication) -> list[str]:
    return FLOWS[(application.kind, application.emergency)]


def next_status(application: CertApplication) -> str | None:
    """The step that comes after the application's current one (``None`` when finished)."""
    flow = flow_of(application)
    if application.status not in flow:
        return None
    i = flow.index(application.status)
    return flow[i + 1] if i + 1 < len(flow) else None


def step_roles_for(user: Any, application: CertApplication, status: str) -> set[str]:
    """The roles by which ``user`` may do ``status`` on the application (empty: may not)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return user.roles_in(application.agency_id) & STEP_ROLES.get(status, frozenset())


def can_do_next(user: Any, application: CertApplication) -> bool:
    nxt = next_status(application)
    if nxt is None or nxt == Status.LOGIN_TESTED:
        return False
    if nxt in NOT_BY_PERSON and application.person_id == user.pk:
        return False
    if nxt == Status.NETWORK_REVIEWED and _issuer_id(application) == user.pk:
        return False
    return bool(step_roles_for(user, application, nxt))


def _issuer_id(application: CertApplication) -> int | None:
    return application.steps.filter(status=Status.ISSUED).values_list("actor_id", flat=True).first()


def can_reject(user: Any, application: CertApplication) -> bool:
    if application.status not in REJECTABLE or application.emergency:
        return False
    if application.status == Status.ISSUED and _issuer_id(application) == user.pk:
        return False
    nxt = next_status(application)
    return nxt is not None and bool(step_roles_for(user, application, nxt))


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
            "pki.ca_created",
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
            "pki.crl_generated",
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
        "pki.certificate_issued",
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
            "pki.certificate_revoked",
            obj=cert,
            actor=by,
            changes={"status": ["active", "revoked"], "revocation_reason": ["", reason]},
            message=f"吊销证书 {cert.serial}，原因：{RevocationReason(reason).label}",
            now=now,
        )
        crl_generate(ca=cert.ca, by=by, now=now)
    certificate.refresh_from_db()
    return cert


# --- the application workflow ------------------------------------------------------------
def _check_password_strength(password: str, username: str) -> None:
    classes = sum(
        bool(re.search(p, password)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]")
    )
    if len(password) < 12 or classes < 3:
        raise PkiError(
            "PKCS#12 口令过于简单：至少 12 位，且包含大写字母、小写字母、数字、符号中的至少三类。"
        )
    if username and username.lower() in password.lower():
        raise PkiError("PKCS#12 口令不得包含持有人的用户名。")


def cert_application_submit(
    *,
    agency: Any,
    person: Any,
    by: Any,
    kind: str = Kind.NEW,
    position: str = "",
    phone: str = "",
    reason: str = "",
    old_certificate: Certificate | None = None,
    now: dt.datetime | None = None,
) -> CertApplication:
    """The department submits the registration form (《录入人员详细信息登记》)."""
    now = now or timezone.now()
    if kind not in Kind.values:
        raise PkiError("申请类型无效。")
    if not (by.roles_in(agency.pk) & DEPT_ROLES):
        raise PkiError("只有本部门工作人员可以提交证书登记表。")
    if not person.memberships.filter(agency=agency).exists():
        raise PkiError(f"{person} 不是{agency.name}的工作人员，不能为其申请证书。")
    if kind == Kind.NEW:
        if old_certificate is not None:
            raise PkiError("新办证书不应指定原证书；更换证书请选择“更换证书”。")
        if (
            CertApplication.objects.open()
            .filter(person=person, agency=agency, kind__in=[Kind.NEW, Kind.REPLACE])
            .exists()
        ):
            raise PkiError(f"{person} 已有一份正在办理的证书申请。")
    else:
        if old_certificate is None:
            raise PkiError("请选择要吊销或更换的原证书。")
        if old_certificate.user_id != person.pk or old_certificate.agency_id != agency.pk:
            raise PkiError("所选原证书不属于该工作人员。")
        if old_certificate.status == CertificateStatus.REVOKED:
            raise PkiError("所选原证书已被吊销。")
        if CertApplication.objects.open().filter(old_certificate=old_certificate).exists():
            raise PkiError("所选原证书已有一份正在办理的吊销或更换申请。")
    with transaction.atomic():
        n = counter_next(scope="pki-application", period=str(now.year))
        app = CertApplication.objects.create(
            number=f"证申〔{now.year}〕{n}号",
            kind=kind,
            agency=agency,
            person=person,
            person_name=person.display_name or person.username,
            position=position,
            phone=phone,
            reason=reason,
            old_certificate=old_certificate,
            created_by=by,
            created_at=now,
            updated_at=now,
        )
        Step.objects.create(
            application=app,
            status=Status.SUBMITTED,
            actor=by,
            role=",".join(sorted(by.roles_in(agency.pk) & DEPT_ROLES)),
            created_at=now,
        )
        audit_log(
            "pki.application_submitted",
            obj=app,
            actor=by,
            changes={"status": [None, Status.SUBMITTED]},
            agency_code=agency.code,
            now=now,
        )
    return app


def _lock_for_step(
    application: CertApplication, by: Any, to_status: str
) -> tuple[CertApplication, set[str]]:
    """Lock the application and check that ``to_status`` is its next step and ``by`` may do it."""
    app = (
        CertApplication.objects.select_for_update().select_related("agency").get(pk=application.pk)
    )
    if not app.is_open:
        raise PkiError(f"该申请单已{app.get_status_display()}，不能再办理。")
    expected = next_status(app)
    if expected != to_status:
        expected_label = Status(expected).label if expected else "无"
        raise PkiError(
            f"步骤顺序不对：当前为“{app.get_status_display()}”，下一步应为“{expected_label}”。"
        )
    roles = step_roles_for(by, app, to_status)
    if not roles:
        raise PkiError(f"您无权办理“{Status(to_status).label}”这一步。")
    if to_status in NOT_BY_PERSON and app.person_id == by.pk:
        raise PkiError("证书持有人不能审核或签发自己的证书申请。")
    return app, roles


def _record_step(
    app: CertApplication,
    *,
    to_status: str,
    by: Any,
    roles: set[str],
    now: dt.datetime,
    comment: str = "",
    attachment_sha256: str = "",
    automatic: bool = False,
    extra_fields: tuple[str, ...] = (),
) -> None:
    old = app.status
    app.status = to_status
    app.updated_at = now
    app.save(update_fields=["status", "updated_at", *extra_fields])
    Step.objects.create(
        application=app,
        status=to_status,
        actor=by,
        role=",".join(sorted(roles)),
        comment=comment[:300],
        attachment_sha256=attachment_sha256,
        automatic=automatic,
        created_at=now,
    )
    audit_log(
        "pki.application_step",
        obj=app,
        actor=by,
        changes={"status": [old, to_status]},
        message=comment[:300]
        + (f"（附件 SHA-256 {attachment_sha256}）" if attachment_sha256 else ""),
        agency_code=app.agency.code,
        now=now,
    )


def _scan_digest(scan: Any) -> tuple[str, str]:
    import filetype

    if scan is None:
        raise PkiError("请上传部门领导签字并加盖公章的登记表扫描件（PDF、JPG 或 PNG）。")
    limit = int(getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
    if scan.size > limit:
        raise PkiError(f"扫描件过大（上限 {limit // (1024 * 1024)} MB）。")
    data = b"".join(scan.chunks())
    kind = filetype.guess(data)
    if kind is None or kind.mime not in SCAN_TYPES:
        raise PkiError("扫描件格式不正确：只接受 PDF、JPG 或 PNG 文件。")
    return hashlib.sha256(data).hexdigest(), str(getattr(scan, "name", ""))[:200]


def cert_application_advance(
    *,
    application: CertApplication,
    by: Any,
    to_status: str,
    comment: str = "",
    scan: Any = None,
    now: dt.datetime | None = None,
) -> CertApplication:
    """Do one approval step of the flow: 审核盖章, 指导科审核, 网管科复核, 部门负责人校对,
    签收, 备案 (and their post-hoc counterparts after an emergency revocation).

    Issuance, revocation and the login test have their own services.
    """
    now = now or timezone.now()
    if to_status in SPECIAL_STEPS:
        raise PkiError(f"“{Status(to_status).label}”不能在此办理。")
    digest, scan_name = ("", "")
    if to_status == Status.DEPT_APPROVED:
        digest, scan_name = _scan_digest(scan)
    with transaction.atomic():
        app, roles = _lock_for_step(application, by, to_status)
        extra: tuple[str, ...] = ()
        if to_status == Status.DEPT_APPROVED:
            app.scan_sha256, app.scan_name = digest, scan_name
            extra = ("scan_sha256", "scan_name")
        if to_status == Status.NETWORK_REVIEWED and _issuer_id(app) == by.pk:
            raise PkiError("复核须由制证人以外的另一名网管科人员办理（双人复核）。")
        _record_step(
            app,
            to_status=to_status,
            by=by,
            roles=roles,
            now=now,
            comment=comment,
            attachment_sha256=digest,
            extra_fields=extra,
        )
        if to_status == Status.HANDED_OVER and app.kind == Kind.REPLACE and app.old_certificate:
            old = app.old_certificate
            if old.status != CertificateStatus.REVOKED:
                certificate_revoke(
                    certificate=old, reason=RevocationReason.SUPERSEDED, by=by, now=now
                )
    application.refresh_from_db()
    return app


def cert_application_reject(
    *, application: CertApplication, by: Any, comment: str, now: dt.datetime | None = None
) -> CertApplication:
    """Send the application back; the flow ends. A certificate issued but refused at the
    network review is revoked (cessationOfOperation)."""
    now = now or timezone.now()
    comment = comment.strip()
    if not comment:
        raise PkiError("退回时请填写退回理由。")
    with transaction.atomic():
        app = (
            CertApplication.objects.select_for_update()
            .select_related("agency")
            .get(pk=application.pk)
        )
        if app.status not in REJECTABLE or app.emergency:
            raise PkiError(f"申请单处于“{app.get_status_display()}”，不能退回。")
        nxt = next_status(app)
        roles = step_roles_for(by, app, nxt) if nxt else set()
        if not roles:
            raise PkiError("您无权退回该申请单。")
        if app.status == Status.ISSUED and app.certificate_id:
            if _issuer_id(app) == by.pk:
                raise PkiError("复核须由制证人以外的另一名网管科人员办理（双人复核）。")
            certificate_revoke(
                certificate=app.certificate,
                reason=RevocationReason.CESSATION_OF_OPERATION,
                by=by,
                now=now,
            )
        _record_step(app, to_status=Status.REJECTED, by=by, roles=roles, now=now, comment=comment)
    application.refresh_from_db()
    return app


def cert_application_issue(
    *,
    application: CertApplication,
    by: Any,
    csr: bytes | str | None = None,
    pkcs12_password: str | None = None,
    legacy: bool = False,
    now: dt.datetime | None = None,
) -> tuple[Certificate, bytes | None]:
    """网管科 registers the person and makes the certificate (登记制证).

    Either from the user's CSR (proof of possession checked; only the public key is used)
    or by generating a key and returning a password-protected PKCS#12 once; the key then
    exists only in the returned bytes, the server keeps no copy.
    """
    now = now or timezone.now()
    if (csr is None) == (pkcs12_password is None):
        raise PkiError("请选择一种签发方式：上传 CSR，或设置 PKCS#12 口令。")
    key = None
    if csr is not None:
        try:
            public_key = x509ca.parse_csr(csr).public_key()
        except x509ca.CaError as exc:
            raise PkiError(str(exc)) from exc
        method = IssueMethod.CSR
    else:
        _check_password_strength(pkcs12_password or "", application.person.username)
        try:
            key = x509ca.generate_key(conf.key_algorithm())
        except x509ca.CaError as exc:
            raise PkiError(str(exc)) from exc
        public_key = key.public_key()
        method = IssueMethod.PKCS12
    with transaction.atomic():
        app, roles = _lock_for_step(application, by, Status.ISSUED)
        cert = _issue(application=app, public_key=public_key, method=method, by=by, now=now)  # type: ignore[arg-type]
        app.certificate = cert
        _record_step(
            app,
            to_status=Status.ISSUED,
            by=by,
            roles=roles,
            now=now,
            comment=f"签发证书 {cert.serial}（{cert.get_issue_method_display()}）",
            extra_fields=("certificate",),
        )
    p12 = None
    if key is not None:
        ca = cert.ca
        p12 = x509ca.make_pkcs12(
            friendly_name=app.person.username,
            key=key,
            cert=cert.certificate(),
            ca_cert=ca.certificate(),
            password=pkcs12_password or "",
            legacy=legacy,
        )
        del key
    application.refresh_from_db()
    return cert, p12


def cert_application_revoke(
    *,
    application: CertApplication,
    by: Any,
    reason: str = RevocationReason.AFFILIATION_CHANGED,
    comment: str = "",
    now: dt.datetime | None = None,
) -> CertApplication:
    """网管科 revokes the certificate of an approved REVOKE application."""
    now = now or timezone.now()
    if reason not in RevocationReason.values or reason == RevocationReason.SUPERSEDED:
        raise PkiError("吊销原因无效（“已被新证书替换”只用于更换证书流程）。")
    with transaction.atomic():
        app, roles = _lock_for_step(application, by, Status.REVOKED)
        if app.old_certificate is None:
            raise PkiError("该申请单没有指定要吊销的证书。")
        if app.old_certificate.status != CertificateStatus.REVOKED:
            certificate_revoke(certificate=app.old_certificate, reason=reason, by=by, now=now)
        app.revocation_reason = reason
        _record_step(
            app,
            to_status=Status.REVOKED,
            by=by,
            roles=roles,
            now=now,
            comment=comment or RevocationReason(reason).label,
            extra_fields=("revocation_reason",),
        )
    application.refresh_from_db()
    return app


def certificate_emergency_revoke(
    *, certificate: Certificate, by: Any, comment: str = "", now: dt.datetime | None = None
) -> CertApplication:
    """Emergency revocation (UKey lost, key compromised) by 网管科, at once, with reason
    keyCompromise; a REVOKE application is opened in state REVOKED so that the department
    leader's and 指导科's approvals are recorded afterwards."""
    now = now or timezone.now()
    if not (by.roles_in(certificate.agency_id) & {Role.NETWORK}):
        raise PkiError("只有协调办网管科可以紧急吊销证书。")
    if not comment.strip():
        raise PkiError("紧急吊销须填写情况说明。")
    with transaction.atomic():
        cert = (
            Certificate.objects.select_for_update()
            .select_related("agency", "user")
            .get(pk=certificate.pk)
        )
        if cert.status == CertificateStatus.REVOKED:
            raise PkiError("该证书已被吊销。")
        n = counter_next(scope="pki-application", period=str(now.year))
        app = CertApplication.objects.create(
            number=f"证申〔{now.year}〕{n}号",
            kind=Kind.REVOKE,
            emergency=True,
            agency=cert.agency,
            person=cert.user,
            person_name=cert.user.display_name or cert.user.username,
            reason=comment[:300],
            status=Status.REVOKED,
            revocation_reason=RevocationReason.KEY_COMPROMISE,
            old_certificate=cert,
            created_by=by,
            created_at=now,
            updated_at=now,
        )
        certificate_revoke(certificate=cert, reason=RevocationReason.KEY_COMPROMISE, by=by, now=now)
        Step.objects.create(
            application=app,
            status=Status.REVOKED,
            actor=by,
            role=Role.NETWORK,
            comment=f"紧急吊销：{comment}"[:300],
            created_at=now,
        )
        audit_log(
            "pki.emergency_revoked",
            obj=app,
            actor=by,
            changes={"status": [None, Status.REVOKED]},
            message=f"紧急吊销证书 {cert.serial}（密钥泄露），审批事后补录",
            agency_code=cert.agency.code,
            now=now,
        )
    certificate.refresh_from_db()
    return app


# --- certificate login -------------------------------------------------------------------
def certificate_record_login(
    *, certificate: Certificate, via: str, now: dt.datetime | None = None
) -> Certificate:
    """Record a successful certificate login (once per session, called by the middleware).

    The first login after the department head's check is the workflow's 登录测试 step,
    recorded automatically with the holder as the actor.
    """
    now = now or timezone.now()
    with transaction.atomic():
        cert = Certificate.objects.select_for_update().select_related("user").get(pk=certificate.pk)
        first = cert.first_login_at is None
        if first:
            cert.first_login_at = now
        cert.last_login_at = now
        cert.save(update_fields=["first_login_at", "last_login_at"])
        audit_log(
            "pki.certificate_login",
            obj=cert,
            actor=cert.user,
            message=f"证书登录（{via}）{'，首次' if first else ''}",
            now=now,
        )
        app = (
            CertApplication.objects.select_for_update()
            .select_related("agency")
            .filter(certificate=cert, status=Status.DEPT_CHECKED)
            .first()
        )
        if app is not None:
            _record_step(
                app,
                to_status=Status.LOGIN_TESTED,
                by=cert.user,
                roles=set(),
                now=now,
                comment=f"证书登录成功（{via}），自动记为登录测试",
                automatic=True,
            )
    return cert


def challenge_verify(*, user: Any, message: str, signature: str) -> Certificate:
    """Find the user's valid certificate whose key signed ``message`` (signed-challenge
    login); raise ``PkiError`` when none did. Failures are audited."""
    data = message.encode("utf-8")
    for cert in Certificate.objects.valid().filter(user=user):
        if x509ca.verify_challenge(cert.certificate(), data, signature):
            return cert
    audit_log("pki.challenge_failed", actor=user, message="签名挑战登录失败")
    raise PkiError("签名验证失败：签名与您名下任何有效证书都不匹配，或证书已吊销、已过期。")


def _send_reminder(subject: str, body: str, email: str) -> None:
    from django.core.mail import send_mail

    send_mail(subject, body, None, [email], fail_silently=True)


# --- expiry reminders --------------------------------------------------------------------
def certificate_remind_expiring(
    *, now: dt.datetime | None = None, dry_run: bool = False
) -> list[Certificate]:
    """Remind holders once of certificates expiring within ``PKI_EXPIRY_WARN_DAYS``
    (idempotent: ``expiry_reminded_at`` marks the reminded ones). Mail goes out on commit
    to holders with an e-mail address; the console shows the same reminder as an alert."""
    now = now or timezone.now()
    due = list(
        Certificate.objects.expiring(within_days=conf.expiry_warn_days(), now=now)
        .filter(expiry_reminded_at__isnull=True)
        .select_related("user", "agency")
    )
    if dry_run:
        return due
    for cert in due:
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=cert.pk)
            if locked.expiry_reminded_at is not None:
                continue
            locked.expiry_reminded_at = now
            locked.save(update_fields=["expiry_reminded_at"])
            audit_log(
                "pki.expiry_reminded",
                obj=locked,
                message=f"证书将于 {timezone.localtime(locked.not_after):%Y-%m-%d} 到期，已提醒持有人",
                agency_code=cert.agency.code,
                now=now,
            )
            email = cert.user.email
            if email:
                subject = "【政务公开平台】您的数字证书即将到期"
                body = (
                    f"{cert.user}：您在{cert.agency.name}使用的数字证书（序列号 {cert.serial}）"
                    f"将于 {timezone.localtime(cert.not_after):%Y年%m月%d日} 到期。"
                    "请及时由部门提交“更换证书”申请。"
                )
                transaction.on_commit(functools.partial(_send_reminder, subject, body, email))
    return due
