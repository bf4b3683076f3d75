"""Diagnostics task: proves background work runs (eagerly, or in a real worker)."""

from __future__ import annotations

import os
import socket

from celery import shared_task


@shared_task(name="gongkai.console.tasks.ping")
def ping() -> dict[str, object]:
    """Return where the task ran: the worker's process id and host."""
    return {"pid": os.getpid(), "host": socket.gethostname()}
