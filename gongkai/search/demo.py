"""Demo data of the search app: index whatever the publishing demo made public.

Publishing indexes on every publish (on commit); this catches items a demo loader created
without going through the publish service. Idempotent (``index_reconcile``).
"""

from __future__ import annotations

from typing import Any

from gongkai.search.services import index_reconcile


def load(*, full: bool = False, out: Any = None) -> dict:
    result = index_reconcile()
    if out is not None:
        out.write(f"检索索引：新增 {result['indexed']} 条，移除 {result['removed']} 条")
    return result
