"""Public (portal) pages of the outreach app: the list of public reading points."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from gongkai.lib.views import paginate
from gongkai.outreach.models import ReadingPoint


def index(request: HttpRequest) -> HttpResponse:
    points = ReadingPoint.objects.public().select_related("agency")
    return render(
        request,
        "outreach/portal_index.html",
        {"title": "查阅点", "page": paginate(request, points, per_page=50)},
    )


app_name = "outreach_public"
urlpatterns = [path("", index, name="index")]
