"""The audit administrator's pages: the log with filters, one entry, chain verification."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from gongkai.audit.permissions import audit_entries_for_user, get_audit_entry_for_user
from gongkai.audit.services import audit_verify
from gongkai.lib.views import AuthedRequest, paginate


@login_required
def entry_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_audit_admin:
        raise PermissionDenied("只有审计管理员可以查看审计日志。")
    qs = audit_entries_for_user(request.user)
    filters = {
        k: request.GET.get(k, "").strip()[:100]
        for k in ("action", "actor", "object", "date_from", "date_to")
    }
    if filters["action"]:
        qs = qs.filter(action__startswith=filters["action"])
    if filters["actor"]:
        qs = qs.filter(actor_name__icontains=filters["actor"])
    if filters["object"]:
        qs = qs.filter(object_repr__icontains=filters["object"])
    for key, lookup in (
        ("date_from", "created_at__date__gte"),
        ("date_to", "created_at__date__lte"),
    ):
        value = filters[key]
        if value:
            try:
                import datetime as dt

                qs = qs.filter(**{lookup: dt.date.fromisoformat(value)})
            except ValueError:
                filters[key] = ""
    return render(
        request,
        "audit/entry_list.html",
        {"page": paginate(request, qs, per_page=50), "filters": filters},
    )


@login_required
def entry_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = get_audit_entry_for_user(request.user, pk)
    return render(request, "audit/entry_detail.html", {"entry": entry})


@login_required
def verify(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_audit_admin:
        raise PermissionDenied("只有审计管理员可以校验审计日志。")
    return render(request, "audit/verify.html", {"result": audit_verify()})
