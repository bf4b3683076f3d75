"""Console pages for agencies: list, detail, create (system administrator), edit, staffing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.agencies import forms, services
from gongkai.agencies.models import Agency, Region
from gongkai.agencies.permissions import (
    can_edit_agency,
    can_edit_staffing,
    get_agency_for_user,
)
from gongkai.lib.views import AuthedRequest, paginate


@login_required
def agency_list(request: AuthedRequest) -> HttpResponse:
    qs = Agency.objects.for_user(request.user).select_related("region")
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(name__icontains=q)
    region = request.GET.get("region", "")
    if region.isdigit():
        region_obj = Region.objects.filter(code=region).first()
        qs = qs.in_region(region_obj) if region_obj else qs.none()
    return render(
        request,
        "agencies/agency_list.html",
        {
            "page": paginate(request, qs),
            "q": q,
            "region": region,
            "regions": Region.objects.exclude(level="township"),
        },
    )


@login_required
def agency_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, pk)
    return render(
        request,
        "agencies/agency_detail.html",
        {
            "agency": agency,
            "staffing": agency.staffing.all(),
            "can_edit": can_edit_agency(request.user, agency),
            "can_edit_staffing": can_edit_staffing(request.user, agency),
            "staffing_form": forms.StaffingForm(),
        },
    )


@login_required
def agency_create(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_system_admin:
        raise PermissionDenied("只有系统管理员可以新增机构。")
    form = forms.AgencyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                agency = services.agency_create(by=request.user, **form.cleaned_data)
                messages.success(request, f"已新增机构“{agency.name}”。")
                return redirect("agencies:detail", pk=agency.pk)
            except services.AgencyError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(
        request, "agencies/agency_form.html", {"form": form, "title": "新增机构"}, status=status
    )


@login_required
def agency_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, pk, write=True)
    form_class = forms.AgencyForm if request.user.is_system_admin else forms.AgencyOfficeForm
    form = form_class(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.agency_update(
                    agency=agency, by=request.user, **{k: form.cleaned_data[k] for k in form.fields}
                )
                messages.success(request, "已保存。")
                return redirect("agencies:detail", pk=agency.pk)
            except services.AgencyError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(
        request,
        "agencies/agency_form.html",
        {"form": form, "title": f"编辑 {agency.name}", "agency": agency},
        status=status,
    )


@login_required
@require_POST
def staffing_set(request: AuthedRequest, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, pk)
    if not can_edit_staffing(request.user, agency):
        raise PermissionDenied("您无权填报该机构的工作人员配置。")
    form = forms.StaffingForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "人员配置填写有误：" + "；".join(str(e) for errs in form.errors.values() for e in errs),
        )
        return redirect("agencies:detail", pk=agency.pk)
    try:
        services.staffing_set(agency=agency, by=request.user, **form.cleaned_data)
        messages.success(request, "已保存人员配置。")
    except services.AgencyError as exc:
        messages.error(request, str(exc))
    return redirect("agencies:detail", pk=agency.pk)
