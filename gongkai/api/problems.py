"""One error shape for every 4xx of the API: RFC 9457 ``application/problem+json``.

``{"type": …, "title": "中文标题", "status": 400, "detail": "中文说明", "instance": "/api/v1/…",
"errors": [{"field": "date_from", "message": "…"}]}`` — ``errors`` only on validation errors.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

PROBLEM_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/docs/#problem-"

TITLES = {
    400: "请求参数无效",
    401: "未认证",
    403: "权限不足",
    404: "资源不存在",
    405: "不支持的请求方法",
    406: "不支持的响应格式",
    409: "请求冲突",
    413: "请求体过大",
    415: "不支持的请求体格式",
    422: "请求无法处理",
    429: "请求过于频繁",
}
CODES = {
    400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
    405: "method-not-allowed", 406: "not-acceptable", 409: "conflict", 413: "too-large",
    415: "unsupported-media-type", 422: "unprocessable", 429: "rate-limited",
}  # fmt: skip


def problem(
    request: HttpRequest | None,
    status: int,
    detail: str,
    *,
    title: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A problem+json response (Chinese title and detail)."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + CODES.get(status, "error"),
        "title": title or TITLES.get(status, "请求错误"),
        "status": status,
        "detail": detail,
        "instance": request.path if request is not None else "",
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_TYPE
    )
    for k, v in (headers or {}).items():
        response[k] = v
    return response


# --- validation errors (pydantic) in Chinese --------------------------------------------------

LOCATIONS = {"query": "查询参数", "path": "路径参数", "body": "请求体", "header": "请求头"}


def _message(err: dict[str, Any]) -> str:
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "必须填写。"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "应为整数。"
    if kind in (
        "date_parsing",
        "date_from_datetime_parsing",
        "date_type",
        "date_from_datetime_inexact",
    ):
        return "应为日期，格式 YYYY-MM-DD。"
    if kind.startswith("datetime") or kind == "timezone_aware":
        return "应为时间，格式 ISO 8601（如 2026-01-01T08:00:00+08:00）。"
    if kind in ("string_too_long",):
        return f"过长，最多 {ctx.get('max_length', '')} 个字符。"
    if kind in ("string_too_short",):
        return f"过短，至少 {ctx.get('min_length', '')} 个字符。"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于 {ctx.get('ge', ctx.get('gt', ''))}。"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于 {ctx.get('le', ctx.get('lt', ''))}。"
    if kind in ("enum", "literal_error"):
        return f"取值无效，可选：{ctx.get('expected', '')}。"
    if kind == "string_pattern_mismatch":
        return "格式不正确。"
    if kind in ("json_invalid", "json_type"):
        return "请求体不是有效的 JSON。"
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return "应为 JSON 对象。"
    if kind in ("string_type", "string_sub_type", "string_unicode"):
        return "应为字符串。"
    if kind in ("bool_parsing", "bool_type"):
        return "应为 true 或 false。"
    if kind in ("decimal_parsing", "float_parsing", "decimal_type", "float_type", "finite_number"):
        return "应为数字。"
    if kind == "extra_forbidden":
        return "不是可接受的字段。"
    if kind == "value_error":
        return str(err.get("msg", "取值无效。")).removeprefix("Value error, ")
    return "取值无效。"


def validation_errors(raw: list[dict[str, Any]]) -> tuple[int, list[dict[str, str]]]:
    """(status, errors): 400 for query/path/header or malformed JSON, 422 for a body that
    parses but does not validate."""
    errors, status = [], 422
    for err in raw:
        loc = [str(x) for x in err.get("loc", ())]
        where = loc[0] if loc else ""
        names = [x for x in loc[1:] if x not in ("payload",)]
        if where != "body" or err.get("type") in ("json_invalid", "model_attributes_type"):
            status = 400
        field = ".".join(names) or LOCATIONS.get(where, where)
        errors.append({"field": field, "message": _message(err)})
    return status, errors
