"""Test-only overrides (the only other settings module): fast hashing, local mail."""

import tempfile
from pathlib import Path

from gongkai.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "gongkai-tests",
    }
}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405

# The portal's content-version file (portal.caching) is per test process: a dev server or a
# benchmark on the same checkout touches var/portal-content-version and must not move it.
PORTAL_CONTENT_VERSION_FILE = str(
    Path(tempfile.mkdtemp(prefix="gongkai-test-")) / "portal-content-version"
)

# Django's test flush empties PostgreSQL tables with TRUNCATE, which the audit table refuses
# unless the session allows it (audit migration 0003); production sessions never do.
if IS_POSTGRES:  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c gongkai.audit_truncate=allow"  # noqa: F405
