"""Celery application.

Without ``REDIS_URL`` (or ``CELERY_BROKER_URL``) tasks run eagerly in-process, so the
app and its tests need no broker. With one, a real worker runs them:
``celery -A gongkai worker``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

app = Celery("gongkai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
