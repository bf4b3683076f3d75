"""``{% item_interpretations item %}``: the published interpretations of a catalog item,
rendered on the portal's item page (templates/portal/item.html).

The list is cached under the portal's content version: publishing or withdrawing an
interpretation changes the search index, which bumps that version, so a stale list is
never shown — and the item page keeps its one-query budget when the cache is warm."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.cache import cache

register = template.Library()


@register.inclusion_tag("interaction/_item_interpretations.html")
def item_interpretations(item: Any) -> dict[str, Any]:
    from gongkai.interaction.models import Interpretation
    from gongkai.portal.caching import content_version

    key = f"interaction:item-interpretations:{content_version()}:{item.pk}"
    rows = cache.get(key)
    if rows is None:
        rows = list(
            Interpretation.objects.public().filter(items=item).values_list("pk", "title", "kind")
        )
        cache.set(key, rows, 300)
    labels = dict(Interpretation.Kind.choices)
    return {"interpretations": [(pk, title, labels.get(kind, "")) for pk, title, kind in rows]}
