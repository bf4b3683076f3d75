"""WSGI entry point (granian or gunicorn: gongkai.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
application = get_wsgi_application()

# Each worker imports this module: keep garbage-collection pauses off the request path.
from gongkai.lib.runtime import freeze_startup_heap  # noqa: E402

freeze_startup_heap()
