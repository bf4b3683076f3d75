"""Refuse requests carrying NUL characters before any view sees them.

PostgreSQL text cannot hold U+0000: a NUL in a URL parameter (``/zwzx/%00/``), a query
string or a form value that reaches a filter raises ``DataError`` — a 500 on
PostgreSQL and a silent no-match on SQLite. Django's form fields already refuse NUL, but
views also read the path, ``request.GET`` and raw ``request.POST`` values, so the check is
made once here: such a request is a 400 (a 404 for the path) with a Chinese message, on
both databases.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def _has_nul(request: HttpRequest) -> bool:
    query = request.META.get("QUERY_STRING", "")
    if ("%00" in query or "\x00" in query) and any(
        "\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()
    ):
        return True
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.POST.lists())
    return False


class NulCharacterMiddleware:
    """404 for a NUL in the path, 400 in the query string or a form field (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:  # no page has such an address
            return self._refuse(request, 404, "页面不存在：网址中含有不允许的空字符（NUL）。")
        if _has_nul(request):
            return self._refuse(request, 400, "请求无效：网址或表单中含有不允许的空字符（NUL）。")
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):  # the API's one error shape (problem+json)
            from gongkai.api.problems import problem

            return problem(request, status, message)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
