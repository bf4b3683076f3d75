"""Celery tasks of the publishing app (run eagerly without a broker)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="publishing.run_schedule")
def run_schedule_task() -> dict[str, int]:
    """Publish due scheduled items and expire due ones (schedule every minute; idempotent)."""
    from gongkai.publishing.services import catalog_run_schedule

    return catalog_run_schedule()


@shared_task(name="publishing.import_run")
def import_run_task(job_id: int) -> str:
    """Run a console import in the background (progress is stored on the job)."""
    from gongkai.publishing.importing import import_job_run

    return import_job_run(job_id).status
