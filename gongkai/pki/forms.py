"""Forms of the pki app (parsing only; the rules are in services)."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.pki.models import Certificate, Kind, RevocationReason, Status


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(label="申请类型", choices=Kind.choices, initial=Kind.NEW)
    agency = forms.ModelChoiceField(label="部门", queryset=Agency.objects.none())
    person = forms.ModelChoiceField(label="证书持有人", queryset=User.objects.none())
    position = forms.CharField(label="职务/岗位", max_length=60, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    reason = forms.CharField(label="事由", max_length=300, required=False)
    old_certificate = forms.ModelChoiceField(
        label="原证书（吊销或更换时选择）", queryset=Certificate.objects.none(), required=False
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        person_field = self.fields["person"]
        old_field = self.fields["old_certificate"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        assert isinstance(person_field, forms.ModelChoiceField)
        assert isinstance(old_field, forms.ModelChoiceField)
        agency_field.queryset = agencies
        person_field.queryset = (
            User.objects.filter(memberships__agency__in=agencies).distinct().order_by("username")
        )
        old_field.queryset = Certificate.objects.filter(
            agency__in=agencies, status="active"
        ).select_related("user")
        # ModelChoiceField's documented hook for option labels
        setattr(person_field, "label_from_instance", lambda u: f"{u}（{u.username}）")  # noqa: B010
        setattr(  # noqa: B010
            old_field,
            "label_from_instance",
            lambda c: f"{c.user} · {c.serial[:16]} · 至 {c.not_after:%Y-%m-%d}",
        )


class AdvanceForm(forms.Form):
    to_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    comment = forms.CharField(label="意见", max_length=300, required=False)
    scan = forms.FileField(label="盖章登记表扫描件（PDF/JPG/PNG）", required=False)


class RejectForm(forms.Form):
    comment = forms.CharField(label="退回理由", max_length=300)


class IssueForm(forms.Form):
    csr = forms.FileField(label="证书签名请求（CSR，PEM 格式）", required=False)
    pkcs12_password = forms.CharField(
        label="或：PKCS#12 口令（平台生成密钥，一次性下载）",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 12 位，含大写字母、小写字母、数字、符号中的至少三类；请另行告知持有人。",
    )
    legacy = forms.BooleanField(label="兼容旧版读取程序（3DES）", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("csr")) == bool(data.get("pkcs12_password")):
            raise forms.ValidationError(
                "请选择一种签发方式：上传 CSR，或设置 PKCS#12 口令（二选一）。"
            )
        return data


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(
        label="吊销原因",
        choices=[
            (v, label)
            for v, label in RevocationReason.choices
            if v not in (RevocationReason.SUPERSEDED, RevocationReason.UNSPECIFIED)
        ],
    )
    comment = forms.CharField(label="说明", max_length=300, required=False)


class EmergencyRevokeForm(forms.Form):
    comment = forms.CharField(label="情况说明（如：UKey 丢失）", max_length=300)


class ChallengeForm(forms.Form):
    signature = forms.CharField(
        label="签名（Base64）", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
