"""Remedies (SPEC C6): 行政复议 / 行政诉讼 cases about disclosure, complaints and 申诉.

Report table 四 is computed from ``RemedyCase`` rows (see ``gongkai.reports.compute``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from gongkai.remedies.querysets import ComplaintQuerySet, RemedyCaseQuerySet


class RemedyCase(models.Model):
    """One administrative review or lawsuit concerning an agency's disclosure decision."""

    class Kind(models.TextChoices):
        REVIEW = "review", "行政复议"
        DIRECT = "direct", "行政诉讼（未经复议直接起诉）"
        AFTER_REVIEW = "after_review", "行政诉讼（复议后起诉）"

    class Outcome(models.TextChoices):
        PENDING = "pending", "尚未审结"
        UPHELD = "upheld", "结果维持"
        CORRECTED = "corrected", "结果纠正"
        OTHER = "other", "其他结果"

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="remedy_cases",
        verbose_name="被申请人/被告机关",
    )
    kind = models.CharField("类别", max_length=14, choices=Kind.choices)
    case_number = models.CharField("案号", max_length=60, blank=True)
    applicant_name = models.CharField("申请人/原告", max_length=100, blank=True)
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remedy_cases",
        verbose_name="所涉政府信息公开申请",
    )
    filed_on = models.DateField("受理（立案）日期")
    outcome = models.CharField(
        "结果", max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    concluded_on = models.DateField("审结日期", null=True, blank=True)
    summary = models.TextField("案情摘要", blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )

    objects = RemedyCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_on", "-pk"]
        verbose_name = "行政复议/诉讼案件"
        verbose_name_plural = "行政复议/诉讼案件"
        indexes = [models.Index(fields=["agency", "filed_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.pk}"

    def clean(self) -> None:
        if self.outcome == self.Outcome.PENDING and self.concluded_on:
            raise ValidationError({"concluded_on": "尚未审结的案件不应填写审结日期。"})
        if self.outcome != self.Outcome.PENDING and not self.concluded_on:
            raise ValidationError({"concluded_on": "已审结的案件须填写审结日期。"})
        if self.concluded_on and self.filed_on and self.concluded_on < self.filed_on:
            raise ValidationError({"concluded_on": "审结日期不能早于受理日期。"})


class Complaint(models.Model):
    """A 投诉/举报 (条例第四十七条、第五十一条) or a 申诉 about disclosure work."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "投诉"
        REPORT = "report", "举报"
        APPEAL = "appeal", "申诉"

    class Article(models.TextChoices):
        NONE = "", "—"
        ART47 = "47", "第四十七条（主管部门监督检查）"
        ART51 = "51", "第五十一条（投诉、举报）"

    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        CLOSED = "closed", "已办结"

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name="被投诉机关",
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    article = models.CharField("依据", max_length=2, choices=Article.choices, blank=True)
    received_on = models.DateField("收到日期")
    complainant = models.CharField("投诉人/申诉人", max_length=100, blank=True)
    subject = models.CharField("事由", max_length=200)
    handling = models.TextField("处理情况", blank=True)
    result = models.TextField("处理结果", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "投诉、举报和申诉"
        verbose_name_plural = "投诉、举报和申诉"
        indexes = [models.Index(fields=["agency", "received_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"

    def clean(self) -> None:
        if self.status == self.Status.CLOSED and not (self.closed_on and self.result):
            raise ValidationError({"result": "办结时须填写处理结果和办结日期。"})
        if self.status == self.Status.OPEN and self.closed_on:
            raise ValidationError({"closed_on": "办理中的事项不应填写办结日期。"})
        if self.closed_on and self.received_on and self.closed_on < self.received_on:
            raise ValidationError({"closed_on": "办结日期不能早于收到日期。"})
