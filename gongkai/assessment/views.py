"""Console pages of the assessment app, and the portal's published rankings.

Each view: parse (form) → access function → one service call → redirect/render; a domain
error becomes a message and a redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency
from gongkai.assessment import documents, forms, permissions, services
from gongkai.assessment.models import Assessment, Indicator, Result, Score
from gongkai.lib.views import AuthedRequest, paginate


def _errors(form: Any) -> str:
    return "；".join(
        f"{form.fields[k].label if k in form.fields else ''}{'：' if k in form.fields else ''}{' '.join(v)}"
        for k, v in form.errors.items()
    )


def _staff_only(user: Any) -> None:
    if user.admin_role:
        raise PermissionDenied("考核与监督属于业务数据，管理员无权访问。")


# --- assessments -----------------------------------------------------------------------------


@login_required
def assessment_list(request: AuthedRequest) -> HttpResponse:
    _staff_only(request.user)
    qs = permissions.assessments_for_user(request.user).select_related("region")
    return render(
        request,
        "assessment/assessment_list.html",
        {"page": paginate(request, qs), "is_assessor": permissions.is_assessor(request.user),
         "form": forms.AssessmentForm(initial={"year": timezone.localdate().year - 1})},
    )  # fmt: skip


@login_required
@require_POST
def assessment_create(request: AuthedRequest) -> HttpResponse:
    _staff_only(request.user)
    form = forms.AssessmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "填写有误：" + _errors(form))
        return redirect("assessment:list")
    try:
        a = services.assessment_create(by=request.user, **form.cleaned_data)
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessment:list")
    messages.success(request, "已创建考核，请确认考评细则后评分。")
    return redirect("assessment:detail", pk=a.pk)


@login_required
def assessment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    a, full = permissions.get_assessment_for_user(request.user, pk)
    visible = permissions.visible_agency_ids_in(request.user, a)
    manual = [i for i in a.indicators.all() if i.is_manual]
    return render(
        request,
        "assessment/assessment_detail.html",
        {
            "a": a, "full": full, "indicators": a.indicators.all(),
            "rows": documents.ranking_rows(a, visible), "manual": manual,
            "agencies": services.assessment_agencies(a) if full else [],
            "ratings": {(r.indicator_id, r.agency_id): r for i in manual for r in i.ratings.all()},
            "rating_form": forms.RatingForm(),
        },
    )  # fmt: skip


def _assessor(request: AuthedRequest, pk: int) -> Assessment:
    a, full = permissions.get_assessment_for_user(request.user, pk)
    if not full:
        raise PermissionDenied("只有组织考核的指导科可以操作。")
    return a


@login_required
@require_POST
def indicator_edit(request: AuthedRequest, pk: int, indicator: int) -> HttpResponse:
    a = _assessor(request, pk)
    ind = get_object_or_404(Indicator, pk=indicator, assessment=a)
    form = forms.IndicatorForm(request.POST)
    if not form.is_valid():
        messages.error(request, "填写有误：" + _errors(form))
        return redirect("assessment:detail", pk=a.pk)
    try:
        services.indicator_update(indicator=ind, by=request.user, **form.cleaned_data)
        messages.success(request, f"已修改指标“{ind.name}”，请重新评分。")
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    return redirect("assessment:detail", pk=a.pk)


@login_required
@require_POST
def rating_save(request: AuthedRequest, pk: int, indicator: int) -> HttpResponse:
    a = _assessor(request, pk)
    ind = get_object_or_404(Indicator, pk=indicator, assessment=a)
    form = forms.RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "填写有误：" + _errors(form))
        return redirect("assessment:detail", pk=a.pk)
    try:
        services.manual_rating_set(indicator=ind, by=request.user, **form.cleaned_data)
        messages.success(request, "已保存人工评分。")
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    return redirect("assessment:detail", pk=a.pk)


@login_required
@require_POST
def assessment_score(request: AuthedRequest, pk: int) -> HttpResponse:
    a = _assessor(request, pk)
    try:
        results = services.assessment_score(assessment=a, by=request.user)
        messages.success(request, f"已完成评分：{len(results)} 个机构。")
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    return redirect("assessment:detail", pk=a.pk)


@login_required
@require_POST
def assessment_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    a = _assessor(request, pk)
    publish = request.POST.get("action") != "unpublish"
    try:
        services.assessment_publish(assessment=a, by=request.user, publish=publish)
        messages.success(request, "已在门户网站公布考核结果。" if publish else "已撤回公布。")
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    return redirect("assessment:detail", pk=a.pk)


@login_required
def agency_scores(request: AuthedRequest, pk: int, agency: int) -> HttpResponse:
    """One agency's scores with the evidence behind each (its own staff, or the assessor)."""
    a, _full = permissions.get_assessment_for_user(request.user, pk)
    visible = permissions.visible_agency_ids_in(request.user, a)
    if visible is not None and agency not in visible:
        raise Http404("考核不存在或无权查看。")
    result = Result.objects.filter(assessment=a, agency_id=agency).select_related("agency").first()
    if result is None:
        raise Http404("该机构没有考核结果。")
    scores = Score.objects.filter(assessment=a, agency_id=agency).select_related("indicator")
    return render(
        request, "assessment/agency_scores.html", {"a": a, "result": result, "scores": scores}
    )


@login_required
def assessment_export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    a = _assessor(request, pk)
    if a.status == Assessment.Status.DRAFT and not a.results.exists():
        messages.error(request, "请先完成评分再导出。")
        return redirect("assessment:detail", pk=a.pk)
    if fmt == "xlsx":
        response = HttpResponse(
            documents.xlsx(a),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        from gongkai.lib.pdf import PdfUnavailableError

        try:
            response = HttpResponse(documents.pdf(a), content_type="application/pdf")
        except PdfUnavailableError as exc:
            messages.error(request, str(exc))
            return redirect("assessment:detail", pk=a.pk)
    response["Content-Disposition"] = f'attachment; filename="assessment-{a.pk}.{fmt}"'
    return response


# --- inspections -----------------------------------------------------------------------------


@login_required
def inspection_list(request: AuthedRequest) -> HttpResponse:
    _staff_only(request.user)
    qs = (
        permissions.inspections_for_user(request.user)
        .select_related("agency")
        .prefetch_related("findings")
    )
    tasks = (
        permissions.tasks_for_user(request.user)
        .exclude(status="closed")
        .select_related("finding__inspection__agency", "owner")
    )
    assessor = permissions.is_assessor(request.user)
    form = forms.InspectionForm()
    if assessor:
        form.fields["agency"].queryset = Agency.objects.active().filter(  # type: ignore[attr-defined]
            region_id__in=permissions.guidance_region_ids(request.user)
        )
    return render(
        request, "assessment/inspection_list.html",
        {"page": paginate(request, qs), "tasks": tasks, "is_assessor": assessor, "form": form,
         "today": timezone.localdate()},
    )  # fmt: skip


@login_required
@require_POST
def inspection_create(request: AuthedRequest) -> HttpResponse:
    _staff_only(request.user)
    form = forms.InspectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "填写有误：" + _errors(form))
        return redirect("assessment:inspections")
    try:
        ins = services.inspection_create(by=request.user, **form.cleaned_data)
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessment:inspections")
    return redirect("assessment:inspection", pk=ins.pk)


@login_required
def inspection_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    ins = permissions.get_inspection_for_user(request.user, pk)
    findings = ins.findings.select_related("task__owner").prefetch_related("task__follow_ups")
    return render(
        request, "assessment/inspection_detail.html",
        {"ins": ins, "findings": findings, "is_assessor": permissions.can_run(request.user, ins.agency.region),
         "form": forms.FindingForm(), "follow_form": forms.FollowUpForm(), "today": timezone.localdate()},
    )  # fmt: skip


@login_required
@require_POST
def finding_create(request: AuthedRequest, pk: int) -> HttpResponse:
    ins = permissions.get_inspection_for_user(request.user, pk)
    form = forms.FindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "填写有误：" + _errors(form))
        return redirect("assessment:inspection", pk=ins.pk)
    try:
        services.finding_add(inspection=ins, by=request.user, **form.cleaned_data)
        messages.success(request, "已登记检查发现。")
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    return redirect("assessment:inspection", pk=ins.pk)


@login_required
@require_POST
def task_follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    task = permissions.get_task_for_user(request.user, pk)
    form = forms.FollowUpForm(request.POST)
    back = redirect("assessment:inspection", pk=task.finding.inspection_id)
    if not form.is_valid():
        messages.error(request, "填写有误：" + _errors(form))
        return back
    try:
        services.task_follow_up(task=task, by=request.user, **form.cleaned_data)
        messages.success(request, "已记录整改跟踪。")
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    return back


# --- work plans ------------------------------------------------------------------------------


@login_required
def workplan_list(request: AuthedRequest) -> HttpResponse:
    _staff_only(request.user)
    plans = (
        permissions.workplans_for_user(request.user)
        .select_related("region")
        .prefetch_related("tasks")
    )
    return render(request, "assessment/workplan_list.html", {"plans": plans})


@login_required
def workplan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = permissions.get_workplan_for_user(request.user, pk)
    tasks = plan.tasks.select_related("owner_agency", "owner").prefetch_related("updates__by")
    return render(
        request, "assessment/workplan_detail.html",
        {"plan": plan, "tasks": tasks, "form": forms.ProgressForm(),
         "assessor": permissions.can_run(request.user, plan.region)},
    )  # fmt: skip


@login_required
@require_POST
def worktask_progress(request: AuthedRequest, pk: int, task: int) -> HttpResponse:
    plan = permissions.get_workplan_for_user(request.user, pk)
    t = get_object_or_404(plan.tasks, pk=task)
    form = forms.ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, "填写有误：" + _errors(form))
        return redirect("assessment:workplan", pk=plan.pk)
    try:
        services.worktask_progress(task=t, by=request.user, **form.cleaned_data)
        messages.success(request, "已报送进展。")
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
    return redirect("assessment:workplan", pk=plan.pk)


# --- portal ----------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    qs = Assessment.objects.filter(status=Assessment.Status.PUBLISHED).select_related("region")
    return render(request, "assessment/public_list.html", {"assessments": qs})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_object_or_404(Assessment, pk=pk, status=Assessment.Status.PUBLISHED)
    return render(
        request, "assessment/public_detail.html",
        {"a": a, "indicators": a.indicators.all(), "rows": documents.ranking_rows(a)},
    )  # fmt: skip
