"""Assessment and supervision (考核, SPEC C8).

* ``Assessment`` — one periodic evaluation of every agency of a region, with its configured
  ``Indicator`` rows (考评细则: name, weight, data source, parameters). Scoring stores one
  ``Score`` per agency and indicator — the ratio, the points and the evidence (the items,
  applications, guides, cases or findings behind it) — and one ``Result`` per agency (total,
  rank). A published assessment's ranking is shown on the portal.
* ``ManualRating`` — the value of a manual indicator for one agency, with its evidence.
* ``Inspection`` → ``Finding`` → ``RectificationTask`` → ``FollowUp``: supervision records,
  what was found, who must correct it by when, and every step until it is closed.
* ``WorkPlan`` → ``WorkTask`` → ``TaskProgress``: the annual 工作要点 as tasks with owners.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class Source(models.TextChoices):
    """Where an indicator's value comes from."""

    PUBLICATION_TIMELINESS = "publication_timeliness", "信息发布及时率（生成后20个工作日内发布）"
    INDEX_COMPLETENESS = "index_completeness", "索引号完整率"
    REPLY_ON_TIME = "reply_on_time", "依申请公开按时答复率"
    OVERDUE_REPLIES = "overdue_replies", "逾期答复（每件扣分）"
    GUIDE_FRESHNESS = "guide_freshness", "公开指南及时更新"
    REMEDIES_CORRECTED = "remedies_corrected", "复议诉讼被纠错（每件扣分）"
    INSPECTION_FINDINGS = "inspection_findings", "监督检查发现问题（每项扣分）"
    INTERPRETATION_TIMELY = "interpretation_timely", "政策解读3个工作日内发布率"
    MESSAGE_ON_TIME = "message_on_time", "留言按时答复率"
    MANUAL = "manual", "人工评分（附佐证材料）"


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "配置中"
        SCORED = "scored", "已评分"
        PUBLISHED = "published", "已公布"

    name = models.CharField("名称", max_length=100)
    region = models.ForeignKey(
        "agencies.Region", on_delete=models.PROTECT, related_name="+", verbose_name="考核区划"
    )
    year = models.PositiveSmallIntegerField("年度")
    period_start = models.DateField("考核期起")
    period_end = models.DateField("考核期止")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField("说明", blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "考核"
        verbose_name_plural = "考核"

    def __str__(self) -> str:
        return self.name

    @property
    def total_weight(self) -> Decimal:
        return sum((i.weight for i in self.indicators.all()), Decimal(0))


class Indicator(models.Model):
    """One line of the 考评细则: weight (points) and where its value comes from."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="indicators", verbose_name="考核"
    )
    order = models.PositiveSmallIntegerField("序号")
    name = models.CharField("指标", max_length=100)
    source = models.CharField("数据来源", max_length=30, choices=Source.choices)
    weight = models.DecimalField(
        "分值", max_digits=6, decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )  # fmt: skip
    params = models.JSONField("参数", default=dict, blank=True)
    description = models.TextField("评分标准", blank=True)

    class Meta:
        ordering = ["assessment", "order"]
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "order"], name="indicator_order_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manual(self) -> bool:
        return self.source == Source.MANUAL

    @property
    def params_json(self) -> str:
        import json

        return json.dumps(self.params or {}, ensure_ascii=False)


class ManualRating(models.Model):
    """The value (0–1 of the indicator's points) of a manual indicator for one agency."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="ratings", verbose_name="指标"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="机构"
    )
    ratio = models.DecimalField(
        "得分比例", max_digits=5, decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )  # fmt: skip
    evidence = models.TextField("佐证材料")
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="评分人"
    )
    rated_at = models.DateTimeField("评分时间", default=timezone.now)

    class Meta:
        verbose_name = "人工评分"
        verbose_name_plural = "人工评分"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "agency"], name="rating_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.agency}"


class Score(models.Model):
    """One agency's score on one indicator, with the evidence that explains it."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name="考核"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="机构"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="scores", verbose_name="指标"
    )
    ratio = models.DecimalField("得分比例", max_digits=5, decimal_places=4)
    points = models.DecimalField("得分", max_digits=6, decimal_places=2)
    numerator = models.PositiveIntegerField("符合项数", null=True, blank=True)
    denominator = models.PositiveIntegerField("总项数", null=True, blank=True)
    explanation = models.TextField("计分说明")
    evidence = models.JSONField("依据明细", default=list, blank=True)
    evidence_truncated = models.BooleanField("明细已截断", default=False)

    class Meta:
        ordering = ["assessment", "agency", "indicator__order"]
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "agency", "indicator"], name="score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.indicator} {self.points}"


class Result(models.Model):
    """One agency's total and rank in one assessment."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="results", verbose_name="考核"
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="机构"
    )
    total = models.DecimalField("总分", max_digits=7, decimal_places=2)
    rank = models.PositiveIntegerField("名次")

    class Meta:
        ordering = ["assessment", "rank", "agency__name"]
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "agency"], name="result_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.agency} {self.total}"


class Inspection(models.Model):
    """A supervision inspection (监督检查) of one agency."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="被检查机构"
    )
    title = models.CharField("检查名称", max_length=200)
    inspected_on = models.DateField("检查日期")
    inspectors = models.CharField("检查人员", max_length=200)
    summary = models.TextField("检查情况", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = "监督检查"
        verbose_name_plural = "监督检查"

    def __str__(self) -> str:
        return f"{self.title}（{self.agency}）"


class Finding(models.Model):
    class Severity(models.TextChoices):
        MINOR = "minor", "一般问题"
        MAJOR = "major", "严重问题"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name="检查"
    )
    description = models.TextField("发现的问题")
    severity = models.CharField(
        "性质", max_length=10, choices=Severity.choices, default=Severity.MINOR
    )
    evidence = models.TextField("佐证材料")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        ordering = ["inspection", "id"]
        verbose_name = "检查发现"
        verbose_name_plural = "检查发现"

    def __str__(self) -> str:
        return self.description[:40]


class RectificationTask(models.Model):
    """整改任务: who must correct a finding by when; followed up until closed."""

    class Status(models.TextChoices):
        OPEN = "open", "整改中"
        SUBMITTED = "submitted", "已报整改情况，待核查"
        CLOSED = "closed", "已销号"

    finding = models.OneToOneField(
        Finding, on_delete=models.CASCADE, related_name="task", verbose_name="检查发现"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="责任人"
    )
    due_on = models.DateField("整改期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    created_at = models.DateTimeField("下达时间", default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"

    def __str__(self) -> str:
        return f"整改：{self.finding}"

    @property
    def closed_in_time(self) -> bool:
        return self.closed_on is not None and self.closed_on <= self.due_on

    def is_overdue(self, today) -> bool:  # type: ignore[no-untyped-def]
        return self.status != self.Status.CLOSED and self.due_on < today


class FollowUp(models.Model):
    """One step of a rectification task (progress, report, reopen, close)."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "进展"
        SUBMIT = "submit", "报送整改情况"
        REOPEN = "reopen", "核查未通过，继续整改"
        CLOSE = "close", "核查通过，销号"

    task = models.ForeignKey(
        RectificationTask, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="任务"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    note = models.TextField("说明")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="办理人"
    )
    on = models.DateField("日期")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        ordering = ["task", "created_at", "id"]
        verbose_name = "整改跟踪"
        verbose_name_plural = "整改跟踪"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


class WorkPlan(models.Model):
    """The annual 政务公开工作要点 of a region."""

    region = models.ForeignKey(
        "agencies.Region", on_delete=models.PROTECT, related_name="+", verbose_name="区划"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    summary = models.TextField("总体思路", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "工作要点"
        verbose_name_plural = "工作要点"
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="workplan_region_year")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def progress(self) -> int:
        tasks = list(self.tasks.all())
        return round(sum(t.progress for t in tasks) / len(tasks)) if tasks else 0


class WorkTask(models.Model):
    """One key task of a work plan, with its owner and progress."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField("序号")
    section = models.CharField("所属部分", max_length=100, blank=True)
    title = models.CharField("任务", max_length=200)
    description = models.TextField("内容", blank=True)
    owner_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name="责任人",
    )  # fmt: skip
    due_on = models.DateField("完成时限", null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        "进度（%）", default=0, validators=[MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "重点任务"
        verbose_name_plural = "重点任务"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="worktask_plan_number")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        return "已完成" if self.progress >= 100 else ("推进中" if self.progress else "未开始")


class TaskProgress(models.Model):
    task = models.ForeignKey(WorkTask, on_delete=models.CASCADE, related_name="updates")
    progress = models.PositiveSmallIntegerField("进度（%）", validators=[MaxValueValidator(100)])
    note = models.TextField("进展情况")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on = models.DateField("日期")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["task", "created_at", "id"]
        verbose_name = "任务进展"
        verbose_name_plural = "任务进展"

    def __str__(self) -> str:
        return f"{self.task} {self.progress}%"
