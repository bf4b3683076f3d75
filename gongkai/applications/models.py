"""依申请公开: applications, their history, consultations, notices, attachments and the outbox.

The reports app reads only the pinned fields of ``Application`` (agency, number, channel,
applicant_type, received_on, status, outcome, replied_on, closed_on, fee_amount).
Deadlines are never typed in: ``due_on`` is a cache of ``clock.compute(application)``
(the workdays deadline engine over the application's events), refreshed by every service
that changes an input of the clock and by the calendar recompute hook.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.applications.querysets import ApplicationQuerySet
from gongkai.lib import codes
from gongkai.lib.crypto import EncryptedTextField, private_storage
from gongkai.lib.taxonomy import OUTCOME_CHOICES, OUTCOMES_BY_CODE, ApplicantType, Channel

ERA_2019_START = dt.date(2019, 5, 15)


class Era(models.TextChoices):
    """Which 条例 governs an application (by its receipt date)."""

    R2008 = "2008", "2008年条例（国务院令第492号）"
    R2019 = "2019", "2019年条例（国务院令第711号）"


def _private_name(folder: str, filename: str) -> str:
    """An unguessable storage name (the original name is kept on the row, not in the path):
    ID proofs and disclosed files must never be reachable by guessing a media URL."""
    import os
    import secrets

    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"applications/{folder}/{timezone.now():%Y}/{secrets.token_hex(16)}{ext}"


def id_proof_path(instance: object, filename: str) -> str:
    return _private_name("id_proof", filename)


def disclosed_path(instance: object, filename: str) -> str:
    return _private_name("disclosed", filename)


def era_for(day: dt.date | None) -> str:
    return Era.R2008 if day is not None and day < ERA_2019_START else Era.R2019


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    OTHER = "other", "其他有效身份证件"


class Carrier(models.TextChoices):
    PAPER = "paper", "纸质文本"
    ELECTRONIC = "electronic", "电子文本"
    OTHER = "other", "其他（光盘、磁盘等）"


class Delivery(models.TextChoices):
    MAIL = "mail", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "当面领取"
    FAX = "fax", "传真"
    INSPECT = "inspect", "现场查阅、抄录"
    ONLINE = "online", "网上获取"


class FeeMethod(models.TextChoices):
    NONE = "", "不收费"
    ITEM = "item", "按件计收"
    PAGE = "page", "按量计收"
    COST = "cost", "成本费用（2008年条例）"


class Application(models.Model):
    """One application for disclosure (政府信息公开申请)."""

    class Status(models.TextChoices):
        PENDING = "pending", "待确认"
        RECEIVED = "received", "已登记待分办"
        PROCESSING = "processing", "办理中"
        CORRECTION = "correction", "待补正"
        FEE = "fee", "待缴费"
        REPLIED = "replied", "已答复待送达"
        CLOSED = "closed", "已办结"

    OPEN_STATUSES = (
        Status.PENDING,
        Status.RECEIVED,
        Status.PROCESSING,
        Status.CORRECTION,
        Status.FEE,
    )
    CLOCK_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.CORRECTION, Status.FEE)

    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="受理机关",
    )
    year = models.PositiveSmallIntegerField("编号年度")
    serial = models.PositiveIntegerField("年度序号")
    number = models.CharField("申请编号", max_length=40, unique=True)
    channel = models.CharField("申请方式", max_length=12, choices=Channel.choices)
    applicant_type = models.CharField("申请人类型", max_length=10, choices=ApplicantType.choices)
    era = models.CharField("适用条例", max_length=4, choices=Era.choices, default=Era.R2019)

    # --- applicant (personal data: id_number and phone encrypted at rest) ---------------
    applicant_name = models.CharField("申请人姓名/名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=12, choices=IdType.choices, blank=True)
    id_number = EncryptedTextField("证件号码/统一社会信用代码", blank=True)
    identity_index = models.CharField("身份标识索引", max_length=64, blank=True, db_index=True)
    legal_representative = models.CharField("法定代表人", max_length=60, blank=True)
    contact_person = models.CharField("联系人", max_length=60, blank=True)
    phone = EncryptedTextField("联系电话", blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disclosure_applications",
        verbose_name="申请人账户",
    )
    id_proof = models.FileField(
        "身份证明", upload_to=id_proof_path, blank=True, storage=private_storage
    )

    # --- what is asked for ------------------------------------------------------------
    description = models.TextField("所需信息的内容描述")
    doc_number = models.CharField("所需信息的文号", max_length=100, blank=True)
    purpose = models.CharField("所需信息的用途", max_length=200, blank=True)
    carrier = models.CharField(
        "信息载体", max_length=12, choices=Carrier.choices, default=Carrier.ELECTRONIC
    )
    delivery = models.CharField(
        "获取方式", max_length=12, choices=Delivery.choices, default=Delivery.EMAIL
    )

    # --- receipt and processing ----------------------------------------------------------
    submitted_at = models.DateTimeField("提交/登记时间", default=timezone.now)
    received_on = models.DateField("收到申请之日", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PENDING)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_applications",
        verbose_name="承办人",
    )
    query_code_hash = models.CharField("查询码摘要", max_length=64, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="疑似重复",
    )

    # 补正 (Art 30)
    correction_requested_on = models.DateField("补正告知日期", null=True, blank=True)
    correction_items = models.TextField("需补正事项", blank=True)
    correction_due_on = models.DateField("补正期限", null=True, blank=True)
    correction_received_on = models.DateField("收到补正之日", null=True, blank=True)
    correction_text = models.TextField("补正内容", blank=True)

    # extension (Art 33) and Art 35 delayed deadline
    extension_workdays = models.PositiveSmallIntegerField("延长工作日", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="延期批准人",
    )
    extension_approved_at = models.DateTimeField("延期批准时间", null=True, blank=True)
    delayed_due_on = models.DateField("第三十五条延迟答复期限", null=True, blank=True)
    delayed_reason = models.TextField("延迟答复理由", blank=True)

    # Art 35 要求说明理由 (the statutory clock keeps running: see services.reasons)
    reasons_requested_on = models.DateField("要求说明理由日期", null=True, blank=True)
    reasons_items = models.TextField("需说明理由事项", blank=True)
    reasons_due_on = models.DateField("说明理由期限", null=True, blank=True)
    reasons_received_on = models.DateField("收到说明理由之日", null=True, blank=True)
    reasons_text = models.TextField("申请人说明的理由", blank=True)
    reasons_accepted_on = models.DateField("认可理由日期", null=True, blank=True)

    # 撤回申请 (closes with outcome 其他处理 3.其他)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawal_reason = models.TextField("撤回理由", blank=True)

    # fees (国办函〔2020〕109号)
    fee_method = models.CharField("收费方式", max_length=6, choices=FeeMethod.choices, blank=True)
    fee_units = models.PositiveIntegerField("计费件序/页数", default=0)
    fee_amount = models.DecimalField(
        "信息处理费（元）", max_digits=10, decimal_places=2, default=Decimal("0")
    )
    fee_notified_on = models.DateField("收费通知日期", null=True, blank=True)
    fee_due_on = models.DateField("缴费期限", null=True, blank=True)
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True)

    # reply (Art 36) and service
    outcome = models.CharField("办理结果", max_length=24, choices=OUTCOME_CHOICES, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    legal_basis = models.TextField("法律依据", blank=True)
    # what some replies must name (see applications.legal): the ground of the withheld part
    # of a 部分公开 (Art 37), the agency responsible for the information (Art 36(5))
    withheld_ground = models.CharField(
        "不予公开部分的理由", max_length=24, choices=OUTCOME_CHOICES, blank=True
    )
    responsible_agency_name = models.CharField("负责公开的行政机关名称", max_length=100, blank=True)
    responsible_agency_contact = models.CharField(
        "负责公开的行政机关联系方式", max_length=200, blank=True
    )
    # 109号 第四条 “一事一申请”: the number of items this application counts as for 按件计收
    fee_items = models.PositiveSmallIntegerField("按一事一申请拆分的件数", default=1)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    service_method = models.CharField(
        "送达方式", max_length=12, choices=Delivery.choices, blank=True
    )
    served_on = models.DateField("送达日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)

    # cache of the deadline engine (refreshed by services; never edited by hand)
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    due_explanation = models.JSONField("期限说明", default=list, blank=True)
    clock_error = models.CharField("期限计算错误", max_length=200, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "serial"], name="application_serial_unique"
            ),
        ]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return self.number

    # --- derived values ----------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_organisation(self) -> bool:
        return self.applicant_type != ApplicantType.NATURAL

    @property
    def masked_id_number(self) -> str:
        return codes.mask(self.id_number or "", keep_start=4, keep_end=4)

    @property
    def masked_phone(self) -> str:
        return codes.mask(self.phone or "", keep_start=3, keep_end=4)

    @property
    def outcome_cell(self):  # type: ignore[no-untyped-def]
        return OUTCOMES_BY_CODE.get(self.outcome)

    @property
    def summary(self) -> str:
        text = " ".join(self.description.split())
        return text if len(text) <= 60 else text[:60] + "…"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_on is not None and self.due_on < today


class Event(models.Model):
    """One step in an application's history (the applicant sees the public ones)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", default=timezone.now)
    on = models.DateField("日期")
    kind = models.CharField("类型", max_length=30)
    text = models.CharField("说明", max_length=300)
    public = models.BooleanField("申请人可见", default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"

    def __str__(self) -> str:
        return f"{self.on} {self.text}"


class ConsultDelivery(models.TextChoices):
    """How a consultation letter is delivered; decides its receipt date (see
    ``services.processing.consultation_receipt_rule``): 直接送达 and in-system sending — the
    sending day; 邮寄 — the day it was signed for; 电子邮件/传真 — the day the party confirms."""

    IN_PERSON = "in_person", "直接送达"
    EMAIL = "email", "电子邮件"
    FAX = "fax", "传真"
    MAIL = "mail", "邮寄"
    SYSTEM = "system", "政务系统内发送"


class Consultation(models.Model):
    """Art 32 third-party or Art 34 inter-agency consultation; its period is not counted."""

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", "第三方意见征询（第三十二条）"
        AGENCY = "agency", "征求其他机关意见（第三十四条）"

    class Result(models.TextChoices):
        PENDING = "", "等待答复"
        AGREE = "agree", "同意公开"
        DISAGREE = "disagree", "不同意公开"
        NO_REPLY = "no_reply", "逾期未提出意见"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="consultations"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    party = models.CharField("被征求意见方", max_length=100)
    party_address = models.CharField("地址/联系方式", max_length=200, blank=True)
    delivery = models.CharField(
        "送达方式", max_length=12, choices=ConsultDelivery.choices, default="in_person"
    )
    sent_on = models.DateField("发出日期")
    # Art 32/34 count the 15 working days from the day the party *received* the letter;
    # null until known (a letter by post: the day it was signed for).
    received_on = models.DateField("对方收到征求意见书之日", null=True, blank=True)
    due_on = models.DateField("答复期限")
    answered_on = models.DateField("答复/结束日期", null=True, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, blank=True, default="")
    note = models.TextField("意见摘要", blank=True)

    class Meta:
        ordering = ["sent_on", "pk"]
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.party}"

    @property
    def receipt_pending(self) -> bool:
        """The party's receipt date is not known yet: the due date is provisional."""
        return self.received_on is None

    @property
    def effective_result_label(self) -> str:
        if self.result == self.Result.NO_REPLY and self.kind == self.Kind.AGENCY:
            return "逾期未提出意见，视为同意公开"
        if self.result == self.Result.NO_REPLY:
            return "逾期未提出意见，由本机关依法决定"
        return self.get_result_display()


class NoticeKind(models.TextChoices):
    """Every document the app issues; reply kinds match taxonomy.OutcomeCell.notice."""

    RECEIPT = "receipt", "登记回执"
    CORRECTION = "correction", "补正告知书"
    EXTENSION = "extension", "延期答复告知书"
    THIRD_PARTY = "third_party", "第三方意见征询函"
    AGENCY_CONSULT = "agency_consult", "征求意见函（其他机关）"
    FEE = "fee", "收费通知"
    DISCLOSE = "disclose", "政府信息公开告知书"
    DISCLOSE_PUBLISHED = "disclose_published", "政府信息公开告知书（已主动公开）"
    PARTIAL = "partial", "政府信息部分公开告知书"
    WITHHOLD = "withhold", "政府信息不予公开告知书"
    WITHHOLD_QUERY = "withhold_query", "行政查询事项告知书"
    NOT_EXIST = "not_exist", "政府信息不存在告知书"
    NEEDS_CREATION = "needs_creation", "无法提供政府信息告知书（需另行制作）"
    UNCLEAR = "unclear", "无法提供政府信息告知书（补正后仍不明确）"
    NOT_APPLICATION = "not_application", "不作为政府信息公开申请处理告知书"
    REPEAT = "repeat", "重复申请不予重复处理告知书"
    PUBLICATION = "publication", "公开出版物获取途径告知书"
    EXCESSIVE = "excessive", "不予处理告知书（大量反复申请）"
    REJECT_CONFIRM = "reject_confirm", "不予处理告知书（要求确认或重新出具）"
    LAPSED_CORRECTION = "lapsed_correction", "逾期未补正终止处理告知书"
    LAPSED_FEE = "lapsed_fee", "逾期未缴费终止处理告知书"
    OTHER = "other", "政府信息公开申请处理告知书"
    NOT_THIS_AGENCY = "not_this_agency", "非本机关政府信息告知书"
    REASONS = "reasons", "要求说明理由通知书"


class NoticeTemplate(models.Model):
    """A versioned notice text (data, not code). Editing creates a new version.

    ``body`` is a Django template; one paragraph per blank-line separated block. The
    legal basis and the remedy clause are separate fields so they can be corrected
    without touching the body (and differ between the 2008 and 2019 eras).
    """

    kind = models.CharField("文书类型", max_length=20, choices=NoticeKind.choices)
    era = models.CharField("适用条例", max_length=4, choices=Era.choices, default=Era.R2019)
    version = models.PositiveIntegerField("版本")
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文模板")
    legal_basis = models.TextField("法律依据", blank=True)
    remedy_clause = models.TextField("救济途径告知", blank=True)
    is_current = models.BooleanField("当前版本", default=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "era", "-version"]
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "era", "version"], name="notice_template_version_unique"
            ),
            models.UniqueConstraint(
                fields=["kind", "era"],
                condition=models.Q(is_current=True),
                name="notice_template_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.era}版 第{self.version}版）"


class Notice(models.Model):
    """An issued document: frozen text, the template version used and its 文号."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notices")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("文书类型", max_length=20, choices=NoticeKind.choices)
    template = models.ForeignKey(NoticeTemplate, on_delete=models.PROTECT, related_name="notices")
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    doc_number = models.CharField("文号", max_length=60)
    title = models.CharField("标题", max_length=100)
    recipient = models.CharField("主送", max_length=120)
    paragraphs = models.JSONField("正文", default=list)
    issued_on = models.DateField("成文日期")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "文书"
        verbose_name_plural = "文书"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "serial"], name="notice_serial_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.doc_number}"


class Attachment(models.Model):
    """A file disclosed to the applicant with the reply."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=disclosed_path, storage=private_storage)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小", default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = "公开文件"
        verbose_name_plural = "公开文件"

    def __str__(self) -> str:
        return self.name


class OutboxMessage(models.Model):
    """A notification written in the same transaction as the state change; sent later."""

    class Channel(models.TextChoices):
        EMAIL = "email", "电子邮件"
        SMS = "sms", "短信"

    channel = models.CharField("渠道", max_length=6, choices=Channel.choices, default=Channel.EMAIL)
    to = models.CharField("收件人", max_length=254)
    subject = models.CharField("主题", max_length=200)
    body = models.TextField("内容")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="outbox"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "待发消息"
        verbose_name_plural = "待发消息"
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return f"{self.to} {self.subject}"


# --- 审签 (sign-off) of replies, configured per agency ----------------------------------------


class ReplySignoffPolicy(models.Model):
    """An agency's setting: every reply goes through 审签 before its notice is issued."""

    agency = models.OneToOneField(
        "agencies.Agency",
        on_delete=models.CASCADE,
        related_name="reply_signoff_policy",
        verbose_name="机关",
    )
    required = models.BooleanField("答复须经审签", default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "答复审签设置"
        verbose_name_plural = "答复审签设置"

    def __str__(self) -> str:
        return f"{self.agency}：{'须审签' if self.required else '不审签'}"


def draft_path(instance: object, filename: str) -> str:
    return _private_name("reply-drafts", filename)


class ReplyDraft(models.Model):
    """A reply waiting for 审签: what the handler proposes (the reply form's values and
    files); signing it issues the notice through ``application_reply``."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审签"
        SIGNED = "signed", "已审签"
        RETURNED = "returned", "已退回"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reply_drafts", verbose_name="申请"
    )
    params = models.JSONField("答复内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="拟稿人"
    )
    drafted_at = models.DateTimeField("提交时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审签人",
    )
    decided_at = models.DateTimeField("审签时间", null=True, blank=True)
    comment = models.TextField("审签意见", blank=True)

    class Meta:
        ordering = ["-drafted_at", "-pk"]
        verbose_name = "答复审签"
        verbose_name_plural = "答复审签"
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status="pending"),
                name="replydraft_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.get_status_display()}"


class ReplyDraftFile(models.Model):
    """A file proposed with a reply draft; it becomes an ``Attachment`` when signed."""

    draft = models.ForeignKey(ReplyDraft, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to=draft_path, storage=private_storage)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小", default=0)

    class Meta:
        ordering = ["pk"]
        verbose_name = "待审签文件"
        verbose_name_plural = "待审签文件"

    def __str__(self) -> str:
        return self.name
