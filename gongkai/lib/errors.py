"""Chinese error pages for both audiences: the staff console (/console/, /accounts/, /admin/)
gets the console's frame, the public the portal's. ``handler403/404/500`` in ``gongkai.urls``;
``ChineseErrorPagesMiddleware`` also answers a view's ``Http404`` with the Chinese page when
``DEBUG`` is on (``make run``), where Django would otherwise show its English debug page —
the URL resolver's own 404s keep Django's debug page for developers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

STAFF_PREFIXES = ("/console/", "/accounts/", "/admin/")

PAGES = {
    400: ("请求有误", "您提交的请求无法处理，请检查后重新操作。"),
    403: ("无权访问", "您没有访问此页面的权限。如需此项权限，请联系本单位的安全管理员分配岗位。"),
    404: ("页面不存在", "您访问的页面不存在，或信息已撤回、不再公开。"),
}


def is_staff_path(request: HttpRequest) -> bool:
    return request.path.startswith(STAFF_PREFIXES)


def _message(exception: Any, default: str) -> str:
    """The exception's Chinese message when a view gave one (e.g. Http404("…不存在…"))."""
    text = str(exception or "").strip() if exception is not None else ""
    if text and any("\u4e00" <= ch <= "\u9fff" for ch in text) and len(text) < 200:
        return text
    return default


def error_page(request: HttpRequest, status: int, exception: Any = None) -> HttpResponse:
    heading, default = PAGES[status]
    template = "errors/console.html" if is_staff_path(request) else "errors/portal.html"
    context = {"status": status, "heading": heading, "message": _message(exception, default)}
    return render(request, template, context, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error_page(request, 400, exception)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error_page(request, 403, exception)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error_page(request, 404, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: a standalone page (no context processors, no database) that cannot fail itself."""
    staff = is_staff_path(request)
    html = loader.get_template("500.html").render({"staff": staff})
    return HttpResponseServerError(html)


class ChineseErrorPagesMiddleware:
    """With DEBUG on, a view's Http404 gets the Chinese page instead of Django's debug page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return error_page(request, 404, exception)
        return None
