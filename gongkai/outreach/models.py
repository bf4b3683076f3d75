"""Reading points and the other channels of disclosure (SPEC C7).

* ``ReadingPoint`` — a 公共查阅点 with its ``Delivery`` rows (documents handed over, paper or
  electronic, with the working days from formation to delivery: limit 30) and ``VisitLog``
  rows (visitors and borrowings per period).
* ``Activity`` — press conferences, gazette issues, trainings, supervision inspections,
  platform maintenance and column visit totals: one row per event with a count and a
  quantity whose meaning depends on the kind (``Activity.QUANTITY_LABELS``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from gongkai.outreach.querysets import ActivityQuerySet, ReadingPointQuerySet, ScopedQuerySet

DELIVERY_LIMIT_WORKDAYS = 30


class ReadingPoint(models.Model):
    class Kind(models.TextChoices):
        ARCHIVE = "archive", "档案馆"
        LIBRARY = "library", "图书馆"
        SERVICE_CENTRE = "service", "政务服务中心"
        OTHER = "other", "其他"

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="reading_points",
        verbose_name="设置机关",
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    electronic = models.BooleanField("可电子查阅", default=False)
    address = models.CharField("地址", max_length=200)
    hours = models.CharField("开放时间", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    is_active = models.BooleanField("开放中", default=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = ReadingPointQuerySet.as_manager()

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = "公共查阅点"
        verbose_name_plural = "公共查阅点"
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="reading_point_agency_name")
        ]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """Documents delivered to a reading point (``quantity`` documents of one batch)."""

    class Medium(models.TextChoices):
        PAPER = "paper", "纸质"
        ELECTRONIC = "electronic", "电子"

    reading_point = models.ForeignKey(
        ReadingPoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name="查阅点"
    )
    title = models.CharField("文件名称", max_length=200)
    medium = models.CharField("载体", max_length=10, choices=Medium.choices)
    quantity = models.PositiveIntegerField("件数", default=1)
    formed_on = models.DateField("生成日期")
    delivered_on = models.DateField("报送日期")
    # derived at entry from the working-day calendar (None: the calendar lacked the year)
    workdays_taken = models.PositiveIntegerField("报送用时（工作日）", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    agency_path = "reading_point__agency_id"

    class Meta:
        ordering = ["-delivered_on", "-pk"]
        verbose_name = "查阅点报送"
        verbose_name_plural = "查阅点报送"
        indexes = [models.Index(fields=["delivered_on"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.formed_on and self.delivered_on and self.delivered_on < self.formed_on:
            raise ValidationError({"delivered_on": "报送日期不能早于生成日期。"})
        if self.quantity is not None and self.quantity < 1:
            raise ValidationError({"quantity": "件数至少为1。"})

    @property
    def is_late(self) -> bool:
        return self.workdays_taken is not None and self.workdays_taken > DELIVERY_LIMIT_WORKDAYS


class VisitLog(models.Model):
    """Visitors received and documents lent by a reading point on a day (or a period's total)."""

    reading_point = models.ForeignKey(
        ReadingPoint, on_delete=models.CASCADE, related_name="visits", verbose_name="查阅点"
    )
    logged_on = models.DateField("日期")
    visitors = models.PositiveIntegerField("接待人次", default=0)
    borrowings = models.PositiveIntegerField("借阅件次", default=0)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    agency_path = "reading_point__agency_id"

    class Meta:
        ordering = ["-logged_on", "-pk"]
        verbose_name = "查阅登记"
        verbose_name_plural = "查阅登记"

    def __str__(self) -> str:
        return f"{self.reading_point} {self.logged_on}"


class Activity(models.Model):
    """One recorded activity of an agency (press conference, training …)."""

    class Kind(models.TextChoices):
        PRESS = "press", "新闻发布会"
        GAZETTE = "gazette", "政府公报"
        TRAINING = "training", "培训"
        INSPECTION = "inspection", "监督检查"
        MAINTENANCE = "maintenance", "平台维护升级"
        COLUMN_VISITS = "visits", "专栏访问量"

    # what ``sessions`` and ``quantity`` mean for each kind (form labels, report wording)
    SESSIONS_LABELS = {
        "press": "场次",
        "gazette": "期数",
        "training": "培训次数",
        "inspection": "检查次数",
        "maintenance": "次数",
        "visits": "专栏数",
    }
    QUANTITY_LABELS = {
        "press": "发布信息项数",
        "gazette": "发放份数",
        "training": "参加人数",
        "inspection": "发现问题数",
        "maintenance": "涉及栏目数",
        "visits": "点击次数",
    }

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name="机关",
    )
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    held_on = models.DateField("日期")
    title = models.CharField("名称", max_length=200)
    sessions = models.PositiveIntegerField("次数", default=1)
    quantity = models.PositiveIntegerField("数量", default=0)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "公开活动"
        verbose_name_plural = "公开活动"
        indexes = [models.Index(fields=["kind", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def sessions_label(self) -> str:
        return self.SESSIONS_LABELS.get(self.kind, "次数")

    @property
    def quantity_label(self) -> str:
        return self.QUANTITY_LABELS.get(self.kind, "数量")
