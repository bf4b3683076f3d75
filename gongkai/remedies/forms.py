from __future__ import annotations

from typing import Any

from django import forms

from gongkai.agencies.models import Agency
from gongkai.remedies.models import Complaint, RemedyCase


class _AgencyForm(forms.ModelForm):
    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()  # type: ignore[attr-defined]

    def _post_clean(self) -> None:  # model validation runs in the service (Chinese messages)
        pass


class RemedyCaseForm(_AgencyForm):
    application_number = forms.CharField(label="所涉申请编号", max_length=40, required=False)

    class Meta:
        model = RemedyCase
        fields = [
            "agency",
            "kind",
            "case_number",
            "applicant_name",
            "filed_on",
            "outcome",
            "concluded_on",
            "summary",
        ]
        widgets = {
            "filed_on": forms.DateInput(attrs={"type": "date"}),
            "concluded_on": forms.DateInput(attrs={"type": "date"}),
        }


class ComplaintForm(_AgencyForm):
    class Meta:
        model = Complaint
        fields = [
            "agency",
            "kind",
            "article",
            "received_on",
            "complainant",
            "subject",
            "handling",
            "result",
            "status",
            "closed_on",
        ]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "closed_on": forms.DateInput(attrs={"type": "date"}),
        }


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="结果", choices=[c for c in RemedyCase.Outcome.choices if c[0] != "pending"]
    )
    concluded_on = forms.DateField(label="审结日期", widget=forms.DateInput(attrs={"type": "date"}))


class CloseForm(forms.Form):
    handling = forms.CharField(
        label="处理情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    result = forms.CharField(label="处理结果", widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = forms.DateField(label="办结日期", widget=forms.DateInput(attrs={"type": "date"}))
