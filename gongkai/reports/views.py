"""Console pages for annual reports: list/create, draft preview and narrative, publish,
new version, downloads."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency, Region
from gongkai.lib.views import paginate
from gongkai.reports import documents, fileio, forms, services
from gongkai.reports.compute import Scope
from gongkai.reports.flows import REPORT_WORKFLOW
from gongkai.reports.models import AnnualReport
from gongkai.reports.permissions import can_edit_report, get_report_for_user
from gongkai.reports.querysets import visible_region_ids


def _create_form(request: Any, data: Any = None) -> forms.ReportCreateForm:
    regions = visible_region_ids(request.user)
    return forms.ReportCreateForm(
        data,
        agencies=Agency.objects.for_business(request.user),
        regions=Region.objects.exclude(level="township")
        if regions is None
        else Region.objects.filter(pk__in=regions).exclude(level="township"),
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    qs = AnnualReport.objects.for_user(request.user).select_related("agency", "region")
    return render(
        request,
        "reports/report_list.html",
        {"page": paginate(request, qs), "form": _create_form(request)},
    )


@login_required
@require_POST
def report_create(request: Any) -> HttpResponse:
    form = _create_form(request, request.POST)
    if not form.is_valid():
        qs = AnnualReport.objects.for_user(request.user)
        return render(
            request,
            "reports/report_list.html",
            {"page": paginate(request, qs), "form": form},
            status=400,
        )
    d = form.cleaned_data
    agency = d.get("agency")
    if agency is not None:
        from gongkai.reports.permissions import REPORT_EDIT_ROLES

        if not (request.user.roles_in(agency.pk) & REPORT_EDIT_ROLES):
            messages.error(request, "您无权为该机关编制年度报告。")
            return redirect("reports:list")
    try:
        report = services.report_create(
            by=request.user, year=d["year"], style=d["style"], agency=agency, region=d.get("region")
        )
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:list")
    messages.success(request, "已创建报告草稿。")
    return redirect("reports:detail", pk=report.pk)


def _data(report: AnnualReport) -> dict:
    if report.data is not None:
        return report.data  # frozen
    data = documents.build_report_data(
        Scope(agency=report.agency, region=report.region),
        report.year,
        report.style,
        report.narrative,
    )
    data["title"] = report.title
    return data


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    data = _data(report)
    from gongkai.reports.validation import validate_report_data

    issues = validate_report_data(documents.export_data(data))
    narrative_form = forms.NarrativeForm(
        keys=list(report.narrative), initial_texts=report.narrative
    )
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "body": report.html or documents.render_html_fragment(data),
            "issues": issues,
            "can_edit": can_edit_report(request.user, report),
            "actions": REPORT_WORKFLOW.allowed(request.user, report),
            "narrative_form": narrative_form,
            "version_form": forms.NewVersionForm(),
            "versions": AnnualReport.objects.for_user(request.user).filter(
                agency=report.agency, region=report.region, year=report.year, style=report.style
            ),
        },
    )


@login_required
@require_POST
def report_narrative(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    form = forms.NarrativeForm(request.POST, keys=list(report.narrative))
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, "叙述文字填写有误：" + "；".join(problems))
        return redirect("reports:detail", pk=report.pk)
    try:
        services.report_update_narrative(report=report, by=request.user, narrative=form.texts())
        messages.success(request, "已保存叙述文字。")
    except services.ReportError as exc:
        messages.error(request, str(exc))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    try:
        services.report_publish(report=report, by=request.user)
        messages.success(request, "报告已发布，数据已冻结。")
    except services.ReportError as exc:
        messages.error(request, str(exc))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    form = forms.NewVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写新版本原因。")
        return redirect("reports:detail", pk=report.pk)
    try:
        new = services.report_new_version(
            report=report, by=request.user, reason=form.cleaned_data["reason"]
        )
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reports:detail", pk=report.pk)
    messages.success(request, f"已创建第{new.version}版草稿。")
    return redirect("reports:detail", pk=new.pk)


def download_response(report: AnnualReport, data: dict, fmt: str) -> HttpResponse:
    """The report in one export format (frozen data for published reports)."""
    name = f"annual-report-{report.year}-{report.pk}-v{report.version}"
    if fmt == "json":
        body = json.dumps(documents.export_data(data), ensure_ascii=False, indent=2)
        resp = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif fmt == "csv":
        resp = HttpResponse(
            fileio.write_csv(documents.export_data(data)), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        resp = HttpResponse(
            fileio.write_xlsx(documents.export_data(data), title=data.get("title", "")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "docx":
        resp = HttpResponse(
            documents.render_docx(data),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    elif fmt == "html":
        resp = HttpResponse(
            documents.render_standalone_html(data), content_type="text/html; charset=utf-8"
        )
        return resp
    elif fmt == "pdf":
        pdf = bytes(report.pdf) if report.pdf else None
        if pdf is None:
            from gongkai.lib.pdf import PdfUnavailableError

            try:
                pdf = documents.render_pdf(data)
            except PdfUnavailableError as exc:
                return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        resp = HttpResponse(pdf, content_type="application/pdf")
    else:
        raise Http404("不支持的格式。")
    from gongkai.lib.downloads import attachment_header

    label = report.title + (f"（第{report.version}版）" if report.version > 1 else "")
    resp["Content-Disposition"] = attachment_header(f"{label}.{fmt}", fallback=f"{name}.{fmt}")
    return resp


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    return download_response(report, _data(report), fmt)
