from __future__ import annotations

from django import forms

from gongkai.agencies.models import Agency, Region
from gongkai.reports.models import AnnualReport
from gongkai.reports.placeholders import placeholder_error


class ReportCreateForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    style = forms.ChoiceField(label="格式", choices=AnnualReport.Style.choices)
    agency = forms.ModelChoiceField(label="机关", queryset=Agency.objects.none(), required=False)
    region = forms.ModelChoiceField(
        label="政府汇总（区划）", queryset=Region.objects.none(), required=False
    )

    def __init__(self, *args, agencies=None, regions=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()  # type: ignore[attr-defined]
        self.fields["region"].queryset = regions if regions is not None else Region.objects.none()  # type: ignore[attr-defined]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        if bool(data.get("agency")) == bool(data.get("region")):
            raise forms.ValidationError("请在“机关”和“政府汇总（区划）”中选择且只选择一项。")
        return data


class NarrativeForm(forms.Form):
    def __init__(self, *args, keys=(), initial_texts=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for i, key in enumerate(keys):
            self.fields[f"s{i}"] = forms.CharField(
                label=key,
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial=(initial_texts or {}).get(key, ""),
                help_text="可用 {本年主动公开政府信息条数} 等占位符引用数据。",
            )
        self.keys = list(keys)

    def clean(self) -> dict:
        data = super().clean() or {}
        for i, key in enumerate(self.keys):
            error = placeholder_error(data.get(f"s{i}") or "")
            if error:
                self.add_error(f"s{i}", f"{key}：{error}")
        return data

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"s{i}"] for i, key in enumerate(self.keys)}


class NewVersionForm(forms.Form):
    reason = forms.CharField(label="新版本原因", max_length=300)
