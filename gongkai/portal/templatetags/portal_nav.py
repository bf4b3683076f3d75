"""``{% nav_url "home" %}``: the fixed links of the portal header and footer
(templates/portal/base.html), reversed once per URL configuration instead of ~20
``{% url %}`` reversals on every page. Works without a request context (400.html).
``item_url_parts()`` does the same for the item page URLs of lists."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()

NAV_URLS: dict[str, tuple[str, dict[str, str]]] = {
    "home": ("portal:home", {}),
    "elder_toggle": ("portal:elder_toggle", {}),
    "search": ("portal:search", {}),
    "catalog": ("portal:catalog", {}),
    "notices": ("portal:notices", {}),
    "news": ("portal:news", {}),
    "guides": ("portal:guides", {}),
    "rules": ("portal:rules", {}),
    "sitemap": ("portal:sitemap", {}),
    "sitemap_html": ("portal:sitemap_html", {}),
    "feed_rss": ("portal:feed", {"column": "catalog", "fmt": "rss"}),
    "apply": ("apply:index", {}),
    "reports": ("reports_public:index", {}),
    "outreach": ("outreach_public:index", {}),
    "participation": ("interaction_public:participation", {}),
    "questions": ("interaction_public:questions", {}),
    "interviews": ("interaction_public:interviews", {}),
    "interpretations": ("interaction_public:interpretations", {}),
    "console": ("console:home", {}),
    "login": ("accounts:login", {}),
}
_cache: dict[tuple[str, Any], dict[str, str]] = {}
_item_parts: dict[tuple[str, Any], tuple[str, str]] = {}
_SENTINEL = 9876543210  # an item id no reversal can confuse with the rest of the URL


def nav_urls() -> dict[str, str]:
    """NAV_URLS reversed, memoised per (script prefix, urlconf)."""
    key = (get_script_prefix(), get_urlconf())
    urls = _cache.get(key)
    if urls is None:
        urls = {name: reverse(view, kwargs=kw) for name, (view, kw) in NAV_URLS.items()}
        _cache[key] = urls
    return urls


def item_url_parts() -> tuple[str, str]:
    """("/xxgk/", "/"): the item page URL around its id, so a list builds ``f"{a}{pk}{b}"``
    instead of reversing once per row. Memoised like ``nav_urls``."""
    key = (get_script_prefix(), get_urlconf())
    parts = _item_parts.get(key)
    if parts is None:
        url = reverse("portal:item", kwargs={"pk": _SENTINEL})
        prefix, _, suffix = url.partition(str(_SENTINEL))
        parts = _item_parts[key] = (prefix, suffix)
    return parts


@register.simple_tag
def nav_url(name: str) -> str:
    return nav_urls()[name]


@receiver(setting_changed)
def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _cache.clear()
        _item_parts.clear()
