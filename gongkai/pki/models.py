"""Models of the pki app: the CA, issued certificates and the certificate applications.

The CA's private key is *not* in the database: it is an encrypted PKCS#8 file under
``settings.PKI_CA_DIR`` whose passphrase comes from the settings (environment or a secret
file), never from the database and never from the key's directory. The database keeps the
CA certificate, every issued certificate (DER, fingerprint, status) and the CRL state; no
user private key is ever stored.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.pki.querysets import CertApplicationQuerySet, CertificateQuerySet


class CertificateAuthority(models.Model):
    """The platform's issuing CA. Exactly one is active at a time."""

    name = models.CharField("名称", max_length=100)
    subject_dn = models.CharField("主题", max_length=300)
    key_algorithm = models.CharField("密钥算法", max_length=30)
    certificate_pem = models.TextField("CA 证书")
    key_file = models.CharField("私钥文件", max_length=500)
    fingerprint_sha256 = models.CharField("SHA-256 指纹", max_length=64, unique=True)
    not_before = models.DateTimeField("生效时间")
    not_after = models.DateTimeField("失效时间")
    is_active = models.BooleanField("启用", default=True)
    crl_number = models.PositiveBigIntegerField("CRL 编号", default=0)
    crl_pem = models.TextField("当前 CRL", blank=True)
    crl_last_update = models.DateTimeField("CRL 签发时间", null=True, blank=True)
    crl_next_update = models.DateTimeField("CRL 下次更新", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "证书颁发机构"
        verbose_name_plural = "证书颁发机构"
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="pki_one_active_ca"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_pem.encode("ascii"))


class RevocationReason(models.TextChoices):
    """RFC 5280 reason codes allowed here (certificateHold is deliberately absent)."""

    UNSPECIFIED = "unspecified", "未说明"
    KEY_COMPROMISE = "key_compromise", "密钥泄露或证书介质丢失"
    AFFILIATION_CHANGED = "affiliation_changed", "人员调离或岗位变动"
    SUPERSEDED = "superseded", "已被新证书替换"
    CESSATION_OF_OPERATION = "cessation_of_operation", "岗位撤销或停止使用"
    PRIVILEGE_WITHDRAWN = "privilege_withdrawn", "权限被撤回"


REASON_FLAGS = {
    RevocationReason.UNSPECIFIED: x509.ReasonFlags.unspecified,
    RevocationReason.KEY_COMPROMISE: x509.ReasonFlags.key_compromise,
    RevocationReason.AFFILIATION_CHANGED: x509.ReasonFlags.affiliation_changed,
    RevocationReason.SUPERSEDED: x509.ReasonFlags.superseded,
    RevocationReason.CESSATION_OF_OPERATION: x509.ReasonFlags.cessation_of_operation,
    RevocationReason.PRIVILEGE_WITHDRAWN: x509.ReasonFlags.privilege_withdrawn,
}


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    REVOKED = "revoked", "已吊销"


class IssueMethod(models.TextChoices):
    CSR = "csr", "用户提交 CSR（私钥不离开用户设备）"
    PKCS12 = "pkcs12", "平台生成 PKCS#12（一次性下载）"


class Certificate(models.Model):
    """An issued client certificate. Expiry is derived from ``not_after``."""

    ca = models.ForeignKey(
        CertificateAuthority, on_delete=models.PROTECT, related_name="certificates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name="持有人",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name="机构",
    )
    application = models.ForeignKey(
        "CertApplication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="申请单",
    )
    serial = models.CharField("序列号", max_length=64)
    fingerprint_sha256 = models.CharField("SHA-256 指纹", max_length=64, unique=True)
    public_key_sha256 = models.CharField("公钥 SHA-256", max_length=64, db_index=True)
    subject_dn = models.CharField("主题", max_length=400)
    key_algorithm = models.CharField("密钥算法", max_length=30)
    issue_method = models.CharField("签发方式", max_length=10, choices=IssueMethod.choices)
    der = models.BinaryField("证书（DER）")
    not_before = models.DateTimeField("生效时间")
    not_after = models.DateTimeField("失效时间")
    status = models.CharField(
        "状态", max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="制证人"
    )
    issued_at = models.DateTimeField("签发时间", default=timezone.now)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revocation_reason = models.CharField(
        "吊销原因", max_length=30, choices=RevocationReason.choices, blank=True
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="吊销人",
    )
    first_login_at = models.DateTimeField("首次证书登录", null=True, blank=True)
    last_login_at = models.DateTimeField("最近证书登录", null=True, blank=True)
    expiry_reminded_at = models.DateTimeField("到期提醒时间", null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = "数字证书"
        verbose_name_plural = "数字证书"
        constraints = [
            models.UniqueConstraint(fields=["ca", "serial"], name="pki_cert_serial_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.serial[:16]}"

    def certificate(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(bytes(self.der))

    def is_valid(self, now: dt.datetime | None = None) -> bool:
        """Active, unrevoked and within its validity period."""
        now = now or timezone.now()
        return self.status == CertificateStatus.ACTIVE and self.not_before <= now <= self.not_after

    def state_label(self, now: dt.datetime | None = None) -> str:
        now = now or timezone.now()
        if self.status == CertificateStatus.REVOKED:
            return "已吊销"
        if now > self.not_after:
            return "已过期"
        if now < self.not_before:
            return "未生效"
        return "有效"


class Kind(models.TextChoices):
    NEW = "new", "新办证书"
    REVOKE = "revoke", "吊销证书"
    REPLACE = "replace", "更换证书"


class Status(models.TextChoices):
    """One state per step of the seed's 证书管理流程 (reference/pki.md §5)."""

    SUBMITTED = "submitted", "部门已提交登记表"
    DEPT_APPROVED = "dept_approved", "部门领导已审核盖章"
    GUIDANCE_REVIEWED = "guidance_reviewed", "指导科已审核"
    ISSUED = "issued", "网管科已录入制证"
    NETWORK_REVIEWED = "network_reviewed", "网管科已复核"
    DEPT_CHECKED = "dept_checked", "部门负责人已校对"
    LOGIN_TESTED = "login_tested", "已登录测试"
    HANDED_OVER = "handed_over", "部门负责人已签收"
    REVOKED = "revoked", "网管科已吊销"
    ARCHIVED = "archived", "协调办已备案"
    REJECTED = "rejected", "已退回"


class CertApplication(models.Model):
    """A certificate application (申请单): NEW, REVOKE or REPLACE, one state machine each.

    The subject of the certificate is taken from this record (the person's name, agency and
    account), never from the CSR. ``emergency`` marks a keyCompromise revocation done first
    by 网管科, whose approvals are recorded afterwards.
    """

    number = models.CharField("编号", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="cert_applications",
        verbose_name="部门",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cert_applications",
        verbose_name="证书持有人",
    )
    person_name = models.CharField("姓名", max_length=60)
    position = models.CharField("职务/岗位", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    reason = models.CharField("事由", max_length=300, blank=True)
    status = models.CharField(
        "当前步骤", max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    emergency = models.BooleanField("紧急吊销", default=False)
    revocation_reason = models.CharField(
        "吊销原因", max_length=30, choices=RevocationReason.choices, blank=True
    )
    old_certificate = models.ForeignKey(
        Certificate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="原证书",
    )
    certificate = models.ForeignKey(
        Certificate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="新证书",
    )
    scan_sha256 = models.CharField("盖章扫描件 SHA-256", max_length=64, blank=True)
    scan_name = models.CharField("盖章扫描件文件名", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提交人"
    )
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    objects = CertApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "证书申请单"
        verbose_name_plural = "证书申请单"

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()} {self.person_name}"

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.ARCHIVED, Status.REJECTED)


class Step(models.Model):
    """One immutable row per workflow step: who did it, in which role, and when."""

    application = models.ForeignKey(CertApplication, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField("到达步骤", max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="办理人"
    )
    role = models.CharField("岗位", max_length=20, blank=True)
    comment = models.CharField("意见", max_length=300, blank=True)
    attachment_sha256 = models.CharField("附件 SHA-256", max_length=64, blank=True)
    automatic = models.BooleanField("系统自动记录", default=False)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"

    def __str__(self) -> str:
        return f"{self.application.number} {self.get_status_display()}"

    @property
    def role_labels(self) -> str:
        """The roles in Chinese (stored as Role values, comma-separated)."""
        from gongkai.accounts.models import Role

        labels = [Role(r).label if r in Role.values else r for r in self.role.split(",") if r]
        return "、".join(labels)
