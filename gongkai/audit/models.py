"""The audit log: append-only and hash-chained.

Each entry stores ``prev_hash`` (the ``entry_hash`` of the entry before it) and
``entry_hash`` = HMAC-SHA256(AUDIT_HMAC_KEY, prev_hash ‖ canonical JSON of its own content).
Changing, deleting or inserting a row behind the application's back breaks the chain at
that row, which ``manage.py verify_audit`` reports. ``AuditHead`` holds the last entry's id
and hash: appends lock it (so the chain is linear under concurrency) and truncation of the
newest rows is detected by comparing it with the last row. Database triggers (migration
0002) refuse UPDATE and DELETE on the table as a second line of defence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField("时间", db_index=True)
    action = models.CharField("事件", max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    role = models.CharField("角色", max_length=100, blank=True)
    agency_code = models.CharField("机构", max_length=40, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    cert_serial = models.CharField("证书序列号", max_length=64, blank=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("对象", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象名称", max_length=300, blank=True)
    changes = models.JSONField("变更（原值→新值）", default=dict, blank=True)
    message = models.TextField("说明", blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"


class AuditHead(models.Model):
    """Singleton row (pk=1): the id and hash of the newest entry."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.last_id} {self.last_hash[:12]}"
