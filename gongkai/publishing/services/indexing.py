"""Search (re)indexing of catalog items, run in ``transaction.on_commit``."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from gongkai.publishing import scanner
from gongkai.publishing.models import (
    CatalogItem,
)

# --- search ------------------------------------------------------------------------------


def item_url(item: CatalogItem) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("portal:item", kwargs={"pk": item.pk})
    except NoReverseMatch:
        return f"/xxgk/{item.pk}/"


def search_doc_for(item: CatalogItem) -> Any:
    """The item as a ``SearchDoc``, personal data masked (never indexed in clear)."""
    from gongkai.search.api import SearchDoc

    texts = [item.summary, scanner.html_to_text(item.body)]
    texts += [a.extracted_text for a in item.attachments.all() if a.removed_at is None]
    return SearchDoc(
        key=f"catalog:{item.pk}",
        kind="catalog",
        agency_id=item.agency_id,
        title=scanner.mask_personal(item.title),
        body_text=scanner.mask_personal("\n".join(t for t in texts if t)),
        doc_number=item.doc_number,
        index_number=item.index_number,
        topic_code=item.topic.code if item.topic_id else "",  # type: ignore[union-attr]
        genre=item.genre,
        validity=item.validity,
        published_at=item.published_at,
        url=item_url(item),
    )


def _sync_search(item_ids: list[int]) -> None:
    """Index the public ones of ``item_ids`` and remove the others (after commit)."""
    from gongkai.search import api

    public = list(
        CatalogItem.objects.public()
        .filter(pk__in=item_ids)
        .select_related("topic")
        .prefetch_related("attachments")
    )
    public_ids = {i.pk for i in public}
    if public:
        api.index_documents([search_doc_for(i) for i in public])
    gone = [f"catalog:{pk}" for pk in item_ids if pk not in public_ids]
    if gone:
        api.remove_documents(gone)


def _on_commit_sync(*item_ids: int) -> None:
    ids = list(item_ids)
    transaction.on_commit(lambda: _sync_search(ids))
