"""Console pages of 依申请公开: list/queue, registration, the case page and its steps,
notice downloads and the notice templates (system administrator)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.accounts.models import APPLICATION_SIGNOFF_ROLES
from gongkai.agencies.models import Agency
from gongkai.applications import flows, forms, services
from gongkai.applications.flows import APPLICATION_WORKFLOW
from gongkai.applications.models import Application, Consultation, NoticeTemplate
from gongkai.applications.notices import notice_docx, notice_pdf
from gongkai.applications.permissions import (
    APPLICATION_DESK_ROLES,
    can_see_personal_data,
    can_write,
    get_application_for_user,
    get_template_for_user,
)
from gongkai.applications.services import ApplicationError
from gongkai.audit.services import audit_log
from gongkai.lib.views import AuthedRequest, paginate

S = Application.Status


def notice_response(request: HttpRequest, notice: Any, fmt: str) -> HttpResponse:
    """PDF or DOCX of an issued notice; a missing PDF toolchain is a message, not a 500."""
    from gongkai.lib.pdf import PdfUnavailableError

    filename = f"{notice.application.number}-{notice.title}"
    try:
        if fmt == "pdf":
            data, ctype = notice_pdf(notice), "application/pdf"
        elif fmt == "docx":
            data = notice_docx(notice)
            ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        else:
            raise Http404("不支持的格式。")
    except PdfUnavailableError as exc:
        return render(
            request, "applications/pdf_unavailable.html", {"message": str(exc)}, status=503
        )
    response = HttpResponse(data, content_type=ctype)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.{fmt}"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def application_list(request: AuthedRequest) -> HttpResponse:
    qs = Application.objects.for_user(request.user).select_related("agency", "handler")
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status in S.values:
        qs = qs.filter(status=status)
    due = request.GET.get("due", "")
    if due == "overdue":
        qs = qs.overdue(today)
    elif due == "soon":
        qs = qs.due_soon(today, today + dt.timedelta(days=5))
    elif due == "open":
        qs = qs.open()
    q = request.GET.get("q", "").strip()[:40]
    if q:
        qs = qs.filter(number__icontains=q)
    can_register = (
        any(m.role in APPLICATION_DESK_ROLES for m in request.user.active_memberships)
        if not request.user.admin_role
        else False
    )
    return render(
        request,
        "applications/application_list.html",
        {
            "page": paginate(request, qs.order_by("due_on", "-submitted_at") if due else qs),
            "statuses": S.choices,
            "status": status,
            "due": due,
            "q": q,
            "today": today,
            "can_register": can_register,
        },
    )


@login_required
def application_register(request: AuthedRequest) -> HttpResponse:
    agencies = Agency.objects.filter(
        pk__in=[
            m.agency_id for m in request.user.active_memberships if m.role in APPLICATION_DESK_ROLES
        ]
    )
    if not agencies.exists():
        raise PermissionDenied("只有录入员、承办人或信息公开工作机构负责人可以登记申请。")
    form = forms.RegisterForm(request.POST or None, request.FILES or None, agencies=agencies)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                app, code = services.application_register(
                    agency=form.cleaned_data["agency"],
                    by=request.user,
                    channel=form.cleaned_data["channel"],
                    data=form.applicant_data(),
                    received_on=form.cleaned_data.get("received_on"),
                    id_proof=form.cleaned_data.get("id_proof"),
                )
            except ApplicationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, f"已登记申请{app.number}。查询码（仅显示一次，请告知申请人）：{code}"
                )
                return redirect("applications:detail", pk=app.pk)
        status = 400
    return render(request, "applications/application_register.html", {"form": form}, status=status)


@login_required
def application_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk)
    writer = can_write(request.user, app)
    roles = request.user.roles_in(app.agency_id)
    is_handler = flows.is_handler(request.user, app)  # the consultation records' steps
    show_personal = can_see_personal_data(request.user, app)
    if show_personal:  # the page shows the decrypted ID and phone numbers
        audit_log(
            "applications.application.personal_data_viewed",
            obj=app,
            message="查看申请详情（含未遮蔽的身份证件号码、联系电话）",
        )
    fee_form = forms.FeeForm()
    ext_form = forms.ExtensionForm()
    if app.era == "2008":
        ext_form.fields["workdays"] = djforms.IntegerField(
            label="延长工作日", min_value=1, max_value=15
        )
    ctx = {
        "app": app,
        "writer": writer,
        "is_handler": is_handler,
        "is_office_head": "office_head" in roles,
        "show_personal": show_personal,
        "events": app.events.select_related("actor"),
        "notices": app.notices.all(),
        "consultations": [
            (c, forms.ConsultationResultForm(prefix=f"cres-{c.pk}"))
            for c in app.consultations.all()
        ],
        "attachments": app.attachments.all(),
        "actions": APPLICATION_WORKFLOW.allowed(request.user, app) if writer else set(),
        "draft": services.pending_draft(app),
        "today": timezone.localdate(),
        "forms": {
            "confirm": forms.ConfirmForm(),
            "assign": forms.AssignForm(agency=app.agency, initial={"handler": app.handler_id}),
            "correction": forms.CorrectionForm(),
            "correction_received": forms.CorrectionReceivedForm(),
            "consultation": forms.ConsultationForm(),
            "extension": ext_form,
            "delayed": forms.DelayedForm(),
            "reasons": forms.ReasonsForm(),
            "reasons_received": forms.ReasonsReceivedForm(),
            "withdraw": forms.WithdrawForm(initial={"received_on": timezone.localdate()}),
            "fee": fee_form,
            "payment": forms.PaymentForm(),
            "reply": forms.ReplyForm(),
            "service": forms.ServiceForm(initial={"served_on": timezone.localdate()}),
        },
    }
    return render(request, "applications/application_detail.html", ctx)


def _step(
    request: AuthedRequest,
    pk: int,
    form_class: type[djforms.Form] | None,
    call: Callable[[Application, dict[str, Any]], Any],
    done: str,
    *,
    prefix: str | None = None,
) -> HttpResponse:
    """Shared shape of every processing step: parse → access → one service → redirect."""
    app = get_application_for_user(request.user, pk, write=True)
    data: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST, request.FILES or None, prefix=prefix)
        if not form.is_valid():
            errors = "；".join(
                f"{form.fields[f].label if f in form.fields else ''}{'：' if f in form.fields else ''}{e}"
                for f, es in form.errors.items()
                for e in es
            )
            messages.error(request, errors or "输入有误。")
            return redirect("applications:detail", pk=app.pk)
        data = form.cleaned_data
    try:
        call(app, data)
        messages.success(request, done)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect("applications:detail", pk=app.pk)


@login_required
@require_POST
def step_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.ConfirmForm,
        lambda app, d: services.application_confirm(
            application=app, by=request.user, confirmed_on=d.get("confirmed_on")
        ),
        "已确认收到申请并出具登记回执。",
    )


@login_required
@require_POST
def step_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk, write=True)
    form = forms.AssignForm(request.POST, agency=app.agency)
    if not form.is_valid():
        messages.error(request, "请选择本机关的承办人。")
        return redirect("applications:detail", pk=app.pk)
    try:
        services.application_assign(
            application=app, by=request.user, handler=form.cleaned_data["handler"]
        )
        messages.success(request, "已分办。")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect("applications:detail", pk=app.pk)


@login_required
@require_POST
def step_correction(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.CorrectionForm,
        lambda app, d: services.application_request_correction(
            application=app, by=request.user, items=d["items"], due_on=d.get("due_on")
        ),
        "已发出补正告知书。",
    )


@login_required
@require_POST
def step_correction_received(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.CorrectionReceivedForm,
        lambda app, d: services.application_receive_correction(
            application=app, by=request.user, text=d["text"], received_on=d.get("received_on")
        ),
        "已登记补正，答复期限重新计算。",
    )


@login_required
@require_POST
def step_consultation(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.ConsultationForm,
        lambda app, d: services.consultation_start(
            application=app,
            by=request.user,
            kind=d["kind"],
            party=d["party"],
            party_address=d.get("party_address", ""),
            delivery=d.get("delivery") or "in_person",
            received_on=d.get("received_on"),
        ),
        "已发出征求意见函，征求意见期间不计入答复期限。",
    )


@login_required
@require_POST
def step_consultation_receipt(request: AuthedRequest, pk: int, cid: int) -> HttpResponse:
    def call(app: Application, d: dict[str, Any]) -> Any:
        consultation = Consultation.objects.filter(pk=cid, application=app).first()
        if consultation is None:
            raise Http404("征求意见记录不存在。")
        return services.consultation_record_receipt(
            consultation=consultation, by=request.user, received_on=d["received_on"]
        )

    return _step(
        request,
        pk,
        forms.ConsultationReceiptForm,
        call,
        "已登记对方收到征求意见书之日，15个工作日自该日起算。",
    )


@login_required
@require_POST
def step_consultation_result(request: AuthedRequest, pk: int, cid: int) -> HttpResponse:
    def call(app: Application, d: dict[str, Any]) -> Any:
        consultation = Consultation.objects.filter(pk=cid, application=app).first()
        if consultation is None:
            raise Http404("征求意见记录不存在。")
        return services.consultation_record(
            consultation=consultation,
            by=request.user,
            result=d["result"],
            answered_on=d.get("answered_on"),
            note=d.get("note", ""),
        )

    return _step(
        request,
        pk,
        forms.ConsultationResultForm,
        call,
        "已登记征求意见结果。",
        prefix=f"cres-{cid}",
    )


@login_required
@require_POST
def step_extension(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.ExtensionForm,
        lambda app, d: services.application_request_extension(
            application=app, by=request.user, workdays=d["workdays"], reason=d["reason"]
        ),
        "已提交延期申请，待机构负责人批准。",
    )


@login_required
@require_POST
def step_extension_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        None,
        lambda app, d: services.application_approve_extension(application=app, by=request.user),
        "已批准延期并制发延期答复告知书。",
    )


@login_required
@require_POST
def step_delayed(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.DelayedForm,
        lambda app, d: services.application_set_delayed_due(
            application=app, by=request.user, due_on=d["due_on"], reason=d["reason"]
        ),
        "已确定延迟答复期限。",
    )


@login_required
@require_POST
def step_reasons(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.ReasonsForm,
        lambda app, d: services.application_request_reasons(
            application=app, by=request.user, items=d["items"], due_on=d.get("due_on")
        ),
        "已发出要求说明理由通知书，答复期限照常计算。",
    )


@login_required
@require_POST
def step_reasons_received(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.ReasonsReceivedForm,
        lambda app, d: services.application_receive_reasons(
            application=app, by=request.user, text=d["text"], received_on=d.get("received_on")
        ),
        "已登记申请人说明的理由。",
    )


@login_required
@require_POST
def step_reasons_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        None,
        lambda app, d: services.application_accept_reasons(application=app, by=request.user),
        "已认可申请人说明的理由，继续办理。",
    )


@login_required
@require_POST
def step_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.WithdrawForm,
        lambda app, d: services.application_withdraw(
            application=app, by=request.user, reason=d["reason"], received_on=d.get("received_on")
        ),
        "已登记撤回申请，本件办结。",
    )


@login_required
@require_POST
def step_fee(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.FeeForm,
        lambda app, d: services.fee_notify(
            application=app,
            by=request.user,
            method=d["method"],
            pages=d.get("pages"),
            amount=d.get("amount"),
            items=d.get("items") or 1,
        ),
        "已发出收费通知。",
    )


@login_required
@require_POST
def step_payment(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.PaymentForm,
        lambda app, d: services.fee_record_payment(
            application=app, by=request.user, paid_on=d.get("paid_on")
        ),
        "已登记缴费。",
    )


def _reply(app: Application, by: Any, d: dict[str, Any]) -> Any:
    """Reply now, or (where the agency requires 审签) submit the reply for sign-off."""
    call = services.reply_draft_submit if services.signoff_required(app.agency_id) else None
    return (call or services.application_reply)(
        application=app,
        by=by,
        outcome=d["outcome"],
        reply_text=d["reply_text"],
        files=d.get("attachments") or [],
        notice_kind=d.get("notice_kind") or "",
        withheld_ground=d.get("withheld_ground") or "",
        responsible_agency_name=d.get("responsible_agency_name") or "",
        responsible_agency_contact=d.get("responsible_agency_contact") or "",
        legal_basis=d.get("legal_basis") or "",
        service_method=d.get("service_method") or "",
        served_on=d.get("served_on"),
    )


@login_required
@require_POST
def step_reply(request: AuthedRequest, pk: int) -> HttpResponse:
    app = get_application_for_user(request.user, pk, write=True)
    done = (
        "已提交审签，审签通过后制发告知书。"
        if services.signoff_required(app.agency_id)
        else "已作出答复并制发告知书。"
    )
    return _step(request, pk, forms.ReplyForm, lambda a, d: _reply(a, request.user, d), done)


@login_required
@require_POST
def step_signoff(request: AuthedRequest, pk: int) -> HttpResponse:
    """审签: approve (the notice is issued) or return the pending reply draft."""
    app = get_application_for_user(request.user, pk, write=True)
    form = forms.SignoffForm(request.POST)
    draft = services.pending_draft(app)
    if not form.is_valid() or draft is None:
        messages.error(request, "没有待审签的答复。" if draft is None else "审签意见填写有误。")
        return redirect("applications:detail", pk=app.pk)
    try:
        if form.cleaned_data["decision"] == "sign":
            services.reply_draft_sign(
                draft=draft, by=request.user, comment=form.cleaned_data["comment"]
            )
            messages.success(request, "已审签，告知书已制发。")
        else:
            services.reply_draft_return(
                draft=draft, by=request.user, comment=form.cleaned_data["comment"]
            )
            messages.success(request, "已退回承办人修改。")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect("applications:detail", pk=app.pk)


@login_required
def signoff_settings(request: AuthedRequest) -> HttpResponse:
    """The office head switches 审签 of replies on or off for their agencies."""
    agencies = list(
        Agency.objects.filter(
            pk__in=[
                m.agency_id
                for m in request.user.active_memberships
                if m.role in APPLICATION_SIGNOFF_ROLES
            ]
        ).order_by("pk")
    )
    if not agencies:
        raise PermissionDenied("只有信息公开工作机构负责人可以设置答复审签。")
    if request.method == "POST":
        chosen = {str(a.pk): a for a in agencies}.get(request.POST.get("agency", ""))
        if chosen is None:
            messages.error(request, "请选择本人负责的机关。")
            return redirect("applications:signoff_settings")
        try:
            services.reply_signoff_configure(
                agency=chosen, by=request.user, required=request.POST.get("required") == "on"
            )
            messages.success(request, f"已保存{chosen.name}的答复审签设置。")
        except ApplicationError as exc:
            messages.error(request, str(exc))
        return redirect("applications:signoff_settings")
    rows = [(a, services.signoff_required(a.pk)) for a in agencies]
    return render(request, "applications/signoff_settings.html", {"rows": rows})


@login_required
@require_POST
def step_service(request: AuthedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        forms.ServiceForm,
        lambda app, d: services.application_record_service(
            application=app, by=request.user, method=d["method"], served_on=d["served_on"]
        ),
        "已登记送达，本件办结。",
    )


@login_required
def notice_download(request: AuthedRequest, pk: int, notice_id: int, fmt: str) -> HttpResponse:
    app = get_application_for_user(request.user, pk)
    notice = app.notices.filter(pk=notice_id).select_related("agency", "application").first()
    if notice is None:
        raise Http404("文书不存在。")
    audit_log("applications.notice.downloaded", obj=app, message=f"下载告知书（{fmt}）：{notice}")
    return notice_response(request, notice, fmt)


@login_required
def id_proof_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    app = get_application_for_user(request.user, pk)
    if not can_see_personal_data(request.user, app) or not app.id_proof:
        raise Http404("文件不存在或无权查看。")
    audit_log("applications.id_proof.downloaded", obj=app, message="下载申请人身份证明")
    return FileResponse(app.id_proof.open("rb"), as_attachment=True)


@login_required
def attachment_download(request: AuthedRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    app = get_application_for_user(request.user, pk)
    att = app.attachments.filter(pk=attachment_id).first()
    if att is None:
        raise Http404("文件不存在。")
    audit_log("applications.attachment.downloaded", obj=app, message=f"下载申请材料：{att.name}")
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


@login_required
def template_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_system_admin:
        raise Http404("页面不存在。")
    templates = NoticeTemplate.objects.filter(is_current=True).order_by("era", "kind")
    return render(request, "applications/template_list.html", {"templates": templates})


@login_required
def template_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    tpl = get_template_for_user(request.user, pk)
    form = forms.TemplateForm(
        request.POST or None,
        initial={
            "title": tpl.title,
            "body": tpl.body,
            "legal_basis": tpl.legal_basis,
            "remedy_clause": tpl.remedy_clause,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new = services.notice_template_revise(
                    template=tpl, by=request.user, **form.cleaned_data
                )
                messages.success(request, f"已保存为第{new.version}版。")
                return redirect("applications:template_edit", pk=new.pk)
            except ApplicationError as exc:
                form.add_error(None, str(exc))
        status = 400
    versions = NoticeTemplate.objects.filter(kind=tpl.kind, era=tpl.era).order_by("-version")
    return render(
        request,
        "applications/template_edit.html",
        {"tpl": tpl, "form": form, "versions": versions},
        status=status,
    )
