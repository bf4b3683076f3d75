"""Console pages for one remedy case (conclude) and one complaint (close)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.remedies import forms, services
from gongkai.remedies.permissions import get_complaint_for_user, get_remedy_case_for_user
from gongkai.remedies.records import RecordError


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_remedy_case_for_user(request.user, pk)
    return render(
        request, "remedies/case_detail.html", {"case": case, "form": forms.ConcludeForm()}
    )


@login_required
@require_POST
def case_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_remedy_case_for_user(request.user, pk, write=True)
    form = forms.ConcludeForm(request.POST)
    if not form.is_valid():
        return render(
            request, "remedies/case_detail.html", {"case": case, "form": form}, status=400
        )
    try:
        services.remedy_case_conclude(case=case, by=request.user, **form.cleaned_data)
        messages.success(request, "已登记审结结果。")
    except RecordError as exc:
        messages.error(request, str(exc))
    return redirect("remedies:case", pk=case.pk)


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk)
    return render(
        request, "remedies/complaint_detail.html", {"c": complaint, "form": forms.CloseForm()}
    )


@login_required
@require_POST
def complaint_close(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, pk, write=True)
    form = forms.CloseForm(request.POST)
    if not form.is_valid():
        return render(
            request, "remedies/complaint_detail.html", {"c": complaint, "form": form}, status=400
        )
    try:
        services.complaint_close(complaint=complaint, by=request.user, **form.cleaned_data)
        messages.success(request, "已办结。")
    except RecordError as exc:
        messages.error(request, str(exc))
    return redirect("remedies:complaint", pk=complaint.pk)
