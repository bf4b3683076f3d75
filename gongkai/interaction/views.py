"""Console pages of 互动交流 (/console/interaction/): the 留言 queue and its steps, statistics,
interpretations, consultations, surveys and interviews.

Every view: parse (form) → access function → one service call → redirect/render; a domain
error becomes a message and a redirect (or the form again with a 400), never a 500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.agencies.querysets import visible_agency_ids
from gongkai.audit.services import audit_log
from gongkai.interaction import forms, services
from gongkai.interaction.models import (
    Comment,
    Consultation,
    Interpretation,
    Interview,
    InterviewQuestion,
    Question,
    Survey,
)
from gongkai.interaction.permissions import (
    can_see_personal_data,
    can_write,
    get_consultation_for_user,
    get_interpretation_for_user,
    get_interview_for_user,
    get_question_for_user,
    get_survey_for_user,
)
from gongkai.interaction.services import InteractionError
from gongkai.interaction.services.common import REVIEW_ROLES, is_coordinator
from gongkai.interaction.services.stats import agency_chart, month_chart
from gongkai.lib.codes import mask
from gongkai.lib.views import paginate


def _staff(request: HttpRequest, *, record: bool = False) -> None:
    """The console's interaction pages are for agency staff (not the three administrators).

    On a record's page (``record``) the three administrators get 404 like everyone who may
    not see the record (三员分立: a business object does not exist for them), elsewhere 403."""
    user = request.user
    if record and user.admin_role:  # type: ignore[union-attr]
        raise Http404("该记录不存在或无权查看。")
    if user.admin_role or not user.active_memberships:  # type: ignore[union-attr]
        raise PermissionDenied("互动交流仅供各机关工作人员使用。")


def _create_view(
    request: HttpRequest, form: Any, save: Callable[..., Any], *, ok: str, target: str, heading: str
) -> HttpResponse:
    """The console's "new record" page: the form, then ``save(by=…, **cleaned_data)``; a
    refused or invalid form is shown again with a 400."""
    if request.method == "POST":
        if form.is_valid():
            try:
                obj = save(by=request.user, **form.cleaned_data)
            except InteractionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, ok)
                return redirect(target, pk=obj.pk)
        status = 400
    else:
        status = 200
    context = {"form": form, "heading": heading}
    return render(request, "interaction/simple_form.html", context, status=status)


def _run(request: HttpRequest, fn: Callable[[], Any], ok: str) -> bool:
    try:
        fn()
    except InteractionError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, ok)
    return True


def _int(value: Any) -> int:
    text = str(value or "")[:18]
    return int(text) if text.isdecimal() else 0


def _invalid(request: HttpRequest, form: Any) -> None:
    errors = [str(e) for errs in form.errors.values() for e in errs]
    messages.error(request, "；".join(errors) or "输入有误。")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _staff(request)
    today = timezone.localdate()
    qs = Question.objects.for_user(request.user)
    ids = visible_agency_ids(request.user)
    return render(
        request,
        "interaction/home.html",
        {
            "counts": {
                "submitted": qs.filter(status="submitted").count(),
                "assigned": qs.filter(status="assigned").count(),
                "answered": qs.filter(status="answered").count(),
                "due_soon": qs.due_soon(today, today + dt.timedelta(days=2)).count(),
                "overdue": qs.overdue(today).count(),
            },
            "missing": services.policies_missing_interpretation(today=today, agency_ids=ids)[:20],
        },
    )


# --- 留言 ---------------------------------------------------------------------------------


@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    today = timezone.localdate()
    qs = Question.objects.for_user(request.user).select_related("agency")
    status = request.GET.get("status", "")
    due = request.GET.get("due", "")
    if status in Question.Status.values:
        qs = qs.filter(status=status)
    if due == "soon":
        qs = qs.due_soon(today, today + dt.timedelta(days=2))
    elif due == "overdue":
        qs = qs.overdue(today)
    return render(
        request,
        "interaction/question_list.html",
        {
            "page": paginate(request, qs.order_by("due_on", "-pk") if due else qs),
            "status": status,
            "due": due,
            "statuses": Question.Status.choices,
            "today": today,
        },
    )


@login_required
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request, record=True)
    q = get_question_for_user(request.user, pk)
    user = request.user
    personal = can_see_personal_data(user, q)
    if personal and (q.name or q.contact):  # the page shows the decrypted name and contact
        audit_log(
            "interaction.question.personal_data_viewed",
            obj=q,
            message="查看留言详情（含未遮蔽的留言人姓名、联系方式）",
        )
    reviewer = bool(q.agency_id and user.roles_in(q.agency_id) & REVIEW_ROLES)  # type: ignore[union-attr]
    return render(
        request,
        "interaction/question_detail.html",
        {
            "q": q,
            "name": q.name if personal else mask(q.name, keep_start=1, keep_end=0),
            "contact": q.contact if personal else mask(q.contact),
            "events": q.events.select_related("actor"),
            "coordinator": is_coordinator(user, q.agency_id),
            "writer": bool(q.agency_id) and can_write(user, q.agency_id),
            "reviewer": reviewer,
            "route_form": forms.RouteForm(user=user, initial={"agency": q.suggested_agency}),
            "answer_form": forms.AnswerForm(initial={"text": q.answer_text}),
            "review_form": forms.ReviewForm(),
            "reason_form": forms.ReasonForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def question_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of a 留言: route, reject, return, answer, review or unpublish."""
    _staff(request, record=True)
    q = get_question_for_user(request.user, pk)
    user = request.user
    back = redirect("interaction:question", pk=q.pk)
    if action == "route":
        form: Any = forms.RouteForm(request.POST, user=user)
        if form.is_valid():
            _run(
                request,
                lambda: services.question_route(
                    question=q,
                    agency=form.cleaned_data["agency"],
                    by=user,
                    comment=form.cleaned_data["comment"],
                ),
                "已分办。",
            )
        else:
            _invalid(request, form)
    elif action in ("reject", "return", "unpublish"):
        form = forms.ReasonForm(request.POST)
        if form.is_valid():
            fn = {
                "reject": services.question_reject,
                "return": services.question_return,
                "unpublish": services.question_unpublish,
            }[action]
            ok = {
                "reject": "已决定不予受理（留言及理由已保存）。",
                "return": "已退回协调办重新分办。",
                "unpublish": "已从网站撤下。",
            }
            _run(
                request,
                lambda: fn(question=q, by=user, reason=form.cleaned_data["reason"]),
                ok[action],
            )
        else:
            _invalid(request, form)
    elif action == "answer":
        form = forms.AnswerForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.question_answer(
                    question=q, by=user, text=form.cleaned_data["text"]
                ),
                "答复已提交审核。",
            )
        else:
            _invalid(request, form)
    elif action == "review":
        form = forms.ReviewForm(request.POST)
        if form.is_valid():
            decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
            if decision == "return":
                _run(
                    request,
                    lambda: services.question_review_return(question=q, by=user, comment=comment),
                    "已退回修改。",
                )
            else:
                _run(
                    request,
                    lambda: services.question_review_approve(
                        question=q, by=user, publish=decision == "publish", comment=comment
                    ),
                    "审核通过，已答复。" + ("答复已在网站公开。" if decision == "publish" else ""),
                )
        else:
            _invalid(request, form)
    else:
        return HttpResponse("未知的操作。", status=404)
    return back


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """Statistics per agency and month; ``?format=xlsx`` exports the yearly report sheet."""
    _staff(request)
    form = forms.YearForm(request.GET or {"year": timezone.localdate().year})
    if not form.is_valid():
        return render(request, "interaction/stats.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    ids = visible_agency_ids(request.user)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            services.yearly_xlsx(year, ids),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="interaction-{year}.xlsx"'
        return response
    rows, total = services.question_stats(year, ids)
    from gongkai.interaction.services.stats import COUNT_LABELS

    counts = services.yearly_counts(year, ids)
    return render(
        request,
        "interaction/stats.html",
        {
            "form": form,
            "year": year,
            "rows": rows,
            "total": total,
            "month_chart": month_chart(total, year),
            "agency_chart": agency_chart(rows, year) if rows else "",
            "counts": [(COUNT_LABELS[k], v) for k, v in counts.items()],
            "narrative": services.narrative(year, ids),
        },
    )


# --- 解读回应 ------------------------------------------------------------------------------


@login_required
def interpretation_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    ids = visible_agency_ids(request.user)
    return render(
        request,
        "interaction/interpretation_list.html",
        {
            "page": paginate(
                request, Interpretation.objects.for_user(request.user).select_related("agency")
            ),
            "missing": services.policies_missing_interpretation(agency_ids=ids),
        },
    )


def _interpretation_kwargs(form: Any) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "agency": d["agency"],
        "kind": d["kind"],
        "title": d["title"],
        "body": d["body"],
        "video_url": d["video_url"] or "",
        "graphic": d["graphic"],
        "graphic_alt": d["graphic_alt"],
        "items": d["items"],
    }


@login_required
def interpretation_new(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = forms.InterpretationForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                obj = services.interpretation_save(by=request.user, **_interpretation_kwargs(form))
            except InteractionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "已保存为草稿。")
                return redirect("interaction:interpretation", pk=obj.pk)
        return render(request, "interaction/interpretation_form.html", {"form": form}, status=400)
    initial_item = request.GET.get("item", "")[:40]
    if initial_item:
        form.initial["items"] = initial_item
    return render(request, "interaction/interpretation_form.html", {"form": form})


@login_required
def interpretation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request, record=True)
    write = request.method == "POST"
    obj = get_interpretation_for_user(request.user, pk, write=write)
    initial = {
        "agency": obj.agency,
        "kind": obj.kind,
        "title": obj.title,
        "body": obj.body,
        "video_url": obj.video_url,
        "graphic_alt": obj.graphic_alt,
        "items": "\n".join(i.index_number or str(i.pk) for i in obj.items.all()),
    }
    form = forms.InterpretationForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    status = 200
    if write:
        action = request.POST.get("action", "save")
        if action == "publish":
            _run(
                request,
                lambda: services.interpretation_publish(interpretation=obj, by=request.user),
                "已发布。",
            )
            return redirect("interaction:interpretation", pk=obj.pk)
        if action == "withdraw":
            reason = forms.ReasonForm(request.POST)
            if reason.is_valid():
                _run(
                    request,
                    lambda: services.interpretation_withdraw(
                        interpretation=obj, by=request.user, reason=reason.cleaned_data["reason"]
                    ),
                    "已撤回。",
                )
            else:
                _invalid(request, reason)
            return redirect("interaction:interpretation", pk=obj.pk)
        if form.is_valid():
            try:
                services.interpretation_save(
                    by=request.user, interpretation=obj, **_interpretation_kwargs(form)
                )
            except InteractionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "已保存。")
                return redirect("interaction:interpretation", pk=obj.pk)
        status = 400
    return render(
        request,
        "interaction/interpretation_detail.html",
        {"obj": obj, "form": form, "reason_form": forms.ReasonForm(), "items": obj.items.all()},
        status=status,
    )


# --- 意见征集 ------------------------------------------------------------------------------


@login_required
def consultation_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = Consultation.objects.for_user(request.user).select_related("agency")
    return render(request, "interaction/consultation_list.html", {"page": paginate(request, qs)})


@login_required
def consultation_new(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = forms.ConsultationForm(request.POST or None, request.FILES or None, user=request.user)
    return _create_view(
        request,
        form,
        services.consultation_save,
        ok="已保存，发布后在门户网站“调查征集”栏目显示。",
        target="interaction:consultation",
        heading="发起意见征集",
    )


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request, record=True)
    obj = get_consultation_for_user(request.user, pk)
    return render(
        request,
        "interaction/consultation_detail.html",
        {
            "obj": obj,
            "comments": obj.comments.select_related("moderated_by"),
            "moderate_form": forms.ModerateForm(),
            "feedback_form": forms.FeedbackForm(initial={"feedback": obj.feedback}),
            "writer": can_write(request.user, obj.agency_id),
        },
    )


@login_required
@require_POST
def consultation_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _staff(request, record=True)
    obj = get_consultation_for_user(request.user, pk, write=True)
    user = request.user
    if action == "publish":
        _run(request, lambda: services.consultation_publish(consultation=obj, by=user), "已发布。")
    elif action == "feedback":
        form: Any = forms.FeedbackForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.consultation_publish_feedback(
                    consultation=obj, by=user, feedback=form.cleaned_data["feedback"]
                ),
                "意见采纳情况已发布。",
            )
        else:
            _invalid(request, form)
    elif action == "moderate":
        form = forms.ModerateForm(request.POST)
        comment = Comment.objects.filter(
            consultation=obj, pk=_int(request.POST.get("comment"))
        ).first()
        if comment is None:
            messages.error(request, "意见不存在。")
        elif form.is_valid():
            _run(
                request,
                lambda: services.comment_moderate(
                    comment=comment,
                    by=user,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                ),
                "已审核。",
            )
        else:
            _invalid(request, form)
    else:
        return HttpResponse("未知的操作。", status=404)
    return redirect("interaction:consultation", pk=obj.pk)


# --- 网上调查 ------------------------------------------------------------------------------


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = Survey.objects.for_user(request.user).select_related("agency")
    return render(request, "interaction/survey_list.html", {"page": paginate(request, qs)})


@login_required
def survey_new(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = forms.SurveyCreateForm(request.POST or None, user=request.user)
    return _create_view(
        request,
        form,
        services.survey_create,
        ok="调查已保存，发布后在门户网站显示。",
        target="interaction:survey",
        heading="发起网上调查",
    )


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request, record=True)
    obj = get_survey_for_user(request.user, pk, write=request.method == "POST")
    if request.method == "POST":
        _run(request, lambda: services.survey_publish(survey=obj, by=request.user), "已发布。")
        return redirect("interaction:survey", pk=obj.pk)
    from gongkai.reports.charts import hbar_chart

    results = services.survey_results(obj)
    for r in results:
        r["chart"] = hbar_chart(r["question"].text, r["options"]) if r["options"] else ""
    return render(
        request,
        "interaction/survey_detail.html",
        {
            "obj": obj,
            "results": results,
            "responses": obj.responses.count(),
            "writer": can_write(request.user, obj.agency_id),
        },
    )


# --- 在线访谈 ------------------------------------------------------------------------------


@login_required
def interview_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = Interview.objects.for_user(request.user).select_related("agency")
    return render(request, "interaction/interview_list.html", {"page": paginate(request, qs)})


@login_required
def interview_new(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = forms.InterviewForm(request.POST or None, user=request.user)
    return _create_view(
        request,
        form,
        services.interview_save,
        ok="访谈已保存，发布后在门户网站“在线咨询”栏目预告。",
        target="interaction:interview",
        heading="安排在线访谈",
    )


@login_required
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request, record=True)
    obj = get_interview_for_user(request.user, pk)
    return render(
        request,
        "interaction/interview_detail.html",
        {
            "obj": obj,
            "questions": obj.questions.select_related("moderated_by"),
            "moderate_form": forms.ModerateForm(),
            "transcript_form": forms.TranscriptForm(initial={"transcript": obj.transcript}),
            "writer": can_write(request.user, obj.agency_id),
        },
    )


@login_required
@require_POST
def interview_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _staff(request, record=True)
    obj = get_interview_for_user(request.user, pk, write=True)
    user = request.user
    if action == "publish":
        _run(
            request, lambda: services.interview_publish(interview=obj, by=user), "已发布访谈预告。"
        )
    elif action == "transcript":
        form: Any = forms.TranscriptForm(request.POST)
        if form.is_valid():
            _run(
                request,
                lambda: services.interview_publish_transcript(
                    interview=obj, by=user, transcript=form.cleaned_data["transcript"]
                ),
                "访谈实录已发布。",
            )
        else:
            _invalid(request, form)
    elif action == "moderate":
        form = forms.ModerateForm(request.POST)
        question = InterviewQuestion.objects.filter(
            interview=obj, pk=_int(request.POST.get("question"))
        ).first()
        if question is None:
            messages.error(request, "提问不存在。")
        elif form.is_valid():
            _run(
                request,
                lambda: services.interview_question_moderate(
                    question=question,
                    by=user,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                    answer=form.cleaned_data["answer"],
                ),
                "已审核。",
            )
        else:
            _invalid(request, form)
    else:
        return HttpResponse("未知的操作。", status=404)
    return redirect("interaction:interview", pk=obj.pk)
