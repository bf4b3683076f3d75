"""Periodic work of the audit app (Celery; eager in-process without a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="audit.anchor")
def anchor() -> int:
    """Append the chain head to ``AUDIT_ANCHOR_FILE`` (idempotent apart from the new line)."""
    from django.conf import settings

    from gongkai.audit.services import audit_anchor_write

    return int(audit_anchor_write(path=settings.AUDIT_ANCHOR_FILE)["last_id"])
