"""Helpers for browser and system-dependent tests (fixtures live in the root conftest.py)."""

from __future__ import annotations

import os
from typing import Any

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTIFACTS = os.path.join(ROOT, "test-artifacts")
SCREENSHOT_DIR = os.path.join(ARTIFACTS, "screenshots")
CHROMIUM = "/usr/bin/chromium"


def require_system(thing: str, ok: bool, how: str) -> None:
    """Skip loudly when a system package is missing; in CI (GONGKAI_REQUIRE_SYSTEM_DEPS=1) fail."""
    if ok:
        return
    message = f"{thing} is missing: {how}"
    if os.environ.get("GONGKAI_REQUIRE_SYSTEM_DEPS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def wait_for_port(port: int, log: Any, *, what: str = "nginx", seconds: float = 10) -> None:
    """Wait until something listens on 127.0.0.1:port; fail with its log (a Path) if not."""
    import socket
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{what} did not start: " + log.read_text())


def screenshot(page: Any, name: str) -> list[str]:
    """Save the page at desktop and phone width under test-artifacts/screenshots/."""
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)
    paths = []
    original = page.viewport_size
    for label, size in (
        ("desktop", {"width": 1280, "height": 900}),
        ("phone", {"width": 390, "height": 844}),
    ):
        page.set_viewport_size(size)
        path = os.path.join(SCREENSHOT_DIR, f"{name}-{label}.png")
        page.screenshot(path=path, full_page=True)
        paths.append(path)
    if original:
        page.set_viewport_size(original)
    return paths


def assert_accessible(page: Any) -> None:
    """axe-core (bundled with axe-playwright-python): no serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, "accessibility violations: " + "; ".join(
        f"{v['id']}: {v['help']} at "
        + ", ".join(n.get("html", "")[:120] for n in v.get("nodes", [])[:3])
        for v in bad
    )


def clock_at(when: Any) -> Any:
    """Pin ``django.utils.timezone.now`` (and so ``localdate``) to ``when`` (an aware datetime)
    for a test whose deadlines would otherwise run past the last year the working-day calendar
    holds: from early December the 20 working days of a reply reach into next year, whose
    State Council notice is entered only when published (the engine then fails closed)."""
    from unittest import mock

    return mock.patch("django.utils.timezone.now", return_value=when)
