"""Access to the audit log: the audit administrator reads it, nobody else does."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from gongkai.audit.models import AuditEntry


def audit_entries_for_user(user: Any):  # type: ignore[no-untyped-def]
    """Every entry for the audit administrator; none for anyone else (三员分立)."""
    if user.is_authenticated and user.is_audit_admin:
        return AuditEntry.objects.all()
    return AuditEntry.objects.none()


def get_audit_entry_for_user(user: Any, pk: int | str) -> AuditEntry:
    try:
        return audit_entries_for_user(user).get(pk=pk)
    except (AuditEntry.DoesNotExist, ValueError):
        raise Http404("日志不存在或无权查看。") from None
