"""Tables of the shared helpers: the rate-limit counters (``gongkai.lib.ratelimit``)."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """One counter of one rate-limit bucket; the row is dead once ``expires_at`` passed.

    ``key`` is ``<scope>:<sha256 of the subject>``: no IP address or user name is stored
    in clear. Rows are updated with one atomic UPDATE, so every worker process sees the
    same count (the point of keeping them in the database rather than a per-process cache).
    """

    key = models.CharField("键", max_length=120, primary_key=True)
    count = models.PositiveIntegerField("次数", default=0)
    expires_at = models.DateTimeField("过期时间", db_index=True)

    class Meta:
        verbose_name = "频率计数"
        verbose_name_plural = "频率计数"

    def __str__(self) -> str:
        return f"{self.key}={self.count}"
