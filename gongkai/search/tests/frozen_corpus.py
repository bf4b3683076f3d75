"""The fixed corpus both frozen-result tests index (test_frozen_pg, test_frozen_sqlite)."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path

from gongkai.search.api import SearchDoc

ROOT = Path(__file__).resolve().parents[3]
CORPUS_SIZE = 1500
SEED = 20240101

EXTRA_DOCS = [
    ("x:1", "关于推进量子通信产业发展的意见", "加快量子通信网络建设。璟珩同志参加。"),
    ("x:2", "冰雪运动进校园活动方案", "组织冰雪运动。5G专网覆盖雪场。"),
    ("x:3", "人参产业高质量发展规划", "人参产业园区，人参产业基金；玥琰负责。"),
    ("x:4", "葡萄酒庄建设情况通报", "葡萄酒庄三家，数据要素市场培育。"),
    ("x:5", "数据要素市场化配置改革", "数据要素流通。农机购……置补贴不是短语。"),
    ("x:6", "通知", "5G 专网与购置、补贴分开写。璟 珩 分开写。"),
]


def frozen_corpus() -> list[SearchDoc]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import corpus  # bench/corpus.py: deterministic
    finally:
        sys.path.remove(str(ROOT / "bench"))
    docs = [SearchDoc(**d) for d in corpus.generate(CORPUS_SIZE, seed=SEED)]
    base = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
    for n, (key, title, body) in enumerate(EXTRA_DOCS):
        docs.insert(
            (n + 1) * 211,
            SearchDoc(
                key=key,
                kind="catalog",
                agency_id=None,
                title=title,
                body_text=body,
                published_at=base + dt.timedelta(days=n),
            ),
        )
    return docs


def digest(keys: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:16]
