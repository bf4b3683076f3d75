"""Celery tasks (run eagerly without a broker); each calls one service."""

from __future__ import annotations

from celery import shared_task


@shared_task
def send_outbox() -> int:
    from gongkai.applications.services import outbox_send

    return outbox_send()


@shared_task
def lapse_overdue() -> int:
    from gongkai.applications.services import application_lapse_overdue

    return len(application_lapse_overdue())


@shared_task
def daily_digest() -> int:
    from gongkai.applications.services import digest_build, outbox_send

    queued = digest_build()
    outbox_send()
    return queued
