"""Write services of the search app beyond the api: reconciling the index with the catalog."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai.audit.services import audit_log
from gongkai.search import api
from gongkai.search.models import SearchEntry


def index_reconcile(*, by: Any = None, dry_run: bool = False, batch: int = 500) -> dict[str, int]:
    """Make the catalog part of the index equal to ``CatalogItem.objects.public()``.

    1. Entries whose item is no longer public (withdrawn, expired, deleted, not 主动公开)
       are removed — this also covers an expiry the scheduler has not processed yet.
    2. Public items missing from the index, or changed since they were indexed, are
       (re)indexed through publishing's ``search_doc_for`` (which masks personal data).
    Idempotent; audited when it changed anything.
    """
    from gongkai.publishing.models import CatalogItem
    from gongkai.publishing.services import search_doc_for

    public = dict(CatalogItem.objects.public().values_list("pk", "updated_at"))
    indexed = {
        int(key.split(":", 1)[1]): at
        for key, at in SearchEntry.objects.filter(key__startswith="catalog:").values_list(
            "key", "indexed_at"
        )
    }
    stale_keys = [f"catalog:{pk}" for pk in indexed if pk not in public]
    todo = [
        pk
        for pk, updated in public.items()
        if pk not in indexed or (updated and updated > indexed[pk])
    ]
    result = {"removed": len(stale_keys), "indexed": len(todo)}
    if dry_run or not (stale_keys or todo):
        return result
    api.remove_documents(stale_keys)
    for i in range(0, len(todo), batch):
        items = CatalogItem.objects.filter(pk__in=todo[i : i + batch]).select_related("topic")
        api.index_documents([search_doc_for(item) for item in items])
    with transaction.atomic():
        audit_log(
            "search.index.reconciled",
            object_type="search.SearchEntry",
            changes={k: [0, v] for k, v in result.items()},
        )
    return result


def index_rebuild(*, by: Any = None, batch: int = 1000) -> int:
    """Segment every entry again from its stored text and rewrite the full-text structures
    (after an upgrade of jieba/rjieba or Python's Unicode database, or a change of the token
    format). SQLite: the index is emptied and filled again (``SqliteBackend.rebuild``);
    PostgreSQL: every vector is rewritten in place, the GIN index built again after
    (``PostgresBackend.rebuild``). Audited. Returns the number of entries indexed."""
    from gongkai.search.backends import get_backend

    done = get_backend().rebuild(batch=batch)
    with transaction.atomic():
        audit_log(
            "search.index.rebuilt",
            object_type="search.SearchEntry",
            changes={"entries": [0, done]},
        )
    return done
