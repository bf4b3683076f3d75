"""Process start-up for the WSGI workers: warm the caches, then freeze the heap.

A full garbage collection walks every tracked object of the process. In a worker holding
jieba's dictionary (≈350,000 entries) and the URL, template and ORM caches, one such pass
cost ≈50 ms, and it lands on whichever request happens to allocate the object that crosses
the threshold: the multi-term search p95 on SQLite was such a pause, not search work
(issue 19). ``gc.freeze()`` moves everything alive at start-up into a permanent generation
that collections skip; objects created later are collected as usual.
"""

from __future__ import annotations

import gc
import os


def freeze_startup_heap() -> int:
    """Load what every request needs, collect once, freeze. Returns the frozen count.

    Off with ``GONGKAI_GC_FREEZE=0`` (to compare, or to debug a leak).
    """
    if os.environ.get("GONGKAI_GC_FREEZE", "1") == "0":
        return 0
    from django.urls import get_resolver

    from gongkai.search import segment

    get_resolver().url_patterns  # noqa: B018 - imports every view module once
    segment.warm_up()
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
