"""Proactive disclosure (SPEC C3): guides, the catalog, revisions, reviews, change requests.

Nouns follow Wagtail: a ``CatalogItem`` holds the **live** public fields; editing happens on a
``Revision`` which goes through the configured ``ReviewStage`` s (one immutable ``Review`` row
per decision) and is copied onto the item when published. Change and deletion of published
items go through a ``ChangeRequest`` with one immutable ``ChangeStep`` per step.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.lib.taxonomy import Art20Item, ContentClass
from gongkai.publishing.querysets import (
    CatalogItemQuerySet,
    ChangeRequestQuerySet,
    GuideQuerySet,
    RevisionQuerySet,
)


class ImmutableModel(models.Model):
    """A row that is written once and never changed or deleted (review records)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("审核记录一经生成不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("审核记录不可删除。")


class Topic(models.Model):
    """The gov.cn two-level 主题分类 (loaded as data; a second-level topic has a parent)."""

    code = models.CharField("代码", max_length=10, unique=True)
    name = models.CharField("名称", max_length=40)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级分类",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"

    def __str__(self) -> str:
        return f"{self.parent.name}\\{self.name}" if self.parent_id else self.name  # type: ignore[union-attr]


class Genre(models.TextChoices):
    """体裁分类: the 15 公文种类 (2012 条例) plus the usual non-公文 genres of local sites."""

    RESOLUTION = "resolution", "决议"
    DECISION = "decision", "决定"
    ORDER = "order", "命令（令）"
    COMMUNIQUE = "communique", "公报"
    ANNOUNCEMENT = "announcement", "公告"
    PUBLIC_NOTICE = "public_notice", "通告"
    OPINION = "opinion", "意见"
    NOTICE = "notice", "通知"
    CIRCULAR = "circular", "通报"
    REPORT = "report", "报告"
    REQUEST = "request", "请示"
    REPLY = "reply", "批复"
    MOTION = "motion", "议案"
    LETTER = "letter", "函"
    MINUTES = "minutes", "纪要"
    LAW = "law", "法律法规"
    PLAN = "plan", "规划计划"
    STATISTICS = "statistics", "统计数据"
    NEWS = "news", "工作动态"
    OTHER = "other", "其他"


class DisclosureMode(models.TextChoices):
    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    WITHHELD = "withheld", "不予公开"


class Scope(models.TextChoices):
    PUBLIC = "public", "面向社会"
    APPLICANT = "applicant", "面向申请人"


class TimeLimit(models.TextChoices):
    LONG_TERM = "long_term", "长期公开"
    LIMITED = "limited", "限时公开"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"


class Column(models.TextChoices):
    """The portal column an item appears in."""

    CATALOG = "catalog", "主动公开目录"
    NOTICE = "notice", "通知公告"
    NEWS = "news", "工作动态"
    RULES = "rules", "公开制度"


class ReviewStage(models.Model):
    """One configured review stage. Rows with no agency are the default chain."""

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_stages",
        verbose_name="机构（空为默认）",
    )
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("名称", max_length=20)
    role = models.CharField("审核角色", max_length=20)

    class Meta:
        ordering = ["agency_id", "order"]
        verbose_name = "审核环节"
        verbose_name_plural = "审核环节"
        constraints = [
            models.UniqueConstraint(fields=["agency", "order"], name="reviewstage_agency_order")
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def chain_for(cls, agency_id: int) -> list[ReviewStage]:
        """The agency's own stages if it configured any, else the default chain."""
        own = list(ReviewStage.objects.filter(agency_id=agency_id).order_by("order"))
        return own or list(ReviewStage.objects.filter(agency__isnull=True).order_by("order"))


class Guide(models.Model):
    """One version of an agency's 政府信息公开指南 (Art 12). Versions are never edited."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="guides", verbose_name="机构"
    )
    version = models.PositiveIntegerField("版本")
    classification = models.TextField("政府信息的分类")
    arrangement = models.TextField("编排体系")
    access_methods = models.TextField("获取方式")
    office_name = models.CharField("政府信息公开工作机构", max_length=100)
    office_address = models.CharField("办公地址", max_length=200)
    office_hours = models.CharField("办公时间", max_length=100)
    office_phone = models.CharField("联系电话", max_length=40)
    office_fax = models.CharField("传真号码", max_length=40, blank=True)
    office_internet = models.CharField("互联网联系方式", max_length=200, blank=True)
    office_postcode = models.CharField("邮政编码", max_length=6, blank=True)
    other = models.TextField("其他内容", blank=True)
    created_at = models.DateTimeField("更新时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "-version"]
        verbose_name = "公开指南"
        verbose_name_plural = "公开指南"
        constraints = [
            models.UniqueConstraint(fields=["agency", "version"], name="guide_agency_version")
        ]

    def __str__(self) -> str:
        return f"{self.agency}政府信息公开指南（第{self.version}版）"

    @property
    def updated_on(self) -> Any:
        return timezone.localtime(self.created_at).date()


# The fields a revision carries and publication copies onto the item.
CONTENT_FIELDS = [
    "title",
    "summary",
    "body",
    "doc_number",
    "formed_on",
    "topic",
    "genre",
    "keywords",
    "disclosure_mode",
    "disclosure_reason",
    "scope",
    "time_limit",
    "validity",
    "effective_on",
    "invalid_on",
    "content_class",
    "art20_item",
    "art20_amount",
    "column",
]


class ContentFields(models.Model):
    """The descriptive fields shared by the live item and its revisions."""

    title = models.CharField("名称", max_length=300)
    summary = models.TextField("内容概述", blank=True)
    body = models.TextField("正文", blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    formed_on = models.DateField("生成日期")
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="主题分类",
    )
    genre = models.CharField("体裁分类", max_length=20, choices=Genre.choices, default=Genre.NOTICE)
    keywords = models.CharField("主题词", max_length=200, blank=True)
    disclosure_mode = models.CharField(
        "公开方式", max_length=12, choices=DisclosureMode.choices, default=DisclosureMode.PROACTIVE
    )
    disclosure_reason = models.CharField("不公开或依申请公开理由", max_length=300, blank=True)
    scope = models.CharField("公开范围", max_length=12, choices=Scope.choices, default=Scope.PUBLIC)
    time_limit = models.CharField(
        "公开时限", max_length=12, choices=TimeLimit.choices, default=TimeLimit.LONG_TERM
    )
    validity = models.CharField(
        "有效性", max_length=10, choices=Validity.choices, default=Validity.VALID
    )
    effective_on = models.DateField("生效日期", null=True, blank=True)
    invalid_on = models.DateField("失效或废止日期", null=True, blank=True)
    content_class = models.CharField(
        "内容类别", max_length=20, choices=ContentClass.choices, default=ContentClass.OTHER
    )
    art20_item = models.CharField(
        "第二十条事项", max_length=12, choices=Art20Item.choices, blank=True, default=""
    )
    art20_amount = models.DecimalField(
        "收费金额（万元）", max_digits=14, decimal_places=4, null=True, blank=True
    )
    column = models.CharField("栏目", max_length=10, choices=Column.choices, default=Column.CATALOG)

    class Meta:
        abstract = True


class CatalogItem(ContentFields):
    """A catalog entry (政府信息公开目录). Its content fields are the live, public ones."""

    class Status(models.TextChoices):
        DRAFT = "draft", "未发布"
        SCHEDULED = "scheduled", "定时发布"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="catalog_items",
        verbose_name="发布机构",
    )
    index_number = models.CharField("索引号", max_length=40, blank=True, default="")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布日期", null=True, blank=True, db_index=True)
    publish_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    expire_at = models.DateTimeField("定时下线时间", null=True, blank=True)
    expired_at = models.DateTimeField("已下线时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawal_reason = models.TextField("撤回理由", blank=True)
    publish_workdays = models.PositiveIntegerField("生成至发布工作日", null=True, blank=True)
    withheld_reviewed_on = models.DateField("不公开信息上次评估日期", null=True, blank=True)
    visit_count = models.PositiveIntegerField("访问量", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    imported = models.BooleanField("批量导入", default=False)

    objects = CatalogItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "公开目录条目"
        verbose_name_plural = "公开目录条目"
        constraints = [
            models.UniqueConstraint(
                fields=["index_number"],
                condition=~models.Q(index_number=""),
                name="item_index_unique",
            )
        ]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.index_number or '（未编号）'} {self.title}"

    @property
    def publish_limit_workdays(self) -> int:
        return PUBLISH_LIMIT_WORKDAYS

    @property
    def is_late(self) -> bool:
        return self.publish_workdays is not None and self.publish_workdays > PUBLISH_LIMIT_WORKDAYS


# Art 26: proactive information is published within 20 working days of its formation.
PUBLISH_LIMIT_WORKDAYS = 20


class Revision(ContentFields):
    """An editable draft of an item's content; reviewed, then copied onto the item."""

    class Status(models.TextChoices):
        DRAFT = "draft", "框架录入"
        IN_REVIEW = "in_review", "审核中"
        RETURNED = "returned", "已退回"
        APPROVED = "approved", "终审通过（待详细录入并发布）"
        PUBLISHED = "published", "已发布"
        CHANGE = "change", "变更申请中"
        DISCARDED = "discarded", "未采用"

    item = models.ForeignKey(
        CatalogItem, on_delete=models.PROTECT, related_name="revisions", verbose_name="条目"
    )
    number = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    stage = models.ForeignKey(
        ReviewStage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="当前环节",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    scan_findings = models.JSONField("保密审查发现", default=list, blank=True)
    scanned_at = models.DateTimeField("保密审查时间", null=True, blank=True)
    scan_override_reason = models.TextField("保密审查放行理由", blank=True)
    scan_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_comment = models.TextField("退回意见", blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = "修订版本"
        verbose_name_plural = "修订版本"
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="revision_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED, self.Status.APPROVED)


class Review(ImmutableModel):
    """One review decision on one revision at one stage (immutable)."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "通过"
        RETURN = "return", "退回"

    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, related_name="reviews", verbose_name="版本"
    )
    stage = models.ForeignKey(
        ReviewStage, on_delete=models.PROTECT, related_name="+", verbose_name="环节"
    )
    stage_name = models.CharField("环节名称", max_length=20)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="审核人"
    )
    decision = models.CharField("结论", max_length=10, choices=Decision.choices)
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    # What was decided on (gongkai.publishing.integrity): the snapshot, its hashes, the chain.
    content = models.JSONField("审核时的内容", default=dict, blank=True)
    content_hash = models.CharField("内容校验值", max_length=64, blank=True)
    frame_hash = models.CharField("框架信息校验值", max_length=64, blank=True)
    chain_hash = models.CharField("审核链校验值", max_length=64, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"

    def __str__(self) -> str:
        return f"{self.stage_name} {self.get_decision_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"catalog/{instance.item.agency_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """A file attached to an item; its extracted text is scanned and indexed."""

    item = models.ForeignKey(
        CatalogItem, on_delete=models.PROTECT, related_name="attachments", verbose_name="条目"
    )
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("类型", max_length=100)
    extracted_text = models.TextField("提取的文本", blank=True)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.original_name


class ChangeRequest(models.Model):
    """A 申请书 to change or delete a published item (seed flow 人员更换与信息删改流程).

    Steps: submitted (申请书) → approved (分管领导) → reviewed (指导科) → executed (网管科)
    → verified (部门负责人). Any step may refuse, which closes the request.
    """

    class Kind(models.TextChoices):
        CHANGE = "change", "变更"
        DELETE = "delete", "删除（撤回）"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待分管领导审批"
        APPROVED = "approved", "待指导科审核"
        REVIEWED = "reviewed", "待网管科执行"
        EXECUTED = "executed", "待部门负责人校核"
        VERIFIED = "verified", "已完成"
        REFUSED = "refused", "已驳回"

    item = models.ForeignKey(
        CatalogItem, on_delete=models.PROTECT, related_name="change_requests", verbose_name="条目"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    reason = models.TextField("申请理由")
    revision = models.OneToOneField(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="change_request"
    )
    remove_attachment_ids = models.JSONField("申请移除的附件", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Binding(models.TextChoices):
        """Whether the steps carry the hash of what they approved (integrity.verify_change)."""

        BOUND = "bound", "已绑定内容"
        BACKFILLED = "backfilled", "升级时按当时内容补记校验值"
        LEGACY = "legacy", "历史申请（未记录校验值）"

    binding = models.CharField(
        "内容校验", max_length=10, choices=Binding.choices, default=Binding.BOUND
    )

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "变更/删除申请"
        verbose_name_plural = "变更/删除申请"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}申请：{self.item.title}"


def change_attachment_path(instance: ChangeAttachment, filename: str) -> str:
    return f"catalog/{instance.request.item.agency_id}/{instance.sha256[:2]}/{instance.sha256}"


class ChangeAttachment(models.Model):
    """A file a change request proposes to add; it becomes an ``Attachment`` when executed
    (until then it is not on the item, so the portal never shows it)."""

    request = models.ForeignKey(
        ChangeRequest, on_delete=models.PROTECT, related_name="new_attachments", verbose_name="申请"
    )
    file = models.FileField("文件", upload_to=change_attachment_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("类型", max_length=100)
    extracted_text = models.TextField("提取的文本", blank=True)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "申请新增的附件"
        verbose_name_plural = "申请新增的附件"

    def __str__(self) -> str:
        return self.original_name


class ChangeStep(ImmutableModel):
    """One step of a change request (immutable): who did what, with which comment, and on
    which content (gongkai.publishing.integrity: the snapshot, its hashes, the chain)."""

    class Step(models.TextChoices):
        SUBMIT = "submit", "部门提交申请书"
        AMEND = "amend", "申请人修改申请书"
        REOPEN = "reopen", "已发布内容变化，退回重新审批"
        APPROVE = "approve", "分管领导审批"
        REVIEW = "review", "指导科审核"
        EXECUTE = "execute", "网管科执行变更"
        VERIFY = "verify", "部门负责人校核"

    request = models.ForeignKey(
        ChangeRequest, on_delete=models.PROTECT, related_name="steps", verbose_name="申请"
    )
    step = models.CharField("步骤", max_length=10, choices=Step.choices)
    accepted = models.BooleanField("同意", default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="办理人"
    )
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    # What the step acted on: {"kind", "reason", "published": snapshot, "proposed": snapshot}.
    content = models.JSONField("办理时的内容", default=dict, blank=True)
    published_hash = models.CharField("已发布内容校验值", max_length=64, blank=True)
    proposed_hash = models.CharField("申请内容校验值", max_length=64, blank=True)
    content_hash = models.CharField("申请书校验值", max_length=64, blank=True)
    chain_hash = models.CharField("步骤链校验值", max_length=64, blank=True)

    # Steps that start a round: the approvals after one of them must cover the same content.
    ROUND_STARTS = (Step.SUBMIT, Step.AMEND, Step.REOPEN)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "变更/删除步骤"
        verbose_name_plural = "变更/删除步骤"

    def __str__(self) -> str:
        return self.get_step_display()


class WithheldReview(ImmutableModel):
    """An Art 18 periodic re-assessment of withheld information (immutable)."""

    item = models.ForeignKey(
        CatalogItem, on_delete=models.PROTECT, related_name="withheld_reviews", verbose_name="条目"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    converted = models.BooleanField("转为主动公开", default=False)
    comment = models.TextField("评估意见")
    reviewed_on = models.DateField("评估日期")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = "不公开信息评估"
        verbose_name_plural = "不公开信息评估"

    def __str__(self) -> str:
        return f"{self.item_id} {self.reviewed_on}"


class ImportJob(models.Model):
    """One bulk import of a legacy catalog file (all-or-nothing), with its progress."""

    class Status(models.TextChoices):
        RUNNING = "running", "导入中"
        DONE = "done", "已导入"
        REJECTED = "rejected", "有错误，未导入"
        FAILED = "failed", "失败"

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="默认机构",
    )
    filename = models.CharField("文件名", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.RUNNING)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理", default=0)
    imported_rows = models.PositiveIntegerField("已导入", default=0)
    error_rows = models.PositiveIntegerField("错误行", default=0)
    errors = models.JSONField("错误明细", default=list, blank=True)
    message = models.TextField("说明", blank=True)
    source = models.FileField(
        "上传的文件", upload_to="catalog-imports/", blank=True, max_length=200
    )
    allowed_agency_ids = models.JSONField("可导入的机构", null=True, blank=True)
    migration = models.BooleanField("系统迁移（按原发布状态导入）", default=False)
    reason = models.TextField("系统迁移理由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0
