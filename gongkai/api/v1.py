"""``/api/v1/``: the open data API (SPEC C12), built with django-ninja.

Read endpoints are anonymous: agencies, the public catalog (with attachments' metadata and
download links), disclosure guides and published annual reports. Write endpoints need an
agency token (``Authorization: Bearer gk_…``): an agency system submits catalog items, which
become drafts in the agency's review chain, and reads their status.

Every list is cursor-paginated (``limit``, ``cursor`` → ``next_cursor``) in a stable order.
Every 4xx is ``application/problem+json`` with Chinese ``title``/``detail`` (``problems``).
``urls()`` wraps each operation with the per-IP rate limit and ETag/If-None-Match (304).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from ninja import Header, NinjaAPI, Query, Router, Schema
from ninja import Path as PathParam
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import Status
from ninja.security import HttpBearer
from pydantic import Field

from gongkai.agencies.models import Agency, Region
from gongkai.api import limits, problems
from gongkai.api.models import ApiToken, Scope, Submission
from gongkai.api.schemas import (
    AgencyOut,
    AgencyPage,
    AnswerPage,
    GuideOut,
    GuidePage,
    ItemOut,
    ItemPage,
    Problem,
    ReportOut,
    ReportPage,
    SubmissionIn,
    SubmissionOut,
    SubmissionPage,
)
from gongkai.api.services import ApiError, require_scope, submission_create, token_authenticate
from gongkai.publishing.models import CatalogItem, Genre, Guide, Topic, Validity
from gongkai.publishing.scanner import mask_personal
from gongkai.reports.models import AnnualReport

MAX_LIMIT = 100
DESCRIPTION = """通化市人民政府信息公开平台的开放数据接口（只读接口无需认证；写接口需机构令牌）。

* 错误一律为 `application/problem+json`，`title`、`detail` 为中文说明；
* 列表为游标分页：响应中的 `next_cursor` 作为下一次请求的 `cursor`；
* 支持 `If-None-Match` 条件请求（未变化时返回 304）；
* 频率限制：每个 IP、每个令牌各有每分钟上限，超出返回 429 与 `Retry-After`。

使用说明见 /api/v1/docs/ 。"""


class ApiBearer(HttpBearer):
    """``Authorization: Bearer gk_…``: an active agency token (then the per-token limit)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_authenticate(token)
        if found is None:
            return None
        verdict = limits.hit("token", found.prefix)
        if not verdict.allowed:
            raise RateLimited(verdict.retry_after)
        return found


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class GongkaiApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """ninja's OpenAPI 3.1 document plus what every operation can answer: 304 for
        conditional GETs, and problem+json for 400/404/429 (401/403/422 with a token)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema()
        ref = {"$ref": "#/components/schemas/Problem"}
        for path_item in schema.get("paths", {}).values():
            for method, op in path_item.items():
                responses = {str(k): v for k, v in op.get("responses", {}).items()}
                op["responses"] = responses
                codes = [400, 404, 405, 429]
                if op.get("security"):
                    codes += [401, 403, 422]
                for code in codes:
                    responses.setdefault(
                        str(code),
                        {
                            "description": problems.TITLES.get(code, "错误"),
                            "content": {problems.PROBLEM_TYPE: {"schema": ref}},
                        },
                    )
                for status, spec in list(responses.items()):
                    if status.startswith("4") and "content" in spec:
                        spec["content"] = {problems.PROBLEM_TYPE: {"schema": ref}}
                if method == "get":
                    responses.setdefault("304", {"description": "内容未变化（If-None-Match 命中）"})
                    params = op.setdefault("parameters", [])
                    params.append(
                        {
                            "in": "header",
                            "name": "If-None-Match",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": "上次响应的 ETag；未变化时返回 304",
                        }
                    )
        return schema


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese as characters, not \\u escapes (readable, and smaller)."""

    media_type = "application/json"
    json_dumps_params = {"ensure_ascii": False}


api = GongkaiApi(
    renderer=ChineseJSONRenderer(),
    title="政府信息公开平台开放数据接口",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
)


# --- errors: one problem+json shape ----------------------------------------------------------


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    status, errors = problems.validation_errors(exc.errors)
    detail = "；".join(f"{e['field']}：{e['message']}" for e in errors) or "请求参数无效。"
    return problems.problem(request, status, detail, errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    given = bool(request.headers.get("Authorization"))
    detail = (
        "令牌无效、已过期或已被吊销。"
        if given
        else "此接口需要机构令牌：Authorization: Bearer gk_…"
    )
    return problems.problem(request, 401, detail, headers={"WWW-Authenticate": "Bearer"})


@api.exception_handler(RateLimited)
def _limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    return problems.problem(
        request,
        429,
        f"请求过于频繁，请 {exc.retry_after} 秒后再试。",
        headers={"Retry-After": str(exc.retry_after)},
    )


def _record_refusal(request: HttpRequest, status: int, reason: str) -> None:
    """A 403/404 answered to an agency token (another agency's submission, a missing scope)
    goes to the audit log as ``audit.access.denied``, under the token's responsible clerk
    and naming the token. Anonymous requests (the open read API) are not recorded."""
    token = getattr(request, "auth", None)
    if status not in (403, 404) or not isinstance(token, ApiToken):
        return
    from gongkai.audit.middleware import record_denied

    record_denied(
        request, status, actor=token.acting_user, agency_code=token.agency.code,
        reason=reason[:200], note=f"接口令牌 {token.prefix}（{token.name}）", prefixes=("/api/",),
    )  # fmt: skip


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    _record_refusal(request, exc.status, str(exc))
    return problems.problem(request, exc.status, str(exc), title=exc.title)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    _record_refusal(request, 404, str(exc))
    return problems.problem(request, 404, str(exc) or "资源不存在。")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = {
        400: "请求无法解析。",
        405: "该地址不支持此请求方法。",
        413: "请求体过大。",
        415: "请求体须为 JSON（Content-Type: application/json）。",
    }
    return problems.problem(request, exc.status_code, detail.get(exc.status_code, "请求错误。"))


# --- cursor pagination -----------------------------------------------------------------------


def _encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode_cursor(cursor: str, types: tuple[type, ...]) -> list[Any]:
    """The values of a cursor made by ``_encode_cursor``; ``ApiError`` 400 if it is not one."""
    bad = ApiError(
        "cursor 无效：请使用上一页响应中的 next_cursor。", status=400, title="请求参数无效"
    )
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(values, list) or len(values) != len(types):
        raise bad
    out: list[Any] = []
    for value, kind in zip(values, types, strict=True):
        try:
            if kind is dt.datetime:
                parsed = dt.datetime.fromisoformat(str(value))
                if timezone.is_naive(parsed):
                    raise ValueError
                parsed.astimezone(dt.UTC)
                out.append(parsed)
            elif kind is int:
                if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
                    raise ValueError
                out.append(value)
            else:
                out.append(str(value))
        except (TypeError, ValueError, OverflowError):
            raise bad from None
    return out


def _page(
    qs: QuerySet, *, limit: int, cursor: str | None, key: str = "id", key_type: type = int
) -> tuple[list[Any], str | None]:
    """One page of ``qs`` ordered by (``key``, id) ascending, and the next cursor."""
    if key == "id":
        qs = qs.order_by("id")
        if cursor:
            (last_id,) = _decode_cursor(cursor, (int,))
            qs = qs.filter(id__gt=last_id)
    else:
        qs = qs.order_by(key, "id")
        if cursor:
            last_key, last_id = _decode_cursor(cursor, (key_type, int))
            qs = qs.filter(Q(**{f"{key}__gt": last_key}) | Q(**{key: last_key, "id__gt": last_id}))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not more or not rows:
        return rows, None
    last = rows[-1]
    values = [last.id] if key == "id" else [getattr(last, key).isoformat(), last.id]
    return rows, _encode_cursor(values)


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description="每页条数（1–100）")
    cursor: str | None = Field(None, max_length=200, description="上一页的 next_cursor")


# --- output helpers --------------------------------------------------------------------------


def _agency_out(a: Agency) -> dict[str, Any]:
    return {
        "code": a.code, "name": a.name, "short_name": a.short_name, "level": a.level,
        "level_label": a.get_level_display(), "kind": a.kind, "kind_label": a.get_kind_display(),
        "region": {"code": a.region.code, "name": a.region.name}, "org_code": a.org_code,
        "uscc": a.uscc, "office_name": a.office_name, "office_address": a.office_address,
        "office_postcode": a.office_postcode, "office_hours": a.office_hours,
        "office_phone": a.office_phone, "office_fax": a.office_fax, "office_email": a.office_email,
        "guide_url": reverse("portal:guide", kwargs={"code": a.code}),
    }  # fmt: skip


def _item_out(i: CatalogItem) -> dict[str, Any]:
    topic = i.topic
    return {
        "id": i.pk,
        "index_number": i.index_number,
        "title": mask_personal(i.title),
        "summary": mask_personal(i.summary),
        "body": mask_personal(i.body),
        "doc_number": i.doc_number,
        "formed_on": i.formed_on,
        "published_at": i.published_at,
        "updated_at": i.updated_at,
        "agency": {"code": i.agency.code, "name": i.agency.name},
        "topic": {"code": topic.code, "name": topic.name} if topic is not None else None,
        "genre": i.genre,
        "genre_label": i.get_genre_display(),
        "keywords": mask_personal(i.keywords),
        "validity": i.validity,
        "validity_label": i.get_validity_display(),
        "effective_on": i.effective_on,
        "invalid_on": i.invalid_on,
        "content_class": i.content_class,
        "content_class_label": i.get_content_class_display(),
        "column": i.column,
        "column_label": i.get_column_display(),
        "url": reverse("portal:item", kwargs={"pk": i.pk}),
        "attachments": [
            {
                "id": a.pk,
                "name": mask_personal(a.original_name),
                "size": a.size,
                "sha256": a.sha256,
                "content_type": a.content_type,
                "uploaded_at": a.uploaded_at,
                "url": reverse("portal:attachment", kwargs={"pk": i.pk, "att": a.pk}),
            }  # fmt: skip
            for a in i.attachments.all()
            if a.removed_at is None
        ],
    }


def _guide_out(g: Guide) -> dict[str, Any]:
    out = {k: getattr(g, k) for k in GuideOut.model_fields if hasattr(g, k) and k != "agency"}
    out.update(
        agency={"code": g.agency.code, "name": g.agency.name},
        updated_at=g.created_at,
        url=reverse("portal:guide", kwargs={"code": g.agency.code}),
    )
    return out


def _report_out(r: AnnualReport, *, data: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": r.pk,
        "year": r.year,
        "style": r.style,
        "version": r.version,
        "status": r.status,
        "title": r.title,
        "scope_name": r.scope_name,
        "agency": {"code": r.agency.code, "name": r.agency.name} if r.agency else None,
        "region": {"code": r.region.code, "name": r.region.name} if r.region else None,
        "published_at": r.published_at,
        "url": reverse("reports_public:detail", kwargs={"pk": r.pk}),
    }
    if data:
        from gongkai.reports.documents import export_data

        out["data"] = export_data(r.data or {})
    return out


def _checked(value: dt.datetime) -> dt.datetime:
    """An aware datetime the database can store (its UTC and local forms exist), else 400."""
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        value.astimezone(dt.UTC)
        timezone.localtime(value)
    except (OverflowError, ValueError):
        raise ApiError("日期超出可处理的范围。", status=400, title="请求参数无效") from None
    return value


def _aware(d: dt.date, end: bool = False) -> dt.datetime:
    t = dt.time.max if end else dt.time.min
    return _checked(dt.datetime.combine(d, t))


def _agency_by_code(code: str) -> Agency:
    agency = Agency.objects.active().select_related("region").filter(code=code).first()
    if agency is None:
        raise Http404(f"机构代号“{code}”不存在。")
    return agency


# --- read: agencies --------------------------------------------------------------------------

read = Router(tags=["公开数据（只读）"])


class AgencyFilters(PageParams):
    region: str | None = Field(
        None, pattern=r"^\d{6}(\d{3})?(\d{3})?$", description="行政区划代码（含下级）"
    )
    level: Agency.Level | None = Field(None, description="层级")
    kind: Agency.Kind | None = Field(None, description="类型")


@read.get("/agencies", response=AgencyPage, summary="机构列表")
def agencies(request: HttpRequest, filters: Query[AgencyFilters]) -> dict[str, Any]:
    qs = Agency.objects.active().select_related("region")
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        if region is None:
            raise ApiError(
                f"行政区划代码“{filters.region}”不存在。", status=400, title="请求参数无效"
            )
        qs = qs.in_region(region)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    rows, nxt = _page(qs, limit=filters.limit, cursor=filters.cursor)
    return {"items": [_agency_out(a) for a in rows], "next_cursor": nxt, "limit": filters.limit}


@read.get("/agencies/{code}", response=AgencyOut, summary="机构详情")
def agency_detail(
    request: HttpRequest, code: str = PathParam(..., max_length=40)
) -> dict[str, Any]:  # type: ignore[assignment]
    return _agency_out(_agency_by_code(code))


# --- read: catalog ---------------------------------------------------------------------------


class ItemFilters(PageParams):
    agency: str | None = Field(None, max_length=40, description="机构代号")
    topic: str | None = Field(
        None, pattern=r"^\d{2}(\d{2})?$", description="主题分类代码（一级代码含其下二级）"
    )
    genre: Genre | None = Field(None, description="体裁分类")
    validity: Validity | None = Field(None, description="有效性")
    date_from: dt.date | None = Field(None, description="发布日期起（含）")
    date_to: dt.date | None = Field(None, description="发布日期止（含）")
    updated_since: dt.datetime | None = Field(
        None, description="只返回此时间之后更新的条目（增量同步；无时区按北京时间）"
    )


def _public_items() -> QuerySet:
    return (
        CatalogItem.objects.public()
        .select_related("agency", "topic")
        .prefetch_related("attachments")
    )


@read.get("/items", response=ItemPage, summary="公开目录条目列表")
def items(request: HttpRequest, filters: Query[ItemFilters]) -> dict[str, Any]:
    """按更新时间升序（适合增量同步）；`updated_since` 取上次同步时最后一条的 `updated_at`。"""
    qs = _public_items()
    if filters.agency:
        qs = qs.filter(agency=_agency_by_code(filters.agency))
    if filters.topic:
        qs = qs.filter(Q(topic__code=filters.topic) | Q(topic__parent__code=filters.topic))
    if filters.genre:
        qs = qs.filter(genre=filters.genre)
    if filters.validity:
        qs = qs.filter(validity=filters.validity)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ApiError("date_from 不能晚于 date_to。", status=400, title="请求参数无效")
    if filters.date_from:
        qs = qs.filter(published_at__gte=_aware(filters.date_from))
    if filters.date_to:
        qs = qs.filter(published_at__lte=_aware(filters.date_to, end=True))
    if filters.updated_since:
        qs = qs.filter(updated_at__gt=_checked(filters.updated_since))
    rows, nxt = _page(
        qs, limit=filters.limit, cursor=filters.cursor, key="updated_at", key_type=dt.datetime
    )
    return {"items": [_item_out(i) for i in rows], "next_cursor": nxt, "limit": filters.limit}


@read.get("/items/{item_id}", response=ItemOut, summary="公开目录条目详情")
def item_detail(
    request: HttpRequest,
    item_id: int = PathParam(..., ge=1, le=2**63 - 1),  # type: ignore[assignment]
) -> dict[str, Any]:
    item = _public_items().filter(pk=item_id).first()
    if item is None:
        raise Http404("该条目不存在或未公开。")
    return _item_out(item)


# --- read: guides ----------------------------------------------------------------------------


class GuideFilters(PageParams):
    agency: str | None = Field(None, max_length=40, description="机构代号")


def _current_guides() -> QuerySet:
    """The newest version of each active agency's guide."""
    from django.db.models import Max, OuterRef, Subquery

    newest = (
        Guide.objects.filter(agency=OuterRef("agency"))
        .values("agency")
        .annotate(v=Max("version"))
        .values("v")
    )
    return Guide.objects.filter(agency__is_active=True, version=Subquery(newest)).select_related(
        "agency"
    )


@read.get("/guides", response=GuidePage, summary="公开指南（各机构现行版本）")
def guides(request: HttpRequest, filters: Query[GuideFilters]) -> dict[str, Any]:
    qs = _current_guides()
    if filters.agency:
        qs = qs.filter(agency=_agency_by_code(filters.agency))
    rows, nxt = _page(qs, limit=filters.limit, cursor=filters.cursor)
    return {"items": [_guide_out(g) for g in rows], "next_cursor": nxt, "limit": filters.limit}


@read.get("/agencies/{code}/guide", response=GuideOut, summary="某机构的现行公开指南")
def agency_guide(request: HttpRequest, code: str = PathParam(..., max_length=40)) -> dict[str, Any]:  # type: ignore[assignment]
    guide = _current_guides().filter(agency=_agency_by_code(code)).first()
    if guide is None:
        raise Http404("该机构尚未发布公开指南。")
    return _guide_out(guide)


# --- read: annual reports --------------------------------------------------------------------


class ReportFilters(PageParams):
    year: int | None = Field(None, ge=2008, le=2100, description="年度")
    agency: str | None = Field(None, max_length=40, description="机构代号（部门报告）")
    region: str | None = Field(
        None, pattern=r"^\d{6}(\d{3})?(\d{3})?$", description="行政区划代码（政府汇总报告）"
    )
    style: AnnualReport.Style | None = Field(None, description="格式")


def _public_reports() -> QuerySet:
    return AnnualReport.objects.public().select_related("agency", "region")


@read.get("/reports", response=ReportPage, summary="已发布的年度报告")
def reports(request: HttpRequest, filters: Query[ReportFilters]) -> dict[str, Any]:
    qs = _public_reports().defer("data", "html", "pdf")
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.agency:
        qs = qs.filter(agency=_agency_by_code(filters.agency))
    if filters.region:
        qs = qs.filter(region__code=filters.region)
    if filters.style:
        qs = qs.filter(style=filters.style)
    rows, nxt = _page(qs, limit=filters.limit, cursor=filters.cursor)
    return {"items": [_report_out(r) for r in rows], "next_cursor": nxt, "limit": filters.limit}


@read.get("/reports/{report_id}", response=ReportOut, summary="年度报告（含数据）")
def report_detail(
    request: HttpRequest,
    report_id: int = PathParam(..., ge=1, le=2**63 - 1),  # type: ignore[assignment]
) -> dict[str, Any]:
    report = _public_reports().filter(pk=report_id).first()
    if report is None:
        raise Http404("该年度报告不存在或未发布。")
    return _report_out(report, data=True)


# --- read: 互动交流 answers (when the interaction app is installed) ------------------------------


class AnswerFilters(PageParams):
    agency: str | None = Field(None, max_length=40, description="答复部门代号")
    date_from: dt.date | None = Field(None, description="公开日期起（含）")
    date_to: dt.date | None = Field(None, description="公开日期止（含）")


def _mask_writer(text: str, name: str) -> str:
    """ID and mobile numbers masked, and the writer's own name wherever they typed it."""
    text = mask_personal(text or "")
    name = (name or "").strip()
    if len(name) >= 2:
        text = text.replace(name, name[0] + "*" * (len(name) - 1))
    return text


def _answer_out(q: Any) -> dict[str, Any]:
    return {
        "number": q.number, "kind": q.kind, "kind_label": q.get_kind_display(),
        "title": _mask_writer(q.title, q.name), "body": _mask_writer(q.body, q.name),
        "agency": {"code": q.agency.code, "name": q.agency.name} if q.agency_id else None,
        "received_on": q.received_on, "answered_on": q.answered_on,
        "answer": _mask_writer(q.answer_text, q.name), "published_at": q.published_at,
        "url": reverse("interaction_public:question", kwargs={"number": q.number}),
    }  # fmt: skip


if apps.is_installed("gongkai.interaction"):

    @read.get("/answers", response=AnswerPage, summary="已公开的留言答复（政务咨询）")
    def answers(request: HttpRequest, filters: Query[AnswerFilters]) -> dict[str, Any]:
        """留言人的姓名和联系方式从不返回；标题、内容和答复中的证件号、手机号以及留言人自己写入的
        姓名已遮盖。"""
        Question = apps.get_model("interaction", "Question")
        qs = Question.objects.public().select_related("agency").defer("contact")
        if filters.agency:
            qs = qs.filter(agency=_agency_by_code(filters.agency))
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            raise ApiError("date_from 不能晚于 date_to。", status=400, title="请求参数无效")
        if filters.date_from:
            qs = qs.filter(published_at__gte=_aware(filters.date_from))
        if filters.date_to:
            qs = qs.filter(published_at__lte=_aware(filters.date_to, end=True))
        rows, nxt = _page(qs, limit=filters.limit, cursor=filters.cursor)
        return {"items": [_answer_out(q) for q in rows], "next_cursor": nxt, "limit": filters.limit}


# --- write: submissions ----------------------------------------------------------------------

write = Router(tags=["机构写接口（需令牌）"], auth=ApiBearer())


def _submission_out(s: Submission) -> dict[str, Any]:
    from gongkai.publishing.models import Revision

    rev = Revision.objects.select_related("stage", "item").get(pk=s.revision_id)
    item = rev.item
    public = CatalogItem.objects.public().filter(pk=item.pk).exists()
    return {
        "id": s.pk,
        "external_id": s.external_id,
        "item_id": item.pk,
        "revision_id": rev.pk,
        "title": mask_personal(rev.title),
        "status": rev.status,
        "status_label": rev.get_status_display(),
        "stage": rev.stage.name if rev.stage else None,
        "item_status": item.status,
        "item_status_label": item.get_status_display(),
        "index_number": item.index_number,
        "published_at": item.published_at if public else None,
        "url": reverse("portal:item", kwargs={"pk": item.pk}) if public else None,
        "return_comment": rev.return_comment,
        "reviews": [
            {
                "stage": r.stage_name,
                "decision": r.decision,
                "decision_label": r.get_decision_display(),
                "comment": r.comment,
                "at": r.created_at,
            }  # fmt: skip
            for r in rev.reviews.all()
        ],
        "created_at": s.created_at,
    }


@write.post(
    "/submissions",
    response={201: SubmissionOut, 200: SubmissionOut},
    summary="提交一条目录信息（进入审核流程）",
)
def submit(
    request: HttpRequest,
    payload: SubmissionIn,
    idempotency_key: str | None = Header(  # type: ignore[assignment]
        None,
        alias="Idempotency-Key",
        max_length=100,
        description="客户端生成的唯一键（如 UUID）；重试时使用同一键不会重复创建",
    ),
) -> Status:
    """以令牌的责任录入员身份框架录入并提交一校；审核通过后由本机关人员发布，接口不会直接发布。

    201：新建；200：同一 `Idempotency-Key` 的重复请求（返回原结果，不重复创建）。"""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    data = payload.model_dump()
    topic = None
    if data.get("topic"):
        topic = Topic.objects.filter(code=data["topic"]).first()
        if topic is None:
            raise ApiError(f"主题分类代码“{data['topic']}”不存在。", title="提交的信息未通过校验")
    fields = {k: v for k, v in data.items() if k not in ("external_id", "topic")}
    fields["topic"] = topic
    for k in ("genre", "validity", "content_class", "column", "disclosure_mode"):
        fields[k] = str(getattr(fields[k], "value", fields[k]))
    result = submission_create(
        token=token,
        fields=fields,
        payload=json.loads(payload.model_dump_json()),
        idempotency_key=idempotency_key or "",
        external_id=data.get("external_id") or "",
    )
    return Status(201 if result.created else 200, _submission_out(result.submission))


@write.get("/submissions", response=SubmissionPage, summary="本机关经接口提交的信息")
def submissions(request: HttpRequest, filters: Query[PageParams]) -> dict[str, Any]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    require_scope(token, Scope.CATALOG_READ_STATUS)
    qs = Submission.objects.filter(agency_id=token.agency_id)
    rows, nxt = _page(qs, limit=filters.limit, cursor=filters.cursor)
    return {"items": [_submission_out(s) for s in rows], "next_cursor": nxt, "limit": filters.limit}


@write.get("/submissions/{submission_id}", response=SubmissionOut, summary="查询提交的审核状态")
def submission_status(
    request: HttpRequest,
    submission_id: int = PathParam(..., ge=1, le=2**63 - 1),  # type: ignore[assignment]
) -> dict[str, Any]:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    require_scope(token, Scope.CATALOG_READ_STATUS)
    found = Submission.objects.filter(pk=submission_id, agency_id=token.agency_id).first()
    if found is None:  # another agency's submission is "not found", never "forbidden"
        raise Http404("该提交不存在。")
    return _submission_out(found)


api.add_router("/", read)
api.add_router("/", write)


# --- the URL patterns: rate limit per IP, ETag / If-None-Match ------------------------------


def _etag_match(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


@functools.cache
def _query_names() -> dict[tuple[str, str], frozenset[str]]:
    """(OpenAPI path, method) → the query parameters the operation declares."""
    out = {}
    for url, item in api.get_openapi_schema()["paths"].items():
        for method, op in item.items():
            names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
            out[(url, method.upper())] = frozenset(names)
    return out


def guarded(view: Callable[..., HttpResponse], route: str) -> Callable[..., HttpResponse]:
    """Per-IP rate limit and unknown query parameters (a misspelt filter must not silently
    return everything) before the view; ETag (and 304 on a match) after it."""
    openapi_path = "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        verdict = limits.hit("ip", limits.client_ip(request))
        if not verdict.allowed:
            return problems.problem(
                request,
                429,
                f"请求过于频繁，请 {verdict.retry_after} 秒后再试。",
                headers={"Retry-After": str(verdict.retry_after)},
            )
        known = _query_names().get((openapi_path, request.method or ""))
        if known is not None:
            unknown = sorted(set(request.GET) - known)
            if unknown:
                names = "、".join(unknown)[:200]
                allowed = "、".join(sorted(known)) or "无"
                return problems.problem(
                    request,
                    400,
                    f"未知的查询参数：{names}（此接口可用：{allowed}）。",
                    errors=[
                        {"field": n[:100], "message": "不是此接口的参数。"} for n in unknown[:20]
                    ],
                )
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and "problem" not in response.get("Content-Type", ""):
            allow = response.get("Allow", "")
            response = problems.problem(
                request, 405, f"该地址不支持 {request.method} 请求（可用：{allow}）。"
            )
            response["Allow"] = allow
        response["X-RateLimit-Limit"] = str(verdict.limit)
        response["X-RateLimit-Remaining"] = str(verdict.remaining)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            authed = bool(request.headers.get("Authorization"))
            response["Cache-Control"] = "private, no-cache" if authed else "public, max-age=60"
            response["Vary"] = "Authorization"
            if _etag_match(request.headers.get("If-None-Match", ""), etag):
                not_modified = HttpResponseNotModified()
                for h in ("ETag", "Cache-Control", "Vary"):
                    not_modified[h] = response[h]
                return not_modified
        return response

    return wrapper


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problems.problem(request, 404, "接口地址不存在，请查看 /api/v1/openapi.json。")


def urls() -> list[URLPattern]:
    """ninja's patterns, each view wrapped by ``guarded``."""
    patterns, _app, _ns = api.urls
    out = []
    for p in patterns:
        assert isinstance(p, URLPattern)
        route = str(p.pattern)
        out.append(path(route, guarded(p.callback, route), p.default_args, name=p.name or ""))
    return out
