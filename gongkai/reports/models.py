"""Annual reports (SPEC C9): an editable draft, then a frozen published snapshot.

A report belongs to one agency (a department's own report) or one region (the government's
roll-up of its agencies and lower levels). While a draft, its numbers are computed live from
the data; ``report_publish`` freezes the computed figures (``data``) and the rendered HTML
(``html``) so later data changes never alter what was published. A correction is a new
version issued with a reason; the old version stays on record as superseded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.reports.querysets import AnnualReportQuerySet


class AnnualReport(models.Model):
    class Style(models.TextChoices):
        Y2021 = "2021", "2021年格式（国办公开办函〔2021〕30号）"
        Y2012 = "2012", "2012年叙述格式"

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        SUPERSEDED = "superseded", "已被新版本取代"

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_reports",
        verbose_name="机关",
    )
    region = models.ForeignKey(
        "agencies.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_reports",
        verbose_name="区划（政府汇总）",
    )
    year = models.PositiveSmallIntegerField("年度")
    style = models.CharField("格式", max_length=4, choices=Style.choices, default=Style.Y2021)
    version = models.PositiveSmallIntegerField("版本", default=1)
    title = models.CharField("标题", max_length=200)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    narrative = models.JSONField("叙述文字", default=dict, blank=True)
    reason = models.CharField("新版本原因", max_length=300, blank=True)
    data = models.JSONField("冻结数据", null=True, blank=True)
    html = models.TextField("冻结正文", blank=True)
    pdf = models.BinaryField("PDF", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title", "-version"]
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(agency__isnull=False, region__isnull=True))
                | (models.Q(agency__isnull=True, region__isnull=False)),
                name="annual_report_one_scope",
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "style", "version"],
                condition=models.Q(agency__isnull=False),
                name="annual_report_agency_version",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "style", "version"],
                condition=models.Q(region__isnull=False),
                name="annual_report_region_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）" if self.version > 1 else self.title

    @property
    def scope(self) -> models.Model:
        return self.agency or self.region  # type: ignore[return-value]

    @property
    def scope_name(self) -> str:
        if self.agency_id:
            return self.agency.name  # type: ignore[union-attr]
        return f"{self.region.name}人民政府"  # type: ignore[union-attr]
