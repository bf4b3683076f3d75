"""Access functions for user accounts (managed by the security administrator only)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from gongkai.accounts.models import User


def users_for_user(user: Any):  # type: ignore[no-untyped-def]
    """Accounts the user may see: all of them for the security administrator, else none."""
    if user.is_authenticated and user.is_security_admin:
        return User.objects.all()
    return User.objects.none()


def get_user_for_user(user: Any, pk: int | str, *, write: bool = False) -> User:
    """The account ``pk`` if ``user`` is the security administrator; 404 otherwise."""
    try:
        return users_for_user(user).get(pk=pk)
    except (User.DoesNotExist, ValueError):
        raise Http404("用户不存在或无权查看。") from None
