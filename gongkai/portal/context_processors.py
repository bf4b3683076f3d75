from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """The site profile (footer) for every page; cached briefly, cleared when it is saved."""
    from gongkai.agencies.models import SiteProfile

    profile = cache.get("site_profile")
    if profile is None:
        profile = SiteProfile.current()
        cache.set("site_profile", profile, 300)
    return {"site": profile, "elder_mode": request.COOKIES.get("elder") == "1"}
