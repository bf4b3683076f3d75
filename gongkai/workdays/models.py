"""The working-day calendar as data.

* ``CalendarYear`` — a year whose 国务院办公厅 holiday notice has been entered. A year
  without a row has **no data**: any computation touching it fails closed.
* ``ExceptionDay`` — one day that differs from the Monday–Friday rule: a 法定节假日 rest
  day (休息) or a 调休 make-up working day (上班), with its holiday name and source notice.
* ``CalendarVersion`` — a single row whose number is bumped by every calendar change, so
  every process can notice cheaply that its in-memory index is stale.
"""

from __future__ import annotations

from django.db import models

from gongkai.workdays.querysets import ExceptionDayQuerySet


class DayKind(models.TextChoices):
    REST = "rest", "休息（法定节假日）"
    WORK = "work", "上班（调休）"


def default_notice(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


class CalendarYear(models.Model):
    """A year whose exception days are complete (the notice for that year was entered)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    notice = models.CharField("来源通知", max_length=200)
    notice_url = models.URLField("通知网址", blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"

    def __str__(self) -> str:
        return f"{self.year}年"


class ExceptionDay(models.Model):
    """A day that is not a plain weekday/weekend: a rest holiday or a 调休 working day."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=4, choices=DayKind.choices)
    name = models.CharField("节日名称", max_length=60)
    notice = models.CharField("来源通知", max_length=200)
    notice_url = models.URLField("通知网址", blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = ExceptionDayQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日调整日"
        verbose_name_plural = "节假日调整日"

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}（{self.get_kind_display()}）"

    @property
    def is_workday(self) -> bool:
        return self.kind == DayKind.WORK


class CalendarVersion(models.Model):
    """Single row (pk=1): bumped in the transaction of every calendar change."""

    version = models.PositiveIntegerField("版本", default=1)
    changed_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "日历版本"
        verbose_name_plural = "日历版本"

    def __str__(self) -> str:
        return f"v{self.version}"
