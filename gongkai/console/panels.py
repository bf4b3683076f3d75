"""What each app contributes to the console shell: navigation, alerts and work queues.

An app that has something to show adds a ``panels.py`` module with any of
``nav(user) -> list[NavItem]``, ``alerts(user) -> list[Alert]`` and
``queue(user) -> list[QueueItem]``. The console collects them from every installed app,
so the shell needs no edit when an app is added.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 100


@dataclass(frozen=True)
class Alert:
    text: str
    url: str = ""
    level: str = "warning"  # info | warning | error


@dataclass(frozen=True)
class QueueItem:
    label: str
    count: int
    url: str = ""
    urgent: bool = False


@functools.cache
def _panel_modules() -> tuple[Any, ...]:
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.panels"
        if config.name.startswith("gongkai.") and importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return tuple(modules)


def collect(kind: str, user: Any) -> list[Any]:
    items: list[Any] = []
    for module in _panel_modules():
        fn: Callable[[Any], list[Any]] | None = getattr(module, kind, None)
        if fn is not None:
            items.extend(fn(user))
    if kind == "nav":
        items.sort(key=lambda item: item.order)
    return items
