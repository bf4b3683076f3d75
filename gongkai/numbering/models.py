"""Gap-free counters for 索引号 serials, application numbers and 文号."""

from django.db import models


class Counter(models.Model):
    """The last number handed out in one scope, agency and period (year or month)."""

    scope = models.CharField("用途", max_length=40)
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    period = models.CharField("期间", max_length=10)
    value = models.PositiveIntegerField("当前值", default=0)

    class Meta:
        verbose_name = "编号计数器"
        verbose_name_plural = "编号计数器"
        constraints = [
            models.UniqueConstraint(fields=["scope", "agency", "period"], name="counter_unique"),
            models.UniqueConstraint(
                fields=["scope", "period"],
                condition=models.Q(agency=None),
                name="counter_unique_global",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.agency_id}/{self.period}={self.value}"
