"""Periodic work of the pki app (Celery; eager in-process without a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="pki.refresh_crl")
def refresh_crl() -> bool:
    """Re-sign the CRL when due (idempotent; schedule it every hour)."""
    from gongkai.pki.services import crl_refresh

    return crl_refresh()


@shared_task(name="pki.remind_expiring")
def remind_expiring() -> int:
    """Remind holders of expiring certificates (idempotent; schedule it daily)."""
    from gongkai.pki.services import certificate_remind_expiring

    return len(certificate_remind_expiring())
