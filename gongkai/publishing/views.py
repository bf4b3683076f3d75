"""Console pages of the catalog: lists, the queue, entry, review, publication, change/deletion,
cleanup, guides and import. Each view: parse → access function → one service → redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency
from gongkai.lib.views import AuthedRequest, paginate
from gongkai.publishing import flows, forms, integrity, scanner, services, work
from gongkai.publishing.models import CONTENT_FIELDS, CatalogItem, ChangeRequest, Guide, Revision
from gongkai.publishing.permissions import (
    get_attachment_for_user,
    get_change_request_for_user,
    get_guide_agency_for_user,
    get_guide_for_user,
    get_import_job_for_user,
    get_item_for_user,
    get_revision_for_user,
    import_jobs_for_user,
)
from gongkai.publishing.services import PublishingError, field_label


def _errors(form: Any) -> str:
    return "；".join(
        f"{form.fields[k].label if k in form.fields else ''}{e}"
        for k, errs in form.errors.items()
        for e in errs
    )


def _item_url(item_id: int) -> str:
    return reverse("publishing:item", args=[item_id])


# --- lists and queue -----------------------------------------------------------------------


@login_required
def item_list(request: AuthedRequest) -> HttpResponse:
    agencies = Agency.objects.for_business(request.user)
    form = forms.ItemFilterForm(request.GET or None, agencies=agencies)
    qs = CatalogItem.objects.for_user(request.user).select_related("agency", "topic__parent")
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(
                Q(title__icontains=d["q"])
                | Q(doc_number__icontains=d["q"])
                | Q(index_number__icontains=d["q"])
            )
        if d["agency"]:
            qs = qs.filter(agency=d["agency"])
        for field, key in (
            ("status", "status"),
            ("column", "column"),
            ("genre", "genre"),
            ("disclosure_mode", "mode"),
        ):
            if d[key]:
                qs = qs.filter(**{field: d[key]})
        if d["late"]:
            qs = qs.late()
    return render(
        request,
        "publishing/item_list.html",
        {"form": form, "page": paginate(request, qs.order_by("-updated_at", "-id"))},
    )


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    return render(request, "publishing/queue.html", {"work": work.work_for(request.user)})


# --- entry ---------------------------------------------------------------------------------


@login_required
def item_create(request: AuthedRequest) -> HttpResponse:
    agencies = Agency.objects.for_business(request.user).filter(
        pk__in=work.entry_agency_ids(request.user)
    )
    if not agencies.exists():
        messages.error(request, "您不是任何机构的录入员，不能录入信息。")
        return redirect("publishing:list")
    form = forms.NewItemForm(request.POST or None, agencies=agencies)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = {k: form.cleaned_data[k] for k in CONTENT_FIELDS}
            try:
                rev = services.item_create(
                    agency=form.cleaned_data["agency"], by=request.user, fields=fields
                )
                messages.success(request, "框架录入已保存。确认无误后请“提交审核”。")
                _warn_body_findings(request, rev.body)
                return redirect(_item_url(rev.item_id))
            except PublishingError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(
        request, "publishing/item_form.html", {"form": form, "title": "框架录入"}, status=status
    )


@login_required
def item_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    revisions = list(item.revisions.select_related("author", "stage").order_by("-number"))
    working = next(
        (r for r in revisions if r.status not in ("published", "discarded", "change")), None
    )
    ctx = {
        "item": item,
        "revisions": revisions,
        "working": working,
        "reviews": [rv for r in revisions for rv in r.reviews.select_related("reviewer").all()],
        "attachments": item.attachments.filter(removed_at__isnull=True),
        "changes": item.change_requests.select_related("requested_by").all(),
        "withheld_reviews": item.withheld_reviews.select_related("reviewer").all(),
        "actions": work.actions_for(request.user, item, working),
        "review_diff": integrity.review_diff(working)
        if working is not None and working.status == Revision.Status.IN_REVIEW
        else None,
        "publish_form": forms.PublishForm(),
        "override_form": forms.OverrideForm(),
        "attachment_form": forms.AttachmentForm(),
        "validity_form": forms.ValidityForm(initial={"validity": item.validity}),
        "withheld_form": forms.WithheldForm(),
    }
    return render(request, "publishing/item_detail.html", ctx)


def _warn_body_findings(request: AuthedRequest, body: str) -> None:
    """The confidentiality scan on the body as saved (the sanitised result of the editor,
    a paste or typing), shown at once as with a Word import; it runs again over every field
    and the attachments before publication, which it blocks."""
    findings = scanner.scan_text(scanner.html_to_text(body), source="正文")
    if findings:
        kinds = "、".join(dict.fromkeys(f.label for f in findings))
        messages.warning(
            request,
            f"保密审查：正文中发现{len(findings)}处疑似问题（{kinds}），请修改后再提交。",
        )


@login_required
def revision_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    rev = get_revision_for_user(request.user, pk, write=True)
    detail_only = rev.status == Revision.Status.APPROVED
    form_class = forms.DetailForm if detail_only else forms.RevisionForm
    form = form_class(request.POST or None, instance=Revision.objects.get(pk=rev.pk))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.revision_update(
                    revision=rev,
                    by=request.user,
                    fields={k: form.cleaned_data[k] for k in form.fields},
                )
                messages.success(request, "已保存。")
                _warn_body_findings(request, saved.body)
                return redirect(_item_url(rev.item_id))
            except PublishingError as exc:
                form.add_error(None, str(exc))
        status = 400
    title = "详细信息录入" if detail_only else "修改录入内容"
    return render(
        request,
        "publishing/item_form.html",
        {"form": form, "title": title, "item": rev.item},
        status=status,
    )


@login_required
@require_POST
def revision_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    rev = get_revision_for_user(request.user, pk, write=True)
    try:
        rev = services.revision_submit(revision=rev, by=request.user)
        messages.success(request, f"已提交，等待“{rev.stage.name}”。" if rev.stage else "已提交。")
    except PublishingError as exc:
        messages.error(request, str(exc))
    return redirect(_item_url(rev.item_id))


@login_required
@require_POST
def revision_review(request: AuthedRequest, pk: int) -> HttpResponse:
    rev = get_revision_for_user(request.user, pk, write=True)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "审核意见填写有误：" + _errors(form))
        return redirect(_item_url(rev.item_id))
    try:
        review = services.review_record(revision=rev, by=request.user, **form.cleaned_data)
        messages.success(request, f"{review.stage_name}：已{review.get_decision_display()}。")
    except PublishingError as exc:
        messages.error(request, str(exc))
    return redirect(_item_url(rev.item_id))


@login_required
@require_POST
def revision_scan(request: AuthedRequest, pk: int) -> HttpResponse:
    rev = get_revision_for_user(request.user, pk)
    findings = services.revision_scan(revision=rev)
    if findings:
        messages.error(request, f"保密审查发现{len(findings)}处疑似问题，详见下方列表。")
    else:
        messages.success(request, "保密审查未发现问题。")
    return redirect(_item_url(rev.item_id) + "#scan")


@login_required
@require_POST
def scan_override(request: AuthedRequest, pk: int) -> HttpResponse:
    rev = get_revision_for_user(request.user, pk, write=True)
    form = forms.OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写放行理由。")
        return redirect(_item_url(rev.item_id))
    try:
        services.scan_override(revision=rev, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "已放行保密审查发现，理由已记入审计日志。")
    except PublishingError as exc:
        messages.error(request, str(exc))
    return redirect(_item_url(rev.item_id) + "#scan")


@login_required
@require_POST
def item_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    rev = get_revision_for_user(request.user, pk, write=True)
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "发布时间填写有误：" + _errors(form))
        return redirect(_item_url(rev.item_id))
    try:
        item = services.item_publish(revision=rev, by=request.user, **form.cleaned_data)
        if item.status == CatalogItem.Status.SCHEDULED:
            messages.success(request, "已设置定时发布。")
        else:
            messages.success(request, f"已发布，索引号 {item.index_number}。")
    except PublishingError as exc:
        messages.error(request, str(exc))
    return redirect(_item_url(rev.item_id))


@login_required
@require_POST
def item_unschedule(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    try:
        services.item_unschedule(item=item, by=request.user)
        messages.success(request, "已取消定时发布，可以修改后重新发布。")
    except PublishingError as exc:
        messages.error(request, str(exc))
    return redirect(_item_url(item.pk))


# --- attachments ---------------------------------------------------------------------------


@login_required
@require_POST
def attachment_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
        return redirect(_item_url(item.pk))
    upload = form.cleaned_data["file"]
    limit = services.scanner.max_upload_bytes()
    if upload.size > limit:
        messages.error(request, f"附件“{upload.name}”超过大小上限（{limit // (1024 * 1024)} MB）。")
        return redirect(_item_url(item.pk))
    try:
        services.attachment_add(item=item, by=request.user, name=upload.name, data=upload.read())
        messages.success(request, f"已上传“{upload.name}”。")
    except PublishingError as exc:
        messages.error(request, str(exc))
    return redirect(_item_url(item.pk))


@login_required
@require_POST
def attachment_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    att = get_attachment_for_user(request.user, pk, write=True)
    try:
        services.attachment_remove(attachment=att, by=request.user)
        messages.success(request, f"已移除“{att.original_name}”。")
    except PublishingError as exc:
        messages.error(request, str(exc))
    return redirect(_item_url(att.item_id))


@login_required
def attachment_download(request: AuthedRequest, pk: int) -> FileResponse:
    att = get_attachment_for_user(request.user, pk)
    try:
        handle = att.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件缺失。") from None
    return FileResponse(
        handle, as_attachment=True, filename=att.original_name, content_type=att.content_type
    )


# --- change and deletion -------------------------------------------------------------------


@login_required
def change_list(request: AuthedRequest) -> HttpResponse:
    qs = ChangeRequest.objects.for_user(request.user).select_related("item__agency", "requested_by")
    state = request.GET.get("state", "open")
    if state == "open":
        qs = qs.open()
    return render(
        request, "publishing/change_list.html", {"page": paginate(request, qs), "state": state}
    )


@login_required
def change_create(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    initial = {k: getattr(item, k) for k in CONTENT_FIELDS}
    form = forms.ChangeRequestForm(
        request.POST or None,
        request.FILES or None,
        item=item,
        initial={**initial, "kind": request.GET.get("kind", "change")},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            fields = {k: form.cleaned_data[k] for k in CONTENT_FIELDS} if kind == "change" else None
            upload = form.cleaned_data.get("new_file")
            limit = services.scanner.max_upload_bytes()
            try:
                if upload is not None and upload.size > limit:
                    raise PublishingError(
                        f"附件“{upload.name}”超过大小上限（{limit // (1024 * 1024)} MB）。"
                    )
                cr = services.change_request_create(
                    item=item,
                    by=request.user,
                    kind=kind,
                    reason=form.cleaned_data["reason"],
                    fields=fields,
                    add_files=[(upload.name, upload.read())] if upload is not None else [],
                    remove_attachment_ids=[
                        a.pk for a in form.cleaned_data.get("remove_attachments") or []
                    ],
                )
                messages.success(request, "申请书已提交，等待分管领导审批。")
                return redirect("publishing:change", pk=cr.pk)
            except PublishingError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(
        request, "publishing/change_form.html", {"form": form, "item": item}, status=status
    )


@login_required
def change_amend(request: AuthedRequest, pk: int) -> HttpResponse:
    cr = get_change_request_for_user(request.user, pk, write=True)
    if not flows.can_amend(request.user, cr):
        messages.error(request, "只有申请人本人可以在执行前修改申请书。")
        return redirect("publishing:change", pk=cr.pk)
    source = cr.revision if cr.revision is not None else cr.item
    initial: dict[str, Any] = {k: getattr(source, k) for k in CONTENT_FIELDS}
    initial["reason"] = cr.reason
    initial["remove_attachments"] = cr.remove_attachment_ids
    form = forms.ChangeAmendForm(
        request.POST or None, request.FILES or None, item=cr.item, kind=cr.kind, initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            change = cr.kind == ChangeRequest.Kind.CHANGE
            upload = form.cleaned_data.get("new_file")
            limit = services.scanner.max_upload_bytes()
            try:
                if upload is not None and upload.size > limit:
                    raise PublishingError(
                        f"附件“{upload.name}”超过大小上限（{limit // (1024 * 1024)} MB）。"
                    )
                services.change_request_amend(
                    request=cr,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    fields={k: form.cleaned_data[k] for k in CONTENT_FIELDS} if change else None,
                    add_files=[(upload.name, upload.read())] if upload is not None else [],
                    remove_attachment_ids=[
                        a.pk for a in form.cleaned_data.get("remove_attachments") or []
                    ],
                )
                messages.success(request, "申请书已修改，退回分管领导审批。")
                return redirect("publishing:change", pk=cr.pk)
            except PublishingError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(
        request,
        "publishing/change_form.html",
        {"form": form, "item": cr.item, "cr": cr},
        status=status,
    )


@login_required
def change_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    cr = get_change_request_for_user(request.user, pk)
    change_diffs = integrity.change_diff(cr)
    verdict = integrity.verify_change(cr, content=cr.status in integrity.PRE_EXECUTION)
    actions = flows.change_actions(request.user, cr)
    diffs = []
    if cr.revision is not None and not change_diffs:  # requests recorded before binding
        for k in CONTENT_FIELDS:
            old = getattr(cr.item, k) if cr.status not in ("executed", "verified") else None
            new = getattr(cr.revision, k)
            prev = (
                cr.item.revisions.filter(number__lt=cr.revision.number, status="published")
                .order_by("-number")
                .first()
            )
            base = getattr(prev, k) if prev is not None else old
            if base != new:
                diffs.append((field_label(k), base, new))
    removed = cr.item.attachments.filter(pk__in=cr.remove_attachment_ids)
    return render(
        request,
        "publishing/change_detail.html",
        {
            "cr": cr,
            "steps": cr.steps.select_related("actor"),
            "diffs": diffs,
            "change_diffs": change_diffs,
            "verdict": verdict,
            "actions": actions,
            "form": forms.StepForm(refuse_only="step" not in actions),
            "next_step": work.change_next_step(request.user, cr),
            "new_attachments": cr.new_attachments.all(),
            "removed_attachments": removed,
        },
    )


@login_required
@require_POST
def change_step(request: AuthedRequest, pk: int) -> HttpResponse:
    cr = get_change_request_for_user(request.user, pk, write=True)
    form = forms.StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "填写有误：" + _errors(form))
        return redirect("publishing:change", pk=cr.pk)
    try:
        cr = services.change_request_step(request=cr, by=request.user, **form.cleaned_data)
        messages.success(request, f"已办理，当前状态：{cr.get_status_display()}。")
    except PublishingError as exc:
        messages.error(request, str(exc))
    return redirect("publishing:change", pk=cr.pk)


# --- cleanup -------------------------------------------------------------------------------


@login_required
@require_POST
def item_validity(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    form = forms.ValidityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "填写有误：" + _errors(form))
        return redirect(_item_url(item.pk))
    try:
        services.item_set_validity(item=item, by=request.user, **form.cleaned_data)
        messages.success(request, "已更新有效性。")
    except PublishingError as exc:
        messages.error(request, str(exc))
    return redirect(_item_url(item.pk))


@login_required
@require_POST
def withheld_review(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    form = forms.WithheldForm(request.POST)
    if not form.is_valid():
        messages.error(request, "填写有误：" + _errors(form))
        return redirect(_item_url(item.pk))
    try:
        review = services.withheld_review_record(item=item, by=request.user, **form.cleaned_data)
        messages.success(request, "已转为主动公开。" if review.converted else "已记录评估结论。")
    except PublishingError as exc:
        messages.error(request, str(exc))
    return redirect(_item_url(item.pk))


@login_required
def withheld_list(request: AuthedRequest) -> HttpResponse:
    qs = CatalogItem.objects.for_user(request.user).withheld_review_due().select_related("agency")
    return render(request, "publishing/withheld_list.html", {"page": paginate(request, qs)})


# --- guides --------------------------------------------------------------------------------


@login_required
def guide_list(request: AuthedRequest) -> HttpResponse:
    agencies = Agency.objects.for_business(request.user).active()
    current = {
        g.agency_id: g
        for g in Guide.objects.for_user(request.user).order_by("agency_id", "version")
    }
    rows = [(a, current.get(a.pk), services.can_edit_guide(request.user, a)) for a in agencies]
    return render(request, "publishing/guide_list.html", {"rows": rows})


@login_required
def guide_edit(request: AuthedRequest, agency_pk: int) -> HttpResponse:
    agency = get_guide_agency_for_user(request.user, agency_pk)
    current = Guide.objects.current_for(agency)
    initial = {k: getattr(current, k) for k in services.GUIDE_FIELDS} if current else {
        "office_name": agency.office_name, "office_address": agency.office_address, "office_hours": agency.office_hours,
        "office_phone": agency.office_phone, "office_fax": agency.office_fax, "office_postcode": agency.office_postcode,
        "office_internet": agency.office_email,
    }  # fmt: skip
    form = forms.GuideForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                guide = services.guide_save(
                    agency=agency, by=request.user, fields=form.cleaned_data
                )
                messages.success(request, f"已保存为第{guide.version}版。")
                return redirect("publishing:guide", pk=guide.pk)
            except PublishingError as exc:
                form.add_error(None, str(exc))
        status = 400
    versions = Guide.objects.filter(agency=agency).select_related("created_by")
    return render(
        request,
        "publishing/guide_form.html",
        {"form": form, "agency": agency, "versions": versions},
        status=status,
    )


@login_required
def guide_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    guide = get_guide_for_user(request.user, pk)
    versions = Guide.objects.filter(agency=guide.agency).select_related("created_by")
    return render(
        request,
        "publishing/guide_detail.html",
        {
            "guide": guide,
            "versions": versions,
            "can_edit": services.can_edit_guide(request.user, guide.agency),
        },
    )


# --- import --------------------------------------------------------------------------------


@login_required
def import_upload(request: AuthedRequest) -> HttpResponse:
    from gongkai.publishing import importing

    migrate = importing.can_migrate(request.user)  # 指导科: 系统迁移 only
    agencies = Agency.objects.for_business(request.user)
    if not migrate:
        agencies = agencies.filter(pk__in=work.entry_agency_ids(request.user))
    if not agencies.exists():
        messages.error(
            request, "只有录入员（导入为待审核草稿）或协调办指导科（系统迁移）可以导入目录。"
        )
        return redirect("publishing:list")
    form = forms.ImportForm(
        request.POST or None, request.FILES or None, agencies=agencies, migration=migrate
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = importing.import_job_start(
                    name=upload.name,
                    data=upload.read(),
                    by=request.user,
                    default_agency=form.cleaned_data["agency"],
                    allowed_agency_ids=set(agencies.values_list("pk", flat=True)),
                    migration_reason=form.cleaned_data.get("reason", ""),
                )
                messages.info(request, "文件已上传，正在校验和导入。")
                return redirect("publishing:import_job", pk=job.pk)
            except importing.ImportFileError as exc:
                form.add_error("file", str(exc))
        status = 400
    jobs = import_jobs_for_user(request.user)[:20]
    return render(
        request, "publishing/import_form.html", {"form": form, "jobs": jobs}, status=status
    )


@login_required
def import_job(request: AuthedRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    return render(request, "publishing/import_job.html", {"job": job, "errors": job.errors[:200]})


@login_required
def import_report(request: AuthedRequest, pk: int) -> HttpResponse:
    from gongkai.publishing import importing

    job = get_import_job_for_user(request.user, pk)
    response = HttpResponse(
        importing.error_report_csv(job.errors), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response
