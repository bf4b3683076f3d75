"""Public (portal) pages of the reports app."""

from django.shortcuts import render
from django.urls import path


def index(request):  # type: ignore[no-untyped-def]
    return render(request, "portal/column.html", {"title": "年度报告"})


app_name = "reports_public"
urlpatterns = [path("", index, name="index")]
