"""Certificate login (recorded logins, signed challenges) and expiry reminders."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_log
from gongkai.pki import ca as x509ca
from gongkai.pki import conf
from gongkai.pki.models import (
    CertApplication,
    Certificate,
    Status,
)
from gongkai.pki.services.common import PkiError
from gongkai.pki.services.workflows import _record_step


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
            "pki.certificate.login",
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
    audit_log("pki.challenge.failed", actor=user, message="签名挑战登录失败")
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
                "pki.certificate.expiry_reminded",
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
