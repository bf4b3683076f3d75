"""System checks of the search index (database checks: ``manage.py migrate`` and
``manage.py check --database default`` run them; the console page 检索索引 shows the same).

* ``gongkai.search.W001``: the SQLite index was written by another segmenter version
  (jieba, rjieba or Python's Unicode database upgraded) than the running one.
* ``gongkai.search.W002``: entries whose FTS row could not be replaced or removed since
  (``api`` kept the old row and marked them stale).
Both are cured by ``manage.py search_reindex``. PostgreSQL needs neither (a vector is
replaced without its old tokens).
* ``gongkai.search.W003`` (PostgreSQL): the GIN index of the vectors is missing — a
  ``search_reindex`` (which drops it while it rewrites the vectors) was interrupted. Every
  search then scans the table. Cured by ``manage.py search_reindex --index-only``.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DEFAULT_DB_ALIAS, connection


def index_warnings() -> list[tuple[str, str, str]]:
    """(check id, message, hint) for each problem of the default database's search index."""
    if connection.vendor == "postgresql":
        from gongkai.search.backends import PostgresBackend

        if PostgresBackend.gin_index_exists() is False:
            return [
                (
                    "gongkai.search.W003",
                    "检索全文索引（GIN）缺失（重建检索索引时被中断），每次检索都要扫描整张表。"
                    " / The search GIN index is missing (an interrupted search_reindex):"
                    " every search scans the table.",
                    "请运行 manage.py search_reindex --index-only 重建索引。"
                    " / Run manage.py search_reindex --index-only.",
                )
            ]
        return []
    if connection.vendor != "sqlite":
        return []
    from gongkai.search.backends import SqliteBackend

    health = SqliteBackend.health()
    if health is None:
        return []
    out = []
    if health["recorded"] and health["recorded"] != health["current"]:
        out.append(
            (
                "gongkai.search.W001",
                f"检索索引由另一版本的分词器写入（{health['recorded']}），当前为（{health['current']}）："
                "分词结果不同的条目在更新或撤回时无法替换旧索引行。"
                " / The search index was written by another segmenter version; entries whose"
                " tokens changed keep their old index row when they are updated or withdrawn.",
                "请运行 manage.py search_reindex 重建检索索引。 / Run manage.py search_reindex.",
            )
        )
    if health["stale"]:
        shown = "、".join(health["stale_keys"][:5])
        out.append(
            (
                "gongkai.search.W002",
                f"有 {health['stale']} 条检索索引条目未能更新（{shown}{'等' if health['stale'] > 5 else ''}），"
                "检索仍按旧文本匹配，已撤回的条目不会显示。"
                f" / {health['stale']} search entries could not be re-indexed: search still"
                " matches their old text (withdrawn ones are not shown).",
                "请运行 manage.py search_reindex 重建检索索引。 / Run manage.py search_reindex.",
            )
        )
    return out


@register(Tags.database)
def check_search_index(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[Warning]:
    if not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    return [Warning(msg, hint=hint, id=cid) for cid, msg, hint in index_warnings()]
