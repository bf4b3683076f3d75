"""Public portal pages. The portal owns no tables: it reads through other apps' querysets."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

COLUMNS = {
    "catalog": "主动公开",
    "notices": "通知公告",
    "news": "工作动态",
    "guides": "公开指南",
    "rules": "公开制度",
}


def home(request: HttpRequest) -> HttpResponse:
    columns = [
        (reverse("portal:catalog"), "主动公开"),
        (reverse("apply:index"), "依申请公开"),
        (reverse("portal:notices"), "通知公告"),
        (reverse("portal:news"), "工作动态"),
        (reverse("portal:guides"), "公开指南"),
        (reverse("portal:rules"), "公开制度"),
        (reverse("reports_public:index"), "年度报告"),
        (reverse("outreach_public:index"), "查阅点"),
    ]
    return render(request, "portal/home.html", {"columns": columns})


def column(request: HttpRequest, column: str) -> HttpResponse:
    return render(request, "portal/column.html", {"column": column, "title": COLUMNS[column]})


def elder_toggle(request: HttpRequest) -> HttpResponse:
    """Switch the 适老化 mode (larger text, high contrast, no motion); kept in a cookie."""
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

    if request.method != "POST":
        return HttpResponse("请使用页面上的按钮切换适老模式。", status=405)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    if request.COOKIES.get("elder") == "1":
        response.delete_cookie("elder")
    else:
        response.set_cookie("elder", "1", max_age=365 * 24 * 3600, samesite="Lax")
    return response
