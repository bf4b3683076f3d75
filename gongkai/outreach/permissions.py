"""Access function for reading points (deliveries and visit logs are reached through them)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.accounts.models import NON_VIEWER_ROLES
from gongkai.outreach.models import ReadingPoint


def get_reading_point_for_user(user: Any, pk: int | str, *, write: bool = False) -> ReadingPoint:
    """The reading point if ``user`` may see it (404 for missing and invisible alike);
    ``write`` also needs a non-read-only role in its agency (403)."""
    try:
        point = ReadingPoint.objects.for_user(user).select_related("agency").get(pk=pk)
    except (ReadingPoint.DoesNotExist, ValueError):
        raise Http404("查阅点不存在或无权查看。") from None
    if write and not user.roles_in(point.agency_id) & NON_VIEWER_ROLES:
        raise PermissionDenied("您无权修改该查阅点。")
    return point
