"""Portal pages of 互动交流: 政务咨询 (/zwzx/), 热点回应 (/rdhy/), 调查征集 (/dczj/) and
在线咨询 (/zxzx/, online interviews).

Submissions carry the self-hosted captcha and a per-IP rate limit (``gongkai.lib.ratelimit``).
A citizen reaches their own 留言 only through number + query code (failures rate-limited),
which grants this browser session that one 留言, as for 依申请公开.

Survey answers, one per person without an account: a random browser token in a signed
cookie (``gk_voter``, set when the survey page is shown), whose keyed hash is unique per
survey; a keyed hash of the client IP caps the answers from one address
(``INTERACTION_SURVEY_MAX_PER_IP``); and the captcha stops scripted cookie-less rounds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from gongkai.interaction import forms, services
from gongkai.interaction.models import (
    Consultation,
    Interpretation,
    Interview,
    InterviewQuestion,
    Question,
    Survey,
    answer_workdays,
)
from gongkai.interaction.services import InteractionError
from gongkai.interaction.services.stats import agency_chart, month_chart
from gongkai.lib import ratelimit
from gongkai.lib.views import paginate

SESSION_GRANTS = "zwzx_granted"
SESSION_NEW = "zwzx_new"
VOTER_COOKIE = "gk_voter"
VOTER_SALT = "gongkai.interaction.voter"


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _too_many(request: HttpRequest, scope: str, setting: str, default: int) -> bool:
    """Count one submission of this client; True when over the hourly limit."""
    ip = ratelimit.client_ip(request)
    return not ratelimit.allow(scope, ip, limit=_limit(setting, default), window=3600)


def _limited(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["limited"] = "提交过于频繁，请一小时后再试。"
    return render(request, template, context, status=429)


def _keyed(*parts: Any) -> str:
    key = hashlib.sha256(("gongkai-interaction|" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, "|".join(str(p) for p in parts).encode(), hashlib.sha256).hexdigest()


# --- 政务咨询 ------------------------------------------------------------------------------


def questions(request: HttpRequest) -> HttpResponse:
    """Published exchanges (受理日期、答复日期、答复部门、答复内容), searchable."""
    q = (request.GET.get("q") or "").strip()[:100]
    qs = Question.objects.public().select_related("agency").order_by("-answered_on", "-pk")
    error = ""
    if q:
        from gongkai.search.api import SearchQuery, SearchQueryError, search

        try:
            hits = search(SearchQuery(q=q, kind="question", per_page=50)).hits
        except SearchQueryError as exc:
            error, hits = str(exc), []
        ids = [int(h.key.split(":", 1)[1]) for h in hits if h.key.split(":", 1)[1].isdigit()]
        qs = qs.filter(pk__in=ids)
    return render(
        request,
        "interaction/public_questions.html",
        {"title": "政务咨询", "page": paginate(request, qs), "q": q, "error": error},
        status=400 if error else 200,
    )


def question_detail(request: HttpRequest, number: str) -> HttpResponse:
    q = get_object_or_404(Question.objects.public().select_related("agency"), number=number[:20])
    from gongkai.publishing.scanner import mask_personal

    return render(
        request,
        "interaction/public_question.html",
        {"title": q.title, "q": q, "body": mask_personal(q.body)},
    )


def question_new(request: HttpRequest) -> HttpResponse:
    form = forms.QuestionForm(request.POST or None)
    template = "interaction/public_question_form.html"
    context: dict[str, Any] = {"title": "我要留言", "form": form, "workdays": answer_workdays()}
    if request.method != "POST":
        return render(request, template, context)
    if _too_many(request, "interaction.question.ip", "INTERACTION_QUESTION_MAX_PER_IP", 5):
        return _limited(request, template, context)
    if form.is_valid():
        try:
            question, code = services.question_submit(
                data=form.cleaned_data, suggested_agency=form.cleaned_data["suggested_agency"]
            )
        except InteractionError as exc:
            form.add_error(None, str(exc))
        else:
            request.session[SESSION_NEW] = {"number": question.number, "code": code}
            _grant(request, question)
            return redirect("interaction_public:question_submitted")
    return render(request, template, context, status=400)


def question_submitted(request: HttpRequest) -> HttpResponse:
    new = request.session.pop(SESSION_NEW, None)
    if not new:
        return redirect("interaction_public:question_track")
    q = Question.objects.filter(number=new.get("number", "")).first()
    if q is None:
        return redirect("interaction_public:question_track")
    response = render(
        request,
        "interaction/public_question_submitted.html",
        {"title": "留言已提交", "q": q, "code": new["code"]},
    )
    response["Cache-Control"] = "no-store"
    return response


def _grant(request: HttpRequest, q: Question) -> None:
    grants = [pk for pk in request.session.get(SESSION_GRANTS, []) if pk != q.pk]
    request.session[SESSION_GRANTS] = (grants + [q.pk])[-20:]


def question_track(request: HttpRequest) -> HttpResponse:
    """Number + query code → this session may see that 留言's status (failures limited)."""
    form = forms.TrackForm(request.POST or None)
    template = "interaction/public_question_track.html"
    context: dict[str, Any] = {"title": "留言查询", "form": form}
    if request.method != "POST":
        return render(request, template, context)
    ip = ratelimit.client_ip(request)
    if ratelimit.exceeded(
        "interaction.track.fail", ip, limit=_limit("INTERACTION_TRACK_MAX_FAILURES", 20)
    ):
        return _limited(request, template, context)
    if form.is_valid():
        q = services.question_check_code(form.cleaned_data["number"], form.cleaned_data["code"])
        if q is not None:
            request.session.cycle_key()
            _grant(request, q)
            return redirect("interaction_public:question_status", number=q.number)
        ratelimit.hit("interaction.track.fail", ip, window=900)
        context["error"] = "留言编号或查询码不正确。"
    return render(request, template, context, status=400)


def question_status(request: HttpRequest, number: str) -> HttpResponse:
    q = Question.objects.filter(number=number[:20]).select_related("agency").first()
    if q is None or q.pk not in request.session.get(SESSION_GRANTS, []):
        raise Http404("留言不存在。")
    response = render(
        request,
        "interaction/public_question_status.html",
        {"title": f"留言{q.number}", "q": q, "events": q.events.filter(public=True)},
    )
    response["Cache-Control"] = "no-store"
    return response


def question_stats(request: HttpRequest) -> HttpResponse:
    """Statistics per answering agency for a year, and a chart per month."""
    form = forms.YearForm(request.GET or {"year": timezone.localdate().year})
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    rows, total = services.question_stats(year)
    years = sorted(
        {d.year for d in Question.objects.dates("received_on", "year")} | {year}, reverse=True
    )
    return render(
        request,
        "interaction/public_question_stats.html",
        {
            "title": "留言办理统计",
            "year": year,
            "years": years,
            "rows": rows,
            "total": total,
            "month_chart": month_chart(total, year),
            "agency_chart": agency_chart(rows, year) if rows else "",
        },
        status=200 if form.is_valid() else 400,
    )


# --- 热点回应 / 政策解读 ----------------------------------------------------------------------


def interpretations(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    qs = Interpretation.objects.public().select_related("agency")
    if kind in Interpretation.Kind.values:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "interaction/public_interpretations.html",
        {
            "title": "热点回应",
            "page": paginate(request, qs),
            "kind": kind,
            "kinds": Interpretation.Kind.choices,
        },
    )


def interpretation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(Interpretation.objects.public().select_related("agency"), pk=pk)
    from gongkai.publishing.models import CatalogItem

    items = CatalogItem.objects.public().filter(interpretations=obj)
    return render(
        request,
        "interaction/public_interpretation.html",
        {"title": obj.title, "obj": obj, "items": items, "body_paragraphs": obj.body.splitlines()},
    )


def interpretation_graphic(request: HttpRequest, pk: int) -> FileResponse:
    obj = get_object_or_404(Interpretation.objects.public(), pk=pk)
    if not obj.graphic:
        raise Http404("没有图解。")
    try:
        handle = obj.graphic.open("rb")
    except FileNotFoundError as exc:
        raise Http404("图解文件不存在。") from exc
    ext = obj.graphic.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(handle, content_type="image/png" if ext == "png" else "image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- 调查征集 ------------------------------------------------------------------------------


def participation(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "interaction/public_participation.html",
        {
            "title": "调查征集",
            "consultations": Consultation.objects.public().select_related("agency")[:50],
            "surveys": Survey.objects.public().select_related("agency")[:50],
        },
    )


def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(Consultation.objects.public().select_related("agency"), pk=pk)
    form = forms.CommentForm(request.POST or None)
    template = "interaction/public_consultation.html"
    context: dict[str, Any] = {
        "title": obj.title,
        "obj": obj,
        "form": form,
        "comments": obj.comments.approved(),
        "phase": obj.phase(),
    }
    if request.method != "POST":
        return render(request, template, context)
    if _too_many(request, "interaction.comment.ip", "INTERACTION_COMMENT_MAX_PER_IP", 10):
        return _limited(request, template, context)
    if form.is_valid():
        try:
            services.comment_submit(
                consultation=obj,
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                body=form.cleaned_data["body"],
            )
        except InteractionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "您的意见已提交，经审核后公开（不公开姓名和联系方式）。")
            return redirect("interaction_public:consultation", pk=obj.pk)
    return render(request, template, context, status=400)


def consultation_draft(request: HttpRequest, pk: int) -> FileResponse:
    obj = get_object_or_404(Consultation.objects.public(), pk=pk)
    if not obj.draft:
        raise Http404("没有征求意见稿。")
    try:
        handle = obj.draft.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在。") from exc
    return FileResponse(handle, as_attachment=True, filename=obj.draft_name or "征求意见稿")


def _voter_token(request: HttpRequest) -> str:
    token = request.get_signed_cookie(VOTER_COOKIE, default="", salt=VOTER_SALT)
    return token if isinstance(token, str) and len(token) == 32 else ""


def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.public().select_related("agency"), pk=pk)
    token = _voter_token(request)
    answered = (
        bool(token)
        and survey.responses.filter(voter_key=_keyed("voter", survey.pk, token)).exists()
    )
    form = forms.SurveyAnswerForm(request.POST or None, survey=survey)
    template = "interaction/public_survey.html"
    context: dict[str, Any] = {
        "title": survey.title,
        "survey": survey,
        "form": form,
        "phase": survey.phase(),
        "answered": answered,
    }
    status = 200
    if request.method == "POST":
        if _too_many(request, "interaction.survey.ip", "INTERACTION_SURVEY_SUBMITS_PER_IP", 30):
            return _limited(request, template, context)
        status = 400
        if answered:
            pass  # the page says so; nothing is stored twice
        elif not token:
            form.add_error(None, "无法识别答卷人：请允许本网站使用 Cookie 后刷新页面再提交。")
        elif form.is_valid():
            ip = ratelimit.client_ip(request)
            try:
                services.survey_respond(
                    survey=survey,
                    voter_key=_keyed("voter", survey.pk, token),
                    ip_key=_keyed("ip", survey.pk, ip),
                    answers=form.answers(),
                )
            except InteractionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "感谢您参与调查！")
                return redirect("interaction_public:survey_results", pk=survey.pk)
    response = render(request, template, context, status=status)
    if not token:
        response.set_signed_cookie(
            VOTER_COOKIE,
            secrets.token_hex(16),
            salt=VOTER_SALT,
            max_age=3 * 365 * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.public().select_related("agency"), pk=pk)
    if not survey.results_public:
        raise Http404("本次调查结果不公开。")
    from gongkai.reports.charts import hbar_chart

    results = services.survey_results(survey)
    for r in results:
        r["chart"] = hbar_chart(r["question"].text, r["options"]) if r["options"] else ""
    return render(
        request,
        "interaction/public_survey_results.html",
        {
            "title": f"{survey.title}：调查结果",
            "survey": survey,
            "results": results,
            "responses": survey.responses.count(),
        },
    )


# --- 在线访谈 ------------------------------------------------------------------------------


def interviews(request: HttpRequest) -> HttpResponse:
    qs = Interview.objects.public().select_related("agency")
    return render(
        request,
        "interaction/public_interviews.html",
        {"title": "在线访谈", "page": paginate(request, qs)},
    )


def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(Interview.objects.public().select_related("agency"), pk=pk)
    form = forms.InterviewQuestionForm(request.POST or None)
    template = "interaction/public_interview.html"
    context: dict[str, Any] = {
        "title": obj.title,
        "obj": obj,
        "form": form,
        "questions": InterviewQuestion.objects.filter(interview=obj).approved(),
    }
    if request.method != "POST":
        return render(request, template, context)
    if _too_many(request, "interaction.interview.ip", "INTERACTION_INTERVIEW_MAX_PER_IP", 10):
        return _limited(request, template, context)
    if form.is_valid():
        try:
            services.interview_question_submit(
                interview=obj,
                nickname=form.cleaned_data["nickname"],
                body=form.cleaned_data["body"],
            )
        except InteractionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "您的问题已提交，经审核后显示。")
            return redirect("interaction_public:interview", pk=obj.pk)
    return render(request, template, context, status=400)
