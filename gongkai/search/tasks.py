"""Celery tasks of the search app (run eagerly without a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="search.flush_visits")
def flush_visits_task() -> dict[str, int]:
    """Flush buffered visit counts into the catalog (schedule every minute)."""
    from gongkai.search.visits import flush_visits

    return flush_visits()


@shared_task(name="search.reconcile")
def reconcile_task() -> dict[str, int]:
    from gongkai.search.services import index_reconcile

    return index_reconcile()


@shared_task(name="search.ingest_visit_log")
def ingest_visit_log_task(path: str = "") -> dict[str, int]:
    """Count the visits nginx logged (schedule every minute, on the machine that runs nginx).
    Does nothing unless ``path`` or the setting ``PORTAL_VISIT_LOG`` names the log."""
    from django.conf import settings

    from gongkai.search.visits import ingest_visit_log

    path = path or getattr(settings, "PORTAL_VISIT_LOG", "")
    if not path:
        return {}
    return ingest_visit_log(path)
