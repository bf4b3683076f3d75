"""With production values, Django's deployment checklist reports nothing."""

import os
import subprocess
import sys

from django.conf import settings


def test_it_passes_check_deploy_with_production_settings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="gongkai.settings",
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY="x" * 20 + "production-secret-key-for-the-check-9f8e7d6c5b4a",
        ALLOWED_HOSTS="xxgk.example.gov.cn",
        GONGKAI_VAR_DIR=str(tmp_path),
    )
    env.pop("DATABASE_URL", None)
    env.pop(
        "DJANGO_ALLOW_ASYNC_UNSAFE", None
    )  # set by the browser fixture for live_server; never in production
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout
