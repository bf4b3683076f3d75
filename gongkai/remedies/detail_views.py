"""Console pages for one remedy case (conclude) and one complaint (close)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.audit.services import audit_log
from gongkai.remedies import forms, services
from gongkai.remedies.models import Complaint, RemedyCase
from gongkai.remedies.permissions import get_complaint_for_user, get_remedy_case_for_user
from gongkai.remedies.records import RecordError


def _case_page(
    request: HttpRequest, case: RemedyCase, form: Any, status: int = 200
) -> HttpResponse:
    """The case page; it shows the applicant's (plaintiff's) name, so each view is audited."""
    if case.applicant_name:
        audit_log(
            "remedies.case.personal_data_viewed",
            obj=case,
            message="查看案件详情（含申请人/原告姓名）",
        )
    return render(request, "remedies/case_detail.html", {"case": case, "form": form}, status=status)


def _complaint_page(
    request: HttpRequest, complaint: Complaint, form: Any, status: int = 200
) -> HttpResponse:
    """The complaint page; it shows the complainant's name, so each view is audited."""
    if complaint.complainant:
        audit_log(
            "remedies.complaint.personal_data_viewed",
            obj=complaint,
            message="查看投诉举报详情（含投诉人/申诉人姓名）",
        )
    return render(
        request, "remedies/complaint_detail.html", {"c": complaint, "form": form}, status=status
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_remedy_case_for_user(request.user, pk)
    return _case_page(request, case, forms.ConcludeForm())


@login_required
@require_POST
def case_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_remedy_case_for_user(request.user, pk, write=True)
    form = forms.ConcludeForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, form, status=400)
    try:
        services.remedy_case_conclude(case=case, by=request.user, **form.cleaned_data)
        messages.success(request, "已登记审结结果。")
    except RecordError as exc:
        messages.error(request, str(exc))
    return redirect("remedies:case", pk=case.pk)


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    return _complaint_page(request, complaint, forms.CloseForm())


@login_required
@require_POST
def complaint_close(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk, write=True)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        return _complaint_page(request, complaint, form, status=400)
    try:
        services.complaint_close(complaint=complaint, by=request.user, **form.cleaned_data)
        messages.success(request, "已办结。")
    except RecordError as exc:
        messages.error(request, str(exc))
    return redirect("remedies:complaint", pk=complaint.pk)
