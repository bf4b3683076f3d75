"""The certificate application workflows: submit, advance, reject, issue, revoke."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.audit.services import audit_log
from gongkai.numbering.services import counter_next
from gongkai.pki import ca as x509ca
from gongkai.pki import conf
from gongkai.pki.models import (
    CertApplication,
    Certificate,
    CertificateStatus,
    IssueMethod,
    Kind,
    RevocationReason,
    Status,
    Step,
)
from gongkai.pki.services.certificates import _issue, certificate_revoke
from gongkai.pki.services.common import PkiError
from gongkai.pki.services.flows import (
    DEPT_ROLES,
    SPECIAL_STEPS,
    emergency_revoke_refusal,
    next_status,
    require_step,
    step_roles_for,
    workflow_for,
)

SCAN_TYPES = {"application/pdf", "image/jpeg", "image/png"}


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
            "pki.application.submitted",
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
    require_step(by, app, to_status, PkiError)  # the transition table (services/flows.py)
    return app, step_roles_for(by, app, to_status)


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
        "pki.application.step",
        obj=app,
        actor=by,
        changes={"status": [old, to_status]},
        message=comment[:300]
        + (f"（附件 SHA-256 {attachment_sha256}）" if attachment_sha256 else ""),
        agency_code=app.agency.code,
        now=now,
    )


def _scan_digest(scan: Any) -> tuple[str, str]:
    if scan is None:
        raise PkiError("请上传部门领导签字并加盖公章的登记表扫描件（PDF、JPG 或 PNG）。")
    limit = int(getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
    if scan.size > limit:
        raise PkiError(f"扫描件过大（上限 {limit // (1024 * 1024)} MB）。")
    data = b"".join(scan.chunks())
    from gongkai.lib import uploads

    try:  # extension and content together (gongkai.lib.uploads)
        uploads.check_upload(
            str(getattr(scan, "name", "") or ""),
            data,
            allowed={e for e, m in uploads.MIME.items() if m in SCAN_TYPES},
            label="扫描件",
        )
    except uploads.UploadError as exc:
        raise PkiError(f"扫描件格式不正确：{exc}") from exc
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
        workflow = workflow_for(app)
        if "reject" not in workflow.verbs:
            raise PkiError(f"申请单处于“{app.get_status_display()}”，紧急吊销的申请单不能退回。")
        workflow.require("reject", by, app, PkiError)  # the transition table
        nxt = next_status(app)
        roles = step_roles_for(by, app, nxt) if nxt else set()
        if app.status == Status.ISSUED and app.certificate_id:
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
    if refusal := emergency_revoke_refusal(by, certificate):
        raise PkiError(refusal)
    if not comment.strip():
        raise PkiError("紧急吊销须填写情况说明。")
    with transaction.atomic():
        cert = (
            Certificate.objects.select_for_update()
            .select_related("agency", "user")
            .get(pk=certificate.pk)
        )
        if refusal := emergency_revoke_refusal(by, cert):  # again, under the lock
            raise PkiError(refusal)
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
            "pki.certificate.emergency_revoked",
            obj=app,
            actor=by,
            changes={"status": [None, Status.REVOKED]},
            message=f"紧急吊销证书 {cert.serial}（密钥泄露），审批事后补录",
            agency_code=cert.agency.code,
            now=now,
        )
    certificate.refresh_from_db()
    return app
