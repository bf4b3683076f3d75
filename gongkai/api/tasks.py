"""Periodic work of the API app (Celery beat: ``api.export_catalog`` nightly)."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="api.export_catalog")
def export_catalog() -> dict[str, Any]:
    """The nightly bulk export (idempotent: each run replaces the previous files)."""
    from gongkai.api.export import catalog_export

    manifest = catalog_export()
    return {"count": manifest["count"]}
