"""Gongkai (公开): government information disclosure platform."""

from gongkai.celery import app as celery_app

__all__ = ["celery_app"]
