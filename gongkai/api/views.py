"""Pages of the API app.

Public: the human documentation page (``/api/v1/docs/``, rendered on the server from the
OpenAPI document — no CDN, no script) and the bulk export downloads.
Console: the security administrator's agency tokens (list, create — the secret is shown once
— and revoke).
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Agency
from gongkai.api import export, services
from gongkai.api.models import ApiToken, Scope
from gongkai.api.permissions import get_token_for_user, require_token_admin, tokens_for_user
from gongkai.lib.views import AuthedRequest, paginate

# --- public: documentation and exports -------------------------------------------------------

METHOD_ORDER = {"get": 0, "post": 1}


def _resolve(schema: dict[str, Any], node: Any) -> Any:
    if isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return schema.get("components", {}).get("schemas", {}).get(name, {})
    return node


def _type_of(schema: dict[str, Any], node: dict[str, Any]) -> str:
    node = _resolve(schema, node)
    if "allOf" in node and len(node["allOf"]) == 1:
        return _type_of(schema, node["allOf"][0])
    if "anyOf" in node:
        return " 或 ".join(_type_of(schema, n) for n in node["anyOf"])
    if "enum" in node:
        return "枚举：" + "、".join(str(v) for v in node["enum"])
    kind = node.get("type", "object")
    fmt = node.get("format")
    return f"{kind}（{fmt}）" if fmt else str(kind)


def docs(request: HttpRequest) -> HttpResponse:
    """接口说明: every operation of the OpenAPI document with its parameters and responses."""
    from gongkai.api.v1 import api

    schema = api.get_openapi_schema()
    operations = []
    for url, item in schema["paths"].items():
        for method, op in sorted(item.items(), key=lambda kv: METHOD_ORDER.get(kv[0], 9)):
            params = []
            for p in op.get("parameters", []):
                params.append(
                    {
                        "name": p["name"], "where": {"query": "查询", "path": "路径", "header": "请求头"}.get(p["in"], p["in"]),
                        "required": p.get("required", False), "type": _type_of(schema, p.get("schema", {})),
                        "description": p.get("description", "") or p.get("schema", {}).get("description", ""),
                    }
                )  # fmt: skip
            body = None
            if "requestBody" in op:
                content = op["requestBody"]["content"]
                body_schema = _resolve(schema, next(iter(content.values()))["schema"])
                body = [
                    {"name": n, "type": _type_of(schema, s),
                     "required": n in body_schema.get("required", []),
                     "description": _resolve(schema, s).get("description", "") or s.get("description", "")}
                    for n, s in body_schema.get("properties", {}).items()
                ]  # fmt: skip
            operations.append(
                {
                    "method": method.upper(), "url": "/api/v1" + url if not url.startswith("/api") else url,
                    "summary": op.get("summary", ""), "description": op.get("description", ""),
                    "tags": op.get("tags", []), "secured": bool(op.get("security")), "params": params,
                    "body": body, "responses": sorted(op.get("responses", {}).items()),
                    "anchor": op.get("operationId", ""),
                }
            )  # fmt: skip
    return render(
        request,
        "api/docs.html",
        {
            "operations": operations,
            "info": schema["info"],
            "openapi_version": schema.get("openapi"),
            "manifest": export.read_manifest(),
            "problem_example": json.dumps(
                {
                    "type": "/api/v1/docs/#problem-bad-request",
                    "title": "请求参数无效",
                    "status": 400,
                    "detail": "date_from：应为日期，格式 YYYY-MM-DD。",
                    "instance": "/api/v1/items",
                    "errors": [{"field": "date_from", "message": "应为日期，格式 YYYY-MM-DD。"}],
                },
                ensure_ascii=False,
                indent=2,
            ),
        },
    )


def export_manifest(request: HttpRequest) -> HttpResponse:
    """The current export manifest (JSON), or a problem+json 404 before the first export."""
    from gongkai.api import problems

    manifest = export.read_manifest()
    if manifest is None:
        return problems.problem(request, 404, "尚未生成全量导出文件（每日凌晨生成）。")
    response = HttpResponse(
        json.dumps(manifest, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


def export_file(request: HttpRequest, name: str) -> HttpResponseBase:
    """One file named by the current manifest (never any other path under the folder)."""
    from gongkai.api import problems

    manifest = export.read_manifest() or {}
    entry = next((f for f in manifest.get("files", []) if f["name"] == name), None)
    path = export.export_dir() / name if entry else None
    if entry is None or path is None or not path.is_file():
        return problems.problem(request, 404, "导出文件不存在，请以 /api/v1/exports/ 清单为准。")
    content_type = "application/jsonl" if entry["format"] == "jsonl" else "text/csv"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = content_type
    response["Content-Encoding"] = "identity"
    response["Digest"] = f"sha-256={entry['sha256']}"
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- console: tokens -------------------------------------------------------------------------


class TokenForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="机构", queryset=Agency.objects.active().order_by("region__code", "sort_order")
    )
    name = forms.CharField(label="用途", max_length=100, help_text="如：民政局业务系统同步")
    acting_user = forms.ModelChoiceField(
        label="责任录入员",
        queryset=User.objects.filter(memberships__role=Role.CLERK, is_active=True).distinct(),
        help_text="经接口提交的信息以此人名义录入，此人须为所选机构的录入员。",
    )
    scopes = forms.MultipleChoiceField(
        label="权限范围", choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_at = forms.DateTimeField(
        label="有效期至", required=False, help_text="留空为长期有效；格式 2027-12-31 23:59"
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label="吊销理由", max_length=200, required=False)


@login_required
def token_list(request: AuthedRequest) -> HttpResponse:
    require_token_admin(request.user)
    qs = tokens_for_user(request.user).select_related("agency", "acting_user", "created_by")
    return render(request, "api/token_list.html", {"page": paginate(request, qs)})


@login_required
def token_create(request: AuthedRequest) -> HttpResponse:
    require_token_admin(request.user)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                issued = services.token_create(by=request.user, **form.cleaned_data)
            except services.ApiError as exc:
                form.add_error(None, str(exc))
            else:
                response = render(
                    request,
                    "api/token_created.html",
                    {"token": issued.token, "secret": issued.secret},
                )
                response["Cache-Control"] = "no-store"
                return response
        status = 400
    return render(request, "api/token_form.html", {"form": form}, status=status)


@require_POST
@login_required
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token: ApiToken = get_token_for_user(request.user, pk)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.token_revoke(token=token, by=request.user, reason=reason)
        messages.success(request, f"已吊销令牌 {token.prefix}…。")
    except services.ApiError as exc:
        messages.error(request, str(exc))
    return redirect("api:tokens")
