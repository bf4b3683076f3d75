"""Portal pages of 依申请公开: guide, online form, suggestions, tracking, downloads.

An applicant reaches an application only through (a) number + query code, checked in
constant time and rate-limited, which grants this browser session access to that one
application, or (b) being signed in as the account that filed it. Nothing in a URL is
enough on its own, so numbers cannot be enumerated.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gongkai.agencies.models import Agency
from gongkai.applications import forms, ratelimit, services
from gongkai.applications.flows import APPLICATION_WORKFLOW
from gongkai.applications.models import Application, Notice
from gongkai.applications.services import ApplicationError

SESSION_GRANTS = "ysqgk_granted"
SESSION_NEW = "ysqgk_new"
MAX_GRANTS = 20


def _grant(request: HttpRequest, app: Application) -> None:
    grants = [pk for pk in request.session.get(SESSION_GRANTS, []) if pk != app.pk]
    request.session[SESSION_GRANTS] = (grants + [app.pk])[-MAX_GRANTS:]


def get_application_for_applicant(request: HttpRequest, number: str) -> Application:
    """The application ``number`` if this session was granted it or the signed-in user
    filed it; 404 otherwise (same answer for missing and forbidden)."""
    if not services.NUMBER_RE.fullmatch(number):
        raise Http404("申请不存在。")
    app = (
        Application.objects.filter(number=number).select_related("agency", "agency__region").first()
    )
    if app is None:
        raise Http404("申请不存在。")
    if app.pk in request.session.get(SESSION_GRANTS, []):
        return app
    if request.user.is_authenticated and app.user_id == request.user.pk:
        return app
    raise Http404("申请不存在。")


def index(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.active().exclude(kind="office")
    return render(request, "applications/public_index.html", {"agencies": agencies})


def apply(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    code = request.GET.get("agency", "")[:40]
    if code:
        agency = Agency.objects.active().filter(code=code).first()
        if agency:
            initial["agency"] = agency
    form = forms.ApplicationForm(request.POST or None, request.FILES or None, initial=initial)
    form.fields["description"].widget.attrs["hx-get"] = reverse("apply:suggest")
    status = 200
    if request.method == "POST" and not ratelimit.form_allowed(ratelimit.client_ip(request)):
        # Counted before validation, so a flood costs one UPDATE; the typed data is shown again.
        form.is_valid()
        form.add_error(
            None, "同一网络地址提交过于频繁，请一小时后再试，或通过信函、当面等方式提交申请。"
        )
        return render(request, "applications/public_form.html", {"form": form}, status=429)
    if request.method == "POST":
        if form.is_valid():
            try:
                app, query_code = services.application_submit_online(
                    agency=form.cleaned_data["agency"],
                    data=form.applicant_data(),
                    user=request.user,
                    id_proof=form.cleaned_data.get("id_proof"),
                )
            except ApplicationError as exc:
                form.add_error(None, str(exc))
            else:
                request.session[SESSION_NEW] = {"number": app.number, "code": query_code}
                _grant(request, app)
                return redirect("apply:submitted")
        status = 400
    return render(request, "applications/public_form.html", {"form": form}, status=status)


def submitted(request: HttpRequest) -> HttpResponse:
    """Shows the number and the query code once (popped from the session)."""
    new = request.session.pop(SESSION_NEW, None)
    if not new:
        return redirect("apply:track")
    app = Application.objects.select_related("agency").filter(number=new.get("number", "")).first()
    if app is None:
        return redirect("apply:track")
    response = render(
        request, "applications/public_submitted.html", {"app": app, "code": new["code"]}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """htmx: catalog items that may already answer the request (已主动公开)."""
    q = (request.GET.get("description") or request.GET.get("q") or "").strip()[:200]
    hits: list[Any] = []
    if len(q) >= 2:
        try:
            from gongkai.search.api import SearchQuery, search

            hits = list(search(SearchQuery(q=q, per_page=5)).hits)
        except Exception:  # noqa: BLE001 - suggestions are a convenience; never break the form
            hits = []
    return render(request, "applications/_suggestions.html", {"hits": hits, "q": q})


def track(request: HttpRequest) -> HttpResponse:
    form = forms.TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"].strip().upper()
        ip = ratelimit.client_ip(request)
        if ratelimit.blocked(ip, number):
            return render(
                request,
                "applications/public_track.html",
                {"form": forms.TrackForm(), "limited": True},
                status=429,
            )
        app = services.check_query_code(number, form.cleaned_data["code"])
        if app is None:
            ratelimit.record_failure(ip, number)
            form = forms.TrackForm(initial={"number": number})
            return render(
                request,
                "applications/public_track.html",
                {"form": form, "error": "申请编号或查询码不正确。"},
                status=400,
            )
        request.session.cycle_key()
        _grant(request, app)
        return redirect("apply:status", number=app.number)
    mine = []
    if request.user.is_authenticated:
        mine = list(Application.objects.filter(user=request.user).select_related("agency")[:50])
    status = 400 if request.method == "POST" else 200
    return render(
        request, "applications/public_track.html", {"form": form, "mine": mine}, status=status
    )


def status(request: HttpRequest, number: str) -> HttpResponse:
    app = get_application_for_applicant(request, number)
    response = render(
        request,
        "applications/public_status.html",
        {
            "app": app,
            "events": app.events.filter(public=True),
            "notices": app.notices.all(),
            "attachments": app.attachments.all()
            if app.status in (app.Status.REPLIED, app.Status.CLOSED)
            else [],
            # the applicant's steps, as the transition table allows them without staff roles
            "correction_form": forms.CorrectionReplyForm()
            if APPLICATION_WORKFLOW.state_refusal("receive_correction", app) is None
            else None,
            "reasons_form": forms.ReasonsReplyForm()
            if APPLICATION_WORKFLOW.state_refusal("receive_reasons", app) is None
            else None,
            "withdraw_form": forms.WithdrawReplyForm()
            if APPLICATION_WORKFLOW.state_refusal("withdraw", app) is None
            else None,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def correct(request: HttpRequest, number: str) -> HttpResponse:
    app = get_application_for_applicant(request, number)
    form = forms.CorrectionReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写补正内容（不超过5000字）。")
        return redirect("apply:status", number=app.number)
    try:
        services.application_receive_correction(application=app, text=form.cleaned_data["text"])
        messages.success(request, "补正已提交，答复期限自今日起重新计算。")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect("apply:status", number=app.number)


@require_POST
def reasons(request: HttpRequest, number: str) -> HttpResponse:
    """The applicant explains the reasons asked for under Art 35."""
    app = get_application_for_applicant(request, number)
    form = forms.ReasonsReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写说明的理由（不超过5000字）。")
        return redirect("apply:status", number=app.number)
    try:
        services.application_receive_reasons(application=app, text=form.cleaned_data["text"])
        messages.success(request, "理由已提交，工作机构将进行审查。")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect("apply:status", number=app.number)


@require_POST
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    """The applicant withdraws the application (撤回申请)."""
    app = get_application_for_applicant(request, number)
    form = forms.WithdrawReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤回理由（不超过1000字）并勾选确认撤回。")
        return redirect("apply:status", number=app.number)
    try:
        services.application_withdraw(application=app, reason=form.cleaned_data["reason"])
        messages.success(request, "您的申请已撤回，本机关终止办理。")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect("apply:status", number=app.number)


def notice_download(request: HttpRequest, number: str, notice_id: int, fmt: str) -> HttpResponse:
    app = get_application_for_applicant(request, number)
    notice = (
        Notice.objects.filter(pk=notice_id, application=app)
        .select_related("agency", "application")
        .first()
    )
    if notice is None:
        raise Http404("文书不存在。")
    from gongkai.applications.views import notice_response

    return notice_response(request, notice, fmt)


def attachment_download(request: HttpRequest, number: str, attachment_id: int) -> HttpResponseBase:
    app = get_application_for_applicant(request, number)
    if app.status not in (app.Status.REPLIED, app.Status.CLOSED):
        raise Http404("文件不存在。")
    att = app.attachments.filter(pk=attachment_id).first()
    if att is None:
        raise Http404("文件不存在。")
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return redirect("apply:track")
