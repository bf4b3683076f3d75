"""Public (portal) pages of the reports app: the list of published reports, each in HTML and PDF."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from gongkai.reports.models import AnnualReport


def index(request: HttpRequest) -> HttpResponse:
    reports = AnnualReport.objects.public().select_related("agency", "region")
    return render(request, "reports/portal_index.html", {"title": "年度报告", "reports": reports})


def _public_report(pk: int) -> AnnualReport:
    report = AnnualReport.objects.public().filter(pk=pk).first()
    if report is None:
        raise Http404("年度报告不存在或尚未发布。")
    return report


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _public_report(pk)
    return render(request, "reports/portal_detail.html", {"title": report.title, "report": report})


def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from gongkai.reports.views import download_response

    report = _public_report(pk)
    return download_response(report, report.data or {}, "pdf")


app_name = "reports_public"
urlpatterns = [
    path("", index, name="index"),
    path("<id:pk>/", detail, name="detail"),
    path("<id:pk>/report.pdf", pdf, name="pdf"),
]
