"""Settings for bench/search_bench.py --peer: the project settings plus modelsearch and the
bench-only ``mspeer`` app (bench/ is on sys.path)."""

from gongkai.settings import *  # noqa: F403
from gongkai.settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "modelsearch", "mspeer"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
MODELSEARCH_BACKENDS = {
    "default": {"BACKEND": "modelsearch.backends.database", "AUTO_UPDATE": False}
}
