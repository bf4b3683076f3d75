"""互动交流: 留言/政务咨询, 政策解读与热点回应, 意见征集, 网上调查 and 在线访谈.

* ``Question`` — a citizen's 留言 (咨询、建议、求助) with its routing history (``QuestionEvent``).
  Name and contact are personal data: encrypted at rest, never on a public page, never
  indexed. Nothing a citizen submits is deleted: a rejected 留言 stays with its reason.
* ``Interpretation`` — a 政策解读 or 热点回应 linked to the catalog items it explains.
* ``Consultation`` and ``Comment`` — 意见征集 on a draft, moderated comments, 采纳情况.
* ``Survey`` → ``SurveyQuestion`` → ``SurveyOption``; ``SurveyResponse`` → ``SurveyAnswer``.
* ``Interview`` and ``InterviewQuestion`` — 在线访谈 with moderated questions and a transcript.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.interaction.querysets import (
    InterpretationQuerySet,
    ModeratedQuerySet,
    QuestionQuerySet,
    ScheduledQuerySet,
)
from gongkai.lib.crypto import EncryptedTextField


def _upload_name(folder: str, filename: str) -> str:
    """An unguessable storage name; the original name is kept on the row."""
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"interaction/{folder}/{timezone.now():%Y}/{secrets.token_hex(16)}{ext}"


def graphic_path(instance: object, filename: str) -> str:
    return _upload_name("graphic", filename)


def draft_path(instance: object, filename: str) -> str:
    return _upload_name("draft", filename)


def answer_workdays() -> int:
    """Working days an agency has to answer a 留言 (``INTERACTION_ANSWER_WORKDAYS``, default 5)."""
    return int(getattr(settings, "INTERACTION_ANSWER_WORKDAYS", 5))


class Question(models.Model):
    """One 留言 (政务咨询) submitted on the portal."""

    class Kind(models.TextChoices):
        CONSULT = "consult", "咨询"
        SUGGEST = "suggest", "建议"
        HELP = "help", "求助"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待分办"
        ASSIGNED = "assigned", "办理中"
        ANSWERED = "answered", "答复待审核"
        PUBLISHED = "published", "已答复并公开"
        REPLIED = "replied", "已答复（不公开）"
        REJECTED = "rejected", "不予受理"

    year = models.PositiveSmallIntegerField("编号年度")
    serial = models.PositiveIntegerField("年度序号")
    number = models.CharField("留言编号", max_length=20, unique=True)
    query_code_hash = models.CharField("查询码摘要", max_length=64)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.CONSULT)
    suggested_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="留言人选择的部门",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name="答复部门",
    )
    # personal data: encrypted at rest, masked in the console, never public
    name = EncryptedTextField("姓名")
    contact = EncryptedTextField("联系方式")
    title = models.CharField("标题", max_length=100)
    body = models.TextField("留言内容")
    may_publish = models.BooleanField("同意公开", default=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    received_on = models.DateField("受理日期")
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    due_error = models.CharField("期限计算错误", max_length=200, blank=True)
    routed_at = models.DateTimeField("分办时间", null=True, blank=True)
    answer_text = models.TextField("答复内容", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    answered_on = models.DateField("答复日期", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    review_comment = models.TextField("审核意见", blank=True)
    scan_findings = models.JSONField("保密审查结果", default=list, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    rejection_reason = models.TextField("不予受理理由", blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "留言"
        verbose_name_plural = "留言"
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="question_year_serial")
        ]
        indexes = [models.Index(fields=["status", "received_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in (
            self.Status.SUBMITTED,
            self.Status.ASSIGNED,
            self.Status.ANSWERED,
        )

    @property
    def days_taken(self) -> int | None:
        """Working days from receipt to the answer (None while unanswered or off-calendar)."""
        if self.answered_on is None:
            return None
        from gongkai.workdays.calendar import CalendarMissingError, workdays_between

        try:
            return workdays_between(self.received_on, self.answered_on)
        except CalendarMissingError:
            return None

    @property
    def on_time(self) -> bool | None:
        if self.answered_on is None or self.due_on is None:
            return None
        return self.answered_on <= self.due_on

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today


class QuestionEvent(models.Model):
    """One step in a 留言's history (received, routed, answered, returned, published …)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="events", verbose_name="留言"
    )
    kind = models.CharField("类型", max_length=20)
    text = models.CharField("说明", max_length=300)
    public = models.BooleanField("留言人可见", default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="经办人",
    )
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "留言办理记录"
        verbose_name_plural = "留言办理记录"

    def __str__(self) -> str:
        return f"{self.question_id} {self.kind}"


class Interpretation(models.Model):
    """A 政策解读 or 热点回应 (text, an optional graphic and video link) and the catalog items
    it explains."""

    class Kind(models.TextChoices):
        POLICY = "policy", "政策解读"
        HOTSPOT = "hotspot", "热点回应"

    class Status(models.TextChoices):
        DRAFT = "draft", "未发布"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="interpretations",
        verbose_name="发布机关",
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.POLICY)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    graphic = models.FileField("图解", upload_to=graphic_path, blank=True)
    graphic_alt = models.CharField("图解文字说明", max_length=300, blank=True)
    video_url = models.URLField("视频链接", blank=True)
    items = models.ManyToManyField(
        "publishing.CatalogItem",
        related_name="interpretations",
        blank=True,
        verbose_name="所解读的文件",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    scan_findings = models.JSONField("保密审查结果", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = InterpretationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "解读回应"
        verbose_name_plural = "解读回应"

    def __str__(self) -> str:
        return self.title


class Consultation(models.Model):
    """意见征集 on a draft document: open from ``opens_on`` to ``closes_on`` (inclusive);
    the 采纳情况 (``feedback``) is published after the period."""

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name="征集机关",
    )
    title = models.CharField("征集事项", max_length=200)
    summary = models.TextField("征集说明")
    draft = models.FileField("征求意见稿", upload_to=draft_path, blank=True)
    draft_name = models.CharField("征求意见稿文件名", max_length=200, blank=True)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    is_published = models.BooleanField("已发布", default=False)
    feedback = models.TextField("意见采纳情况", blank=True)
    feedback_published_at = models.DateTimeField("采纳情况发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScheduledQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = "意见征集"
        verbose_name_plural = "意见征集"

    def __str__(self) -> str:
        return self.title

    def phase(self, today: dt.date | None = None) -> str:
        """ "upcoming", "open" or "closed" on ``today``."""
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "upcoming"
        return "open" if today <= self.closes_on else "closed"

    def phase_label(self) -> str:
        return {"upcoming": "未开始", "open": "征集中", "closed": "已结束"}[self.phase()]


class Comment(models.Model):
    """A comment on a consultation; shown only after a moderator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "未通过"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="comments", verbose_name="意见征集"
    )
    name = EncryptedTextField("姓名")
    contact = EncryptedTextField("联系方式", blank=True)
    body = models.TextField("意见内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    moderation_reason = models.TextField("审核理由", blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = "征集意见"
        verbose_name_plural = "征集意见"

    def __str__(self) -> str:
        return f"{self.consultation_id}#{self.pk}"


class Survey(models.Model):
    """网上调查: questions answered once per person, results published as charts."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="surveys", verbose_name="调查机关"
    )
    title = models.CharField("调查主题", max_length=200)
    summary = models.TextField("调查说明", blank=True)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    is_published = models.BooleanField("已发布", default=False)
    results_public = models.BooleanField("公开调查结果", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScheduledQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = "网上调查"
        verbose_name_plural = "网上调查"

    def __str__(self) -> str:
        return self.title

    def phase(self, today: dt.date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.opens_on:
            return "upcoming"
        return "open" if today <= self.closes_on else "closed"

    def phase_label(self) -> str:
        return {"upcoming": "未开始", "open": "调查中", "closed": "已结束"}[self.phase()]


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "单选"
        MULTIPLE = "multiple", "多选"
        TEXT = "text", "填空"

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name="调查"
    )
    position = models.PositiveSmallIntegerField("序号", default=1)
    text = models.CharField("题目", max_length=300)
    kind = models.CharField("题型", max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    required = models.BooleanField("必答", default=True)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = "调查题目"
        verbose_name_plural = "调查题目"

    def __str__(self) -> str:
        return self.text


class SurveyOption(models.Model):
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.CASCADE, related_name="options", verbose_name="题目"
    )
    position = models.PositiveSmallIntegerField("序号", default=1)
    text = models.CharField("选项", max_length=200)

    class Meta:
        ordering = ["question", "position", "pk"]
        verbose_name = "调查选项"
        verbose_name_plural = "调查选项"

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One person's answers. ``voter_key`` (keyed hash of the signed browser token) and
    ``ip_key`` (keyed hash of the client IP and the day) enforce one answer per person;
    neither can be turned back into the token or the address."""

    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="responses", verbose_name="调查"
    )
    voter_key = models.CharField("答卷人标识", max_length=64)
    ip_key = models.CharField("来源标识", max_length=64, db_index=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = "调查答卷"
        verbose_name_plural = "调查答卷"
        constraints = [
            models.UniqueConstraint(fields=["survey", "voter_key"], name="survey_one_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name="答卷"
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.PROTECT, related_name="answers", verbose_name="题目"
    )
    option = models.ForeignKey(
        SurveyOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name="选项",
    )
    text = models.TextField("填写内容", blank=True)

    class Meta:
        verbose_name = "调查回答"
        verbose_name_plural = "调查回答"

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"


class Interview(models.Model):
    """在线访谈: a scheduled interview with guests; questions are collected before and
    during it, and the transcript is published afterwards."""

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name="主办机关",
    )
    title = models.CharField("访谈主题", max_length=200)
    guests = models.CharField("访谈嘉宾", max_length=300)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    summary = models.TextField("访谈简介", blank=True)
    transcript = models.TextField("访谈实录", blank=True)
    transcript_published_at = models.DateTimeField("实录发布时间", null=True, blank=True)
    is_published = models.BooleanField("已发布", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now)

    objects = ScheduledQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = "在线访谈"
        verbose_name_plural = "在线访谈"

    def __str__(self) -> str:
        return self.title

    def phase(self, now: dt.datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.starts_at:
            return "upcoming"
        return "live" if now <= self.ends_at else "ended"

    def phase_label(self) -> str:
        return {"upcoming": "预告", "live": "正在访谈", "ended": "已结束"}[self.phase()]

    @property
    def accepts_questions(self) -> bool:
        """Questions are collected beforehand and during the interview."""
        return self.phase() in ("upcoming", "live")


class InterviewQuestion(models.Model):
    """A netizen's question for an interview; public only after approval."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "未通过"

    interview = models.ForeignKey(
        Interview, on_delete=models.PROTECT, related_name="questions", verbose_name="访谈"
    )
    nickname = models.CharField("网名", max_length=30)
    body = models.TextField("问题")
    answer = models.TextField("嘉宾答复", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    moderation_reason = models.TextField("审核理由", blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = "访谈提问"
        verbose_name_plural = "访谈提问"

    def __str__(self) -> str:
        return f"{self.interview_id}#{self.pk}"
