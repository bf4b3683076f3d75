"""RSS 2.0 and Atom feeds per column, optionally per agency (``?agency=<code>``), and
sitemap.xml (an index of pages of ``SITEMAP_PAGE`` URLs). Only public items appear."""

from __future__ import annotations

import math
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from gongkai.agencies.models import Agency
from gongkai.portal.caching import cached_page
from gongkai.publishing.models import CatalogItem

FEED_ITEMS = 30
SITEMAP_PAGE = 10000


class ColumnFeed(Feed):
    """The newest public items of one column (and agency)."""

    feed_type: Any = Rss201rev2Feed

    def get_object(self, request: HttpRequest, column: str, fmt: str) -> dict[str, Any]:
        from gongkai.portal.views import COLUMNS

        if column not in COLUMNS or fmt not in ("rss", "atom"):
            raise Http404("没有这个订阅源。")
        code = request.GET.get("agency", "")
        agency = None
        if code:
            if len(code) > 40 or not all(ch.isalnum() or ch in "-_" for ch in code):
                raise Http404("机构代号无效。")
            agency = Agency.objects.filter(code=code, is_active=True).first()
            if agency is None:
                raise Http404("没有这个发布机构。")
        self.feed_type = Atom1Feed if fmt == "atom" else Rss201rev2Feed
        return {
            "column": column,
            "title": COLUMNS[column][0],
            "value": COLUMNS[column][1],
            "agency": agency,
        }

    def title(self, obj: dict[str, Any]) -> str:
        from django.conf import settings

        prefix = f"{obj['agency'].name} · " if obj["agency"] else ""
        return f"{prefix}{obj['title']} - {getattr(settings, 'SITE_NAME', '政府信息公开')}"

    def link(self, obj: dict[str, Any]) -> str:
        url = reverse(f"portal:{obj['column']}")
        return url + (f"?agency={obj['agency'].code}" if obj["agency"] else "")

    def description(self, obj: dict[str, Any]) -> str:
        return f"{obj['title']}栏目最新发布的政府信息"

    def items(self, obj: dict[str, Any]) -> Any:
        qs = CatalogItem.objects.public().filter(column=obj["value"]).select_related("agency")
        if obj["agency"]:
            qs = qs.filter(agency=obj["agency"])
        return qs[:FEED_ITEMS]

    def item_title(self, item: CatalogItem) -> str:
        return item.title

    def item_description(self, item: CatalogItem) -> str:
        return item.summary or f"{item.agency.name} {item.doc_number}".strip()

    def item_link(self, item: CatalogItem) -> str:
        return reverse("portal:item", kwargs={"pk": item.pk})

    def item_pubdate(self, item: CatalogItem) -> Any:
        return item.published_at

    def item_updateddate(self, item: CatalogItem) -> Any:
        return item.updated_at

    def item_author_name(self, item: CatalogItem) -> str:
        return item.agency.name

    def item_guid(self, item: CatalogItem) -> str:
        return f"catalog-{item.pk}"

    item_guid_is_permalink = False


_column_feed = ColumnFeed()


@cached_page()
def feed(request: HttpRequest, column: str, fmt: str) -> HttpResponse:
    return _column_feed(request, column=column, fmt=fmt)


@cached_page()
def sitemap(request: HttpRequest) -> HttpResponse:
    """sitemap.xml: the fixed pages, then an index of item pages (SITEMAP_PAGE per file)."""
    total = CatalogItem.objects.public().count()
    pages = max(1, math.ceil(total / SITEMAP_PAGE))
    return render(
        request,
        "portal/sitemap_index.xml",
        {"pages": range(1, pages + 1)},
        content_type="application/xml; charset=utf-8",
    )


@cached_page()
def sitemap_page(request: HttpRequest, n: int) -> HttpResponse:
    from gongkai.portal.views import COLUMNS

    total = CatalogItem.objects.public().count()
    if n < 1 or (n - 1) * SITEMAP_PAGE >= max(total, 1):
        raise Http404("没有这一页。")
    qs = CatalogItem.objects.public().order_by("id").values_list("id", "updated_at")
    items = qs[(n - 1) * SITEMAP_PAGE : n * SITEMAP_PAGE]
    fixed = (
        [reverse("portal:home"), reverse("portal:guides")]
        + [reverse(f"portal:{c}") for c in COLUMNS]
        if n == 1
        else []
    )
    return render(
        request,
        "portal/sitemap.xml",
        {
            "fixed": fixed,
            "items": [(reverse("portal:item", kwargs={"pk": pk}), at) for pk, at in items],
        },
        content_type="application/xml; charset=utf-8",
    )
