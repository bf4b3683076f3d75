"""Access functions of the API app: tokens are the security administrator's (三员分立:
credentials are security administration; nobody else sees them, not even their agency)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from gongkai.api.models import ApiToken
from gongkai.api.services import can_manage_tokens


def require_token_admin(user: Any) -> None:
    if not can_manage_tokens(user):
        raise PermissionDenied("只有安全管理员可以管理接口令牌。")


def tokens_for_user(user: Any) -> QuerySet[ApiToken]:
    """Every token for the security administrator; none for anybody else."""
    return ApiToken.objects.all() if can_manage_tokens(user) else ApiToken.objects.none()


def get_token_for_user(user: Any, pk: int | str) -> ApiToken:
    """The token with ``pk`` if ``user`` may manage it (404 otherwise, missing or not)."""
    try:
        return tokens_for_user(user).select_related("agency").get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError):
        raise Http404("令牌不存在。") from None
