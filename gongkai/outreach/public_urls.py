"""Public (portal) pages of the outreach app."""

from django.shortcuts import render
from django.urls import path


def index(request):  # type: ignore[no-untyped-def]
    return render(request, "portal/column.html", {"title": "查阅点"})


app_name = "outreach_public"
urlpatterns = [path("", index, name="index")]
