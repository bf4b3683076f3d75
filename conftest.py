"""pytest configuration shared by the whole suite.

Fixtures: ``chromium_browser`` (session) and ``page`` (a desktop page with
``page.base_url`` = the live server). Helpers for screenshots and axe checks are in
``gongkai.lib.testing``. Markers: ``postgres`` (skipped loudly on SQLite), ``slow``
(deselected unless ``--run-slow``; ``make demo-check`` runs them), ``browser``, ``redis``.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from gongkai.lib.testing import CHROMIUM, require_system


def pytest_addoption(parser):  # type: ignore[no-untyped-def]
    parser.addoption(
        "--run-slow", action="store_true", default=False, help="run the slow tier (full demo)"
    )


def _is_transactional(item) -> bool:  # type: ignore[no-untyped-def]
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return not issubclass(cls, TestCase)
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _restore_migration_data(items) -> None:  # type: ignore[no-untyped-def]
    """Transactional tests empty every table when they end, which also removes the reference
    data that migrations seed (the working-day calendar, the topic taxonomy, review stages,
    notice templates). Django's ``serialized_rollback`` reloads it at the start of each
    transactional test; pytest-django runs transactional tests after all others, and
    ``make test`` distributes tests in that order (``--dist load``), so the plain tests
    never see an emptied database."""
    for item in items:
        if not _is_transactional(item):
            continue
        cls = getattr(item, "cls", None)
        if cls is not None:
            cls.serialized_rollback = True
            continue
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker is not None else {}
        kwargs.update(transaction=True, serialized_rollback=True)
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    _restore_migration_data(items)
    if not config.getoption("--run-slow"):
        slow = [item for item in items if "slow" in item.keywords]
        if slow:
            config.hook.pytest_deselected(items=slow)
            items[:] = [item for item in items if "slow" not in item.keywords]
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip = pytest.mark.skip(
            reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI runs both)"
        )
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _celery_join_flag():  # type: ignore[no-untyped-def]
    """Reset Celery's process-wide "joining a result would block" flag around each test.

    An eager ``delay()`` sets the flag for the duration of the task and restores the value
    it saw before; two threads doing that at once (the PostgreSQL concurrency tests submit
    applications in parallel, and each queues an eager outbox task) can restore each
    other's True and leave it set, after which any later ``.get()`` in the same worker
    process raises "Never call result.get() within a task". The app itself never joins a
    result; only tests do."""
    from celery import _state

    _state._task_join_will_block = False
    yield
    _state._task_join_will_block = False


@pytest.fixture(scope="session")
def redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="session")
def chromium_browser():  # type: ignore[no-untyped-def]
    """Headless Debian chromium driven by Playwright (never a downloaded browser)."""
    require_system(
        "chromium", os.path.exists(CHROMIUM), "apt-get install chromium (.ci/run does this)"
    )
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + sync Playwright
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server):  # type: ignore[no-untyped-def]
    """A fresh desktop-sized page; ``page.base_url`` is the live server's address."""
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    pg.base_url = live_server.url
    yield pg
    context.close()
