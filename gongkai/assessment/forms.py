"""Forms of the assessment console."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency, Region
from gongkai.assessment.models import Finding, FollowUp

DATE = forms.DateInput(attrs={"type": "date"})


class AssessmentForm(forms.Form):
    region = forms.ModelChoiceField(
        label="考核区划", queryset=Region.objects.exclude(level="township")
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="名称", max_length=100, required=False, help_text="留空自动命名")
    period_start = forms.DateField(label="考核期起", required=False, widget=DATE)
    period_end = forms.DateField(label="考核期止", required=False, widget=DATE)


class IndicatorForm(forms.Form):
    weight = forms.DecimalField(label="分值", min_value=0, max_value=100, decimal_places=2)
    params = forms.CharField(label="参数（JSON）", required=False, max_length=500)
    description = forms.CharField(
        label="评分标准", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_params(self) -> dict[str, Any]:
        text = (self.cleaned_data.get("params") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError('参数应为 JSON 对象，如 {"penalty": "0.2"}。') from None
        if not isinstance(value, dict):
            raise forms.ValidationError('参数应为 JSON 对象，如 {"penalty": "0.2"}。')
        return value


class RatingForm(forms.Form):
    agency = forms.ModelChoiceField(label="机构", queryset=Agency.objects.active())
    ratio = forms.DecimalField(label="得分比例（0–1）", min_value=0, max_value=1, decimal_places=4)
    evidence = forms.CharField(
        label="佐证材料", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class InspectionForm(forms.Form):
    agency = forms.ModelChoiceField(label="被检查机构", queryset=Agency.objects.active())
    title = forms.CharField(label="检查名称", max_length=200)
    inspected_on = forms.DateField(label="检查日期", widget=DATE)
    inspectors = forms.CharField(label="检查人员", max_length=200)
    summary = forms.CharField(
        label="检查情况", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FindingForm(forms.Form):
    description = forms.CharField(
        label="发现的问题", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    severity = forms.ChoiceField(label="性质", choices=Finding.Severity.choices)
    evidence = forms.CharField(
        label="佐证材料", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(
        label="整改责任人",
        queryset=User.objects.filter(is_active=True, admin_role=""),
        required=False,
    )
    due_on = forms.DateField(label="整改期限", required=False, widget=DATE)


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=FollowUp.Kind.choices)
    note = forms.CharField(label="说明", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label="进度（%）", min_value=0, max_value=100)
    note = forms.CharField(
        label="进展情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
