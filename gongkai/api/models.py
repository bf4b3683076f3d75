"""The open data API's own tables (SPEC C12): agency tokens and write-API submissions.

* ``ApiToken`` — one credential of one agency's system. Only a SHA-256 hash of the secret is
  stored; the clear token is shown once, when the security administrator creates it. A token
  carries scopes and acts through one named clerk of the agency (the item's 录入人, who sees
  the draft in the console and answers for it).
* ``Submission`` — one catalog item an agency system sent through the write API. It is also
  the idempotency record: a retry with the same ``Idempotency-Key`` gets the stored response.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    """What a token may do."""

    CATALOG_SUBMIT = "catalog:submit", "提交目录信息（进入审核）"
    CATALOG_READ_STATUS = "catalog:read-status", "查询已提交信息的审核状态"


class ApiToken(models.Model):
    """An agency system's API credential (hashed at rest, scoped, revocable)."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="api_tokens", verbose_name="机构"
    )
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField("令牌前缀", max_length=12, unique=True)
    key_hash = models.CharField("令牌散列（SHA-256）", max_length=64)
    scopes = models.JSONField("权限范围", default=list)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="责任录入员",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="吊销人",
    )
    revoke_reason = models.CharField("吊销理由", max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.agency} · {self.name}（{self.prefix}…）"

    def is_active(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def scope_labels(self) -> str:
        return "、".join(Scope(s).label for s in self.scopes if s in Scope.values)


class Submission(models.Model):
    """One item submitted through the write API (and its idempotency record)."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="机构"
    )
    token = models.ForeignKey(
        ApiToken, on_delete=models.PROTECT, related_name="submissions", verbose_name="令牌"
    )
    idempotency_key = models.CharField("幂等键", max_length=100, blank=True)
    request_hash = models.CharField("请求散列", max_length=64)
    external_id = models.CharField("对方系统编号", max_length=100, blank=True)
    item = models.ForeignKey(
        "publishing.CatalogItem", on_delete=models.PROTECT, related_name="+", verbose_name="条目"
    )
    revision = models.ForeignKey(
        "publishing.Revision", on_delete=models.PROTECT, related_name="+", verbose_name="版本"
    )
    created_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "接口提交"
        verbose_name_plural = "接口提交"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="api_submission_idempotency_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} #{self.pk}"
