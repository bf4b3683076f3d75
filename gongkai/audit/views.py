"""The audit administrator's pages: the log with filters, one entry, the CSV export and
chain verification. Nobody else reads the log (三员分立)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.audit import labels
from gongkai.audit.forms import AuditFilterForm
from gongkai.audit.permissions import audit_entries_for_user, get_audit_entry_for_user
from gongkai.audit.services import audit_log, audit_verify
from gongkai.lib.views import AuthedRequest, paginate

EXPORT_HEADER = [
    "编号", "时间", "事件", "事件代码", "操作人", "角色", "机构", "IP地址",
    "证书序列号", "对象", "说明", "变更（原值→新值）",
]  # fmt: skip


def _require_auditor(request: AuthedRequest) -> None:
    if not request.user.is_audit_admin:
        raise PermissionDenied("只有审计管理员可以查看审计日志。")


@login_required
def entry_list(request: AuthedRequest) -> HttpResponse:
    """The log, newest first, filtered by person, agency, action, object and dates; bad
    filter values answer 400 with the reasons (an ignored filter would mislead)."""
    _require_auditor(request)
    form = AuditFilterForm(request.GET)
    qs = audit_entries_for_user(request.user)
    status = 200
    if form.is_valid():
        qs = form.filter(qs)
    else:
        qs, status = qs.none(), 400
    page = paginate(request, qs, per_page=50)
    page.object_list = labels.present(page.object_list)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "audit/entry_list.html",
        {"page": page, "form": form, "export_query": export_query.urlencode()},
        status=status,
    )


@login_required
def entry_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = labels.present([get_audit_entry_for_user(request.user, pk)])[0]
    return render(request, "audit/entry_detail.html", {"entry": entry})


def _csv_cell(value: Any) -> str:
    """Text for one cell; a leading = + - @ is quoted so Excel shows it instead of running
    it as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _export_rows(qs: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(EXPORT_HEADER)  # BOM: Excel opens UTF-8 as such
    batch: list[Any] = []
    for entry in qs.iterator(chunk_size=1000):
        batch.append(entry)
        if len(batch) == 1000:
            yield from _export_batch(writer, batch)
            batch = []
    yield from _export_batch(writer, batch)


def _export_batch(writer: Any, batch: list[Any]) -> Iterator[str]:
    for e in labels.present(batch):
        changes = "；".join(f"{f}：{old}→{new}" for f, old, new in e.change_rows)
        row = [
            e.pk,
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            e.action_label,
            e.action,
            e.actor_name,
            e.role,
            e.agency_name,
            e.ip or "",
            e.cert_serial,
            e.object_display,
            e.message,
            changes,
        ]
        yield writer.writerow([_csv_cell(v) for v in row])


@login_required
def export_csv(request: AuthedRequest) -> HttpResponse | StreamingHttpResponse:
    """The filtered log as CSV (UTF-8 with BOM, for Excel). The export is itself audited,
    with its filters and row count, before the file is sent; the file holds the entries up
    to (not including) that record."""
    _require_auditor(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "audit/entry_list.html",
            {"page": paginate(request, audit_entries_for_user(request.user).none()), "form": form},
            status=400,
        )
    last = audit_entries_for_user(request.user).aggregate(m=Max("id"))["m"] or 0
    qs = form.filter(audit_entries_for_user(request.user)).filter(id__lte=last).order_by("id")
    count = qs.count()
    audit_log("audit.log.exported", message=f"导出审计日志 {count} 条（{form.describe()}）")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(_export_rows(qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


@login_required
def verify(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_audit_admin:
        raise PermissionDenied("只有审计管理员可以校验审计日志。")
    return render(request, "audit/verify.html", {"result": audit_verify()})
