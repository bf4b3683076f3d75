"""Celery tasks (run eagerly without a broker); each calls one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="interaction.remind")
def remind() -> int:
    """Daily: queue the due-soon/overdue 留言 reminders and send the outbox."""
    from gongkai.applications.services import outbox_send
    from gongkai.interaction.services import question_remind

    queued = question_remind()
    outbox_send()
    return queued
