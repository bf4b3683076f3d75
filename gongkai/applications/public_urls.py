"""Public (portal) pages of the applications app."""

from django.shortcuts import render
from django.urls import path


def index(request):  # type: ignore[no-untyped-def]
    return render(request, "portal/column.html", {"title": "依申请公开"})


app_name = "apply"
urlpatterns = [path("", index, name="index")]
