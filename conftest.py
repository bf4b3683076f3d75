"""pytest configuration shared by the whole suite."""

from __future__ import annotations

import os

import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Tests marked ``postgres`` need PostgreSQL: on SQLite they are skipped, loudly."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip = pytest.mark.skip(
            reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI runs both)"
        )
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
