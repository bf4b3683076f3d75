"""Console pages shared by remedies and outreach: list, form and import per record kind."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from gongkai.lib.views import paginate
from gongkai.remedies.records import (
    RecordError,
    RecordKind,
    check_write,
    import_rows,
    read_rows,
    writable_agencies,
)


def _kind(kinds: dict[str, RecordKind], slug: str) -> RecordKind:
    if slug not in kinds:
        raise Http404("没有这类记录。")
    return kinds[slug]


def _cells(obj: Any, columns: list[tuple[str, str]]) -> list[Any]:
    out = []
    for attr, _h in columns:
        value = getattr(obj, attr)
        out.append(value() if callable(value) else value)
    return out


def record_list(request: HttpRequest, *, kinds: dict, slug: str, ns: str) -> HttpResponse:
    kind = _kind(kinds, slug)
    qs = kind.model.objects.for_user(request.user)
    page = paginate(request, qs)
    return render(
        request,
        "remedies/record_list.html",
        {
            "kind": kind,
            "kinds": kinds.values(),
            "ns": ns,
            "page": page,
            "rows": [
                (reverse(kind.detail, args=[o.pk]) if kind.detail else "", _cells(o, kind.columns))
                for o in page
            ],
            "can_write": writable_agencies(request.user).exists(),
        },
    )


def record_create(request: HttpRequest, *, kinds: dict, slug: str, ns: str) -> HttpResponse:
    kind = _kind(kinds, slug)
    agencies = writable_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied("您无权登记。")
    form = kind.form(request.POST or None, agencies=agencies)  # type: ignore[call-arg]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if "agency" in form.cleaned_data:
                    check_write(request.user, form.cleaned_data["agency"])
                kind.create(by=request.user, **form.cleaned_data)
                messages.success(request, "已登记。")
                return redirect(f"{ns}:list", slug=slug)
            except RecordError as exc:
                form.add_error(None, str(exc))
        status = 400
    return render(
        request, "remedies/record_form.html", {"kind": kind, "form": form, "ns": ns}, status=status
    )


def record_import(
    request: HttpRequest, *, kinds: dict, slug: str, ns: str, extra: Any = None
) -> HttpResponse:
    kind = _kind(kinds, slug)
    agencies = writable_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied("您无权导入。")
    headers = [str(f.label) for f in kind.form.base_fields.values()]
    ctx: dict[str, Any] = {"kind": kind, "ns": ns, "headers": headers}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            ctx["error"] = "请选择要导入的文件。"
            return render(request, "remedies/record_import.html", ctx, status=400)
        try:
            created, rejected = import_rows(
                kind, read_rows(upload), by=request.user, agencies=agencies, extra=extra
            )
        except RecordError as exc:
            ctx["error"] = str(exc)
            return render(request, "remedies/record_import.html", ctx, status=400)
        if rejected:
            ctx["rejected"] = rejected
            return render(request, "remedies/record_import.html", ctx, status=400)
        messages.success(request, f"已导入{created}条。")
        return redirect(f"{ns}:list", slug=slug)
    return render(request, "remedies/record_import.html", ctx)


def _bind(view: Any, kinds: dict, ns: str) -> Any:
    @login_required
    def wrapped(request: HttpRequest, slug: str) -> HttpResponse:
        return view(request, kinds=kinds, slug=slug, ns=ns)

    return wrapped


def urlpatterns_for(kinds: dict, ns: str, default: str) -> list:
    from django.urls import path
    from django.views.generic import RedirectView

    return [
        path("", RedirectView.as_view(url=f"{default}/"), name="index"),
        path("<slug:slug>/", _bind(record_list, kinds, ns), name="list"),
        path("<slug:slug>/new/", _bind(record_create, kinds, ns), name="create"),
        path("<slug:slug>/import/", _bind(record_import, kinds, ns), name="import"),
    ]
