"""Request and response schemas of ``/api/v1/`` (pydantic, through django-ninja)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from gongkai.lib.taxonomy import ContentClass
from gongkai.publishing.models import Column, DisclosureMode, Genre, Validity


class Problem(Schema):
    """RFC 9457 problem details; ``title`` and ``detail`` in Chinese."""

    type: str
    title: str
    status: int
    detail: str
    instance: str = ""
    errors: list[dict[str, str]] | None = None


class Ref(Schema):
    code: str
    name: str


class RegionRef(Schema):
    code: str = Field(description="行政区划代码")
    name: str


class AgencyOut(Schema):
    code: str = Field(description="机构代号（接口中的机构标识）")
    name: str
    short_name: str
    level: str
    level_label: str
    kind: str
    kind_label: str
    region: RegionRef
    org_code: str = Field(description="组织机构代码")
    uscc: str = Field(description="统一社会信用代码")
    office_name: str = Field(description="政府信息公开工作机构")
    office_address: str
    office_postcode: str
    office_hours: str
    office_phone: str = Field(description="工作机构的办公电话（公开信息）")
    office_fax: str
    office_email: str
    guide_url: str = Field(description="公开指南在门户网站的地址")


class AgencyPage(Schema):
    items: list[AgencyOut]
    next_cursor: str | None = Field(description="下一页的游标；为 null 表示没有更多")
    limit: int


class AttachmentOut(Schema):
    id: int
    name: str
    size: int = Field(description="字节数")
    sha256: str
    content_type: str
    uploaded_at: dt.datetime
    url: str = Field(description="下载地址（门户网站）")


class ItemOut(Schema):
    id: int
    index_number: str = Field(description="索引号")
    title: str
    summary: str
    body: str = Field(description="正文（经过净化的 HTML）")
    doc_number: str = Field(description="文号")
    formed_on: dt.date = Field(description="生成日期")
    published_at: dt.datetime
    updated_at: dt.datetime
    agency: Ref
    topic: Ref | None = Field(description="主题分类")
    genre: str
    genre_label: str
    keywords: str
    validity: str
    validity_label: str
    effective_on: dt.date | None
    invalid_on: dt.date | None
    content_class: str
    content_class_label: str
    column: str
    column_label: str
    url: str = Field(description="条目在门户网站的地址")
    attachments: list[AttachmentOut]


class ItemPage(Schema):
    items: list[ItemOut]
    next_cursor: str | None
    limit: int


class GuideOut(Schema):
    agency: Ref
    version: int
    updated_at: dt.datetime
    classification: str = Field(description="政府信息的分类")
    arrangement: str = Field(description="编排体系")
    access_methods: str = Field(description="获取方式")
    office_name: str
    office_address: str
    office_hours: str
    office_phone: str
    office_fax: str
    office_internet: str
    office_postcode: str
    other: str
    url: str


class GuidePage(Schema):
    items: list[GuideOut]
    next_cursor: str | None
    limit: int


class ReportSummary(Schema):
    id: int
    year: int
    style: str = Field(description="2021 或 2012")
    version: int
    status: str = Field(description="published 或 superseded（已被新版本取代）")
    title: str
    scope_name: str
    agency: Ref | None
    region: RegionRef | None
    published_at: dt.datetime | None
    url: str


class ReportOut(ReportSummary):
    data: dict[str, Any] = Field(description="发布时冻结的报告数据（docs/annual-report-json.md）")


class ReportPage(Schema):
    items: list[ReportSummary]
    next_cursor: str | None
    limit: int


class AnswerOut(Schema):
    """A published 留言 with its answer (政务咨询); the writer's name and contact never."""

    number: str = Field(description="留言编号")
    kind: str
    kind_label: str
    title: str
    body: str
    agency: Ref | None = Field(description="答复部门")
    received_on: dt.date
    answered_on: dt.date | None
    answer: str
    published_at: dt.datetime
    url: str


class AnswerPage(Schema):
    items: list[AnswerOut]
    next_cursor: str | None
    limit: int


class SubmissionIn(Schema):
    """One catalog item an agency system submits (it becomes a draft in review)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300, description="名称")
    formed_on: dt.date = Field(description="生成日期（不晚于今天）")
    doc_number: str = Field("", max_length=100, description="文号")
    summary: str = Field("", max_length=5000, description="内容概述")
    body: str = Field("", max_length=200000, description="正文（HTML，提交后净化）")
    keywords: str = Field("", max_length=200, description="主题词")
    topic: str | None = Field(None, pattern=r"^\d{2}(\d{2})?$", description="主题分类代码")
    genre: Genre = Field(Genre.NOTICE, description="体裁分类")
    validity: Validity = Field(Validity.VALID, description="有效性")
    effective_on: dt.date | None = None
    invalid_on: dt.date | None = None
    content_class: ContentClass = Field(ContentClass.OTHER, description="内容类别")
    column: Column = Field(Column.CATALOG, description="栏目")
    disclosure_mode: DisclosureMode = Field(DisclosureMode.PROACTIVE, description="公开方式")
    disclosure_reason: str = Field("", max_length=300)
    external_id: str = Field("", max_length=100, description="对方系统中的编号（原样返回）")


class ReviewOut(Schema):
    stage: str
    decision: str
    decision_label: str
    comment: str
    at: dt.datetime


class SubmissionOut(Schema):
    id: int
    external_id: str
    item_id: int
    revision_id: int
    title: str
    status: str = Field(description="版本状态：in_review / returned / approved / published …")
    status_label: str
    stage: str | None = Field(description="当前审核环节")
    item_status: str
    item_status_label: str
    index_number: str
    published_at: dt.datetime | None
    url: str | None = Field(description="公开后在门户网站的地址")
    return_comment: str
    reviews: list[ReviewOut]
    created_at: dt.datetime


class SubmissionPage(Schema):
    items: list[SubmissionOut]
    next_cursor: str | None
    limit: int
