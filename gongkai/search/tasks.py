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
