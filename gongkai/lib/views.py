"""Small helpers shared by views."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

if TYPE_CHECKING:
    from gongkai.accounts.models import User


class AuthedRequest(HttpRequest):
    """The request type of views behind ``login_required``: ``request.user`` is a real user."""

    user: User  # type: ignore[assignment]


def paginate(request: HttpRequest, queryset: Any, *, per_page: int = 20) -> Page:
    """Page ``queryset`` by ``?page=``; absurd or malformed page numbers give the nearest page."""
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("page", "1")
    number = int(raw) if raw.isdigit() and len(raw) < 7 else 1
    return paginator.get_page(number)
