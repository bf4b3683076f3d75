"""Forms of the applications app (portal intake, staff registration, processing steps)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone

from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Agency
from gongkai.applications.models import (
    Carrier,
    Consultation,
    ConsultDelivery,
    Delivery,
    FeeMethod,
    IdType,
)
from gongkai.applications.services import APPLICANT_FIELDS, LAPSE_OUTCOMES
from gongkai.lib import codes, uploads
from gongkai.lib.captcha import CaptchaFormMixin
from gongkai.lib.taxonomy import OUTCOME_CHOICES, ApplicantType, Channel

ALLOWED_PROOF_TYPES = {"image/jpeg", "image/png", "application/pdf"}
ALLOWED_DISCLOSED_EXT = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".jpg",
    ".jpeg",
    ".png",
    ".zip",
    ".txt",
    ".ofd",
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def max_upload() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def check_upload(
    f: Any, *, allowed_mime: set[str] | None = None, allowed_ext: set[str] | None = None
) -> Any:
    """Extension and content together (``gongkai.lib.uploads``; never trust the browser's
    content type): ID proofs are JPG/PNG/PDF, disclosed files ``ALLOWED_DISCLOSED_EXT``."""
    if allowed_mime is not None:
        exts = {e for e, m in uploads.MIME.items() if m in allowed_mime}
        return uploads.clean_upload(f, allowed=exts, label="身份证明")
    return uploads.clean_upload(f, allowed=allowed_ext or set(), label="文件")


APPLICANT_SUBTYPES = [
    (v, label) for v, label in ApplicantType.choices if v != ApplicantType.NATURAL
]


class ApplicationForm(CaptchaFormMixin, forms.Form):
    """The portal form (条例第二十九条): applicant, the information wanted, its form."""

    agency = forms.ModelChoiceField(
        label="受理机关", queryset=Agency.objects.active(), empty_label="请选择受理机关"
    )
    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=[("natural", "公民（自然人）")]
        + [(v, f"法人或其他组织 · {lb}") for v, lb in APPLICANT_SUBTYPES],
        help_text="法人或其他组织请选择所属类别（商业企业、科研机构、社会公益组织、法律服务机构、其他）。",
    )
    applicant_name = forms.CharField(label="姓名或名称", max_length=100)
    id_type = forms.ChoiceField(
        label="证件类型", choices=IdType.choices, required=False, help_text="公民填写。"
    )
    id_number = forms.CharField(
        label="证件号码或统一社会信用代码",
        max_length=30,
        help_text="公民填写身份证件号码；法人或其他组织填写18位统一社会信用代码。",
    )
    legal_representative = forms.CharField(
        label="法定代表人", max_length=60, required=False, help_text="法人或其他组织填写。"
    )
    contact_person = forms.CharField(
        label="联系人", max_length=60, required=False, help_text="法人或其他组织填写。"
    )
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    email = forms.EmailField(
        label="电子邮箱", required=False, help_text="办理进度和文书将通过电子邮件通知您。"
    )
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=6, required=False)
    description = forms.CharField(
        label="所需信息的名称或内容描述",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="请尽量写明信息的名称、文号或者便于查询的其他特征性描述。",
    )
    doc_number = forms.CharField(label="文号（如知道）", max_length=100, required=False)
    purpose = forms.CharField(
        label="所需信息的用途", max_length=200, required=False, help_text="选填。"
    )
    carrier = forms.ChoiceField(
        label="信息载体", choices=Carrier.choices, initial=Carrier.ELECTRONIC
    )
    delivery = forms.ChoiceField(label="获取方式", choices=Delivery.choices, initial=Delivery.EMAIL)
    id_proof = forms.FileField(
        label="身份证明",
        required=False,
        help_text="身份证件或营业执照等的照片或扫描件（JPG、PNG、PDF，不超过10MB）。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].label_from_instance = lambda a: a.name  # type: ignore[attr-defined]
        self.fields["description"].widget.attrs.update(
            {
                "hx-get": "",
                "hx-trigger": "input changed delay:600ms",
                "hx-target": "#suggestions",
                "hx-swap": "innerHTML",
            }
        )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip().replace(" ", "").replace("-", "")
        if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
            raise forms.ValidationError("请填写正确的电话号码（7至12位数字）。")
        return phone

    def clean_postcode(self) -> str:
        code = self.cleaned_data["postcode"].strip()
        if code and not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("邮政编码应为6位数字。")
        return code

    def clean_id_proof(self) -> Any:
        f = self.cleaned_data.get("id_proof")
        return check_upload(f, allowed_mime=ALLOWED_PROOF_TYPES) if f else f

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("applicant_type")
        number = (data.get("id_number") or "").strip().upper().replace(" ", "")
        data["id_number"] = number
        if kind == ApplicantType.NATURAL:
            if not data.get("id_type"):
                self.add_error("id_type", "请选择证件类型。")
            elif data["id_type"] == IdType.RESIDENT_ID and number:
                msg = codes.id_number_error(number, today=timezone.localdate())
                if msg is not None:
                    self.add_error("id_number", msg)
        elif kind:
            data["id_type"] = ""
            if number and (msg := codes.uscc_error(number)) is not None:
                self.add_error("id_number", msg)
            if not data.get("contact_person"):
                self.add_error("contact_person", "法人或其他组织请填写联系人。")
        if not (data.get("phone") or data.get("email") or data.get("address")):
            self.add_error(None, "请至少填写一种联系方式：联系电话、电子邮箱或通信地址。")
        if data.get("delivery") == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", "选择电子邮件获取的，请填写电子邮箱。")
        if data.get("delivery") == Delivery.MAIL and not data.get("address"):
            self.add_error("address", "选择邮寄获取的，请填写通信地址。")
        return data

    def applicant_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) or "" for k in APPLICANT_FIELDS}


class RegisterForm(ApplicationForm):
    """Staff registration of letters, in-person, fax, e-mail and oral applications."""

    channel = forms.ChoiceField(
        label="申请方式", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    received_on = forms.DateField(
        label="收到申请之日",
        required=False,
        widget=DATE,
        help_text="当面/口头：提交之日；信函：签收之日；电子邮件：系统接收之日。传真须双方确认，登记后再确认。",
    )

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
        self.fields["id_number"].required = False
        self.fields["description"].widget.attrs.pop("hx-get", None)
        for attr in ("hx-trigger", "hx-target", "hx-swap"):
            self.fields["description"].widget.attrs.pop(attr, None)

    def clean_received_on(self) -> dt.date | None:
        day = self.cleaned_data.get("received_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError("收到申请之日不能晚于今天。")
        return day


class TrackForm(forms.Form):
    number = forms.CharField(label="申请编号", max_length=40)
    code = forms.CharField(
        label="查询码", max_length=40, widget=forms.PasswordInput(render_value=False)
    )


class CorrectionReplyForm(forms.Form):
    text = forms.CharField(
        label="补正内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReasonsReplyForm(forms.Form):
    """The applicant's reasons (Art 35) on the tracking page."""

    text = forms.CharField(
        label="说明的理由", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class WithdrawReplyForm(forms.Form):
    """The applicant withdraws on the tracking page."""

    reason = forms.CharField(
        label="撤回理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label="我确认撤回本申请，撤回后本机关终止办理，不能恢复",
        error_messages={"required": "请勾选确认撤回。"},
    )


class ConfirmForm(forms.Form):
    prefix = "confirm"

    confirmed_on = forms.DateField(label="双方确认之日", widget=DATE, required=False)


class AssignForm(forms.Form):
    prefix = "assign"

    handler = forms.ModelChoiceField(
        label="承办人", queryset=User.objects.none(), empty_label="请选择"
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["handler"]).queryset = User.objects.filter(
            memberships__agency=agency,
            memberships__role__in=[Role.HANDLER, Role.OFFICE_HEAD],
            is_active=True,
        ).distinct()


# 109号 第四条 “一事一申请”: an application bundling several unrelated items may be asked
# (in the one 补正 notice of Art 30) to be split into one application per item.
SPLIT_CORRECTION_TEXT = (
    "您的申请包含多项相互独立的政府信息。请按照“一事一申请”原则（《政府信息公开信息处理费管理办法》"
    "第四条），将申请拆分为每件只涉及一项政府信息，分别提出或在补正中逐项列明。"
)


class CorrectionForm(forms.Form):
    prefix = "corr"

    items = forms.CharField(
        label="需补正事项",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    split = forms.BooleanField(
        label="要求按“一事一申请”拆分",
        required=False,
        help_text="申请包含多项内容的，在补正告知书中要求申请人按一事一申请拆分（109号第四条）。",
    )

    due_on = forms.DateField(
        label="补正期限", required=False, widget=DATE, help_text="留空则为15个工作日后。"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        items = (data.get("items") or "").strip()
        if data.get("split"):
            items = SPLIT_CORRECTION_TEXT + ("\n\n" + items if items else "")
        if not items:
            raise forms.ValidationError("请写明需要补正的事项。")
        data["items"] = items
        return data


class CorrectionReceivedForm(forms.Form):
    prefix = "corrin"

    text = forms.CharField(
        label="补正内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    received_on = forms.DateField(label="收到补正之日", required=False, widget=DATE)


class ConsultationForm(forms.Form):
    prefix = "consult"

    kind = forms.ChoiceField(label="类型", choices=Consultation.Kind.choices)
    party = forms.CharField(label="被征求意见方", max_length=100)
    party_address = forms.CharField(label="地址/联系方式", max_length=200, required=False)
    delivery = forms.ChoiceField(
        label="送达方式", choices=ConsultDelivery.choices, initial=ConsultDelivery.IN_PERSON
    )
    received_on = forms.DateField(
        label="对方收到之日",
        required=False,
        widget=DATE,
        help_text="15个工作日自对方收到征求意见书之日起算。直接送达留空即为发函当日；"
        "邮寄、电子邮件、传真在收到签收或确认后登记。",
    )


class ConsultationReceiptForm(forms.Form):
    prefix = "crcv"

    received_on = forms.DateField(label="对方收到之日", widget=DATE)


class ConsultationResultForm(forms.Form):
    prefix = "cres"

    result = forms.ChoiceField(
        label="结果", choices=[c for c in Consultation.Result.choices if c[0]]
    )
    answered_on = forms.DateField(label="答复日期", required=False, widget=DATE)
    note = forms.CharField(label="意见摘要", max_length=2000, required=False)


class ExtensionForm(forms.Form):
    prefix = "ext"

    workdays = forms.IntegerField(label="延长工作日", min_value=1, max_value=20)
    reason = forms.CharField(
        label="延期理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DelayedForm(forms.Form):
    prefix = "delay"

    due_on = forms.DateField(label="延迟答复期限", widget=DATE)
    reason = forms.CharField(
        label="理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonsForm(forms.Form):
    prefix = "reasons"

    items = forms.CharField(
        label="需说明理由的事项", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        label="说明理由期限",
        required=False,
        widget=DATE,
        help_text="留空则为5个工作日后（不晚于答复期限）。等待期间答复期限照常计算。",
    )


class ReasonsReceivedForm(forms.Form):
    prefix = "reasonsin"

    text = forms.CharField(
        label="申请人说明的理由", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    received_on = forms.DateField(label="收到之日", required=False, widget=DATE)


class WithdrawForm(forms.Form):
    prefix = "withdraw"

    reason = forms.CharField(
        label="撤回理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    received_on = forms.DateField(label="收到撤回申请之日", required=False, widget=DATE)


class FeeForm(forms.Form):
    prefix = "fee"

    method = forms.ChoiceField(label="计收方式", choices=[c for c in FeeMethod.choices if c[0]])
    pages = forms.IntegerField(
        label="页数（按量计收）", min_value=1, max_value=1_000_000, required=False
    )
    items = forms.IntegerField(
        label="拆分件数（按件计收）",
        min_value=1,
        max_value=1000,
        required=False,
        help_text="一件申请包含多项内容的，按“一事一申请”原则以合理的最小单位拆分计算件数"
        "（国办函〔2020〕109号第四条）；留空为1件。",
    )
    amount = forms.DecimalField(
        label="金额（2008年条例成本费用）",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
    )


class PaymentForm(forms.Form):
    prefix = "pay"

    paid_on = forms.DateField(label="缴费日期", required=False, widget=DATE)


REPLY_OUTCOMES = [c for c in OUTCOME_CHOICES if c[0] not in LAPSE_OUTCOMES]


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReplyForm(forms.Form):
    prefix = "reply"

    outcome = forms.ChoiceField(
        label="办理结果（年度报告表三）", choices=[("", "请选择")] + REPLY_OUTCOMES
    )
    notice_kind = forms.ChoiceField(
        label="告知书",
        required=False,
        choices=[
            ("", "按办理结果的默认告知书"),
            ("not_this_agency", "非本机关政府信息告知书（第三十六条第（五）项）"),
            ("disclose_published", "已主动公开的告知书（第三十六条第（一）项）"),
        ],
        help_text="“本机关不掌握相关政府信息”中属于其他机关负责公开的，选择非本机关政府信息告知书；"
        "“予以公开”中信息已经主动公开的，选择已主动公开的告知书。",
    )
    withheld_ground = forms.ChoiceField(
        label="不予公开部分的理由",
        required=False,
        choices=[("", "（部分公开时必选）")]
        + [
            (c, label)
            for c, label in OUTCOME_CHOICES
            if c.startswith("withhold_") and c != "withhold_query"
        ],
        help_text="部分公开的告知书须对不予公开的内容说明理由和依据（条例第三十七条）。",
    )
    responsible_agency_name = forms.CharField(
        label="负责公开的行政机关名称",
        max_length=100,
        required=False,
        help_text="非本机关政府信息告知书：能够确定负责公开的机关的，须告知其名称、联系方式（条例第三十六条第（五）项）。",
    )
    responsible_agency_contact = forms.CharField(
        label="负责公开的行政机关联系方式", max_length=200, required=False
    )
    legal_basis = forms.CharField(
        label="法律依据",
        max_length=2000,
        required=False,
        help_text="仅“（六）其他处理 3.其他”须填写；其他办理结果的依据由系统按法律依据表自动引用。",
    )
    reply_text = forms.CharField(
        label="答复内容", max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = MultiFileField(label="公开的文件", required=False, widget=MultiFileInput())
    service_method = forms.ChoiceField(
        label="送达方式", choices=[("", "暂不登记")] + list(Delivery.choices), required=False
    )
    served_on = forms.DateField(label="送达日期", required=False, widget=DATE)

    def clean_attachments(self) -> list[Any]:
        return [
            check_upload(f, allowed_ext=ALLOWED_DISCLOSED_EXT)
            for f in self.cleaned_data.get("attachments") or []
        ]


class ServiceForm(forms.Form):
    prefix = "serve"

    method = forms.ChoiceField(label="送达方式", choices=Delivery.choices)
    served_on = forms.DateField(label="送达日期", widget=DATE)


class TemplateForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(label="正文模板", widget=forms.Textarea(attrs={"rows": 14}))
    legal_basis = forms.CharField(
        label="法律依据", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    remedy_clause = forms.CharField(
        label="救济途径告知", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SignoffForm(forms.Form):
    """审签 of a pending reply: sign (issue the notice) or return with a comment."""

    decision = forms.ChoiceField(
        label="审签结论", choices=[("sign", "审签通过"), ("return", "退回")]
    )
    comment = forms.CharField(
        label="审签意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
