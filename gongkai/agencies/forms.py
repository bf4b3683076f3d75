from __future__ import annotations

from django import forms

from gongkai.agencies.models import Agency


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "name",
            "short_name",
            "code",
            "region",
            "level",
            "kind",
            "org_code",
            "uscc",
            "office_name",
            "office_address",
            "office_postcode",
            "office_hours",
            "office_phone",
            "office_fax",
            "office_email",
            "review_kind",
            "superior_department",
            "review_body",
            "sort_order",
            "is_active",
        ]

    def validate_unique(
        self,
    ) -> None:  # uniqueness is checked by the service, with a Chinese message
        pass

    def _post_clean(self) -> None:  # validation (check characters) happens in the service
        pass


class AgencyOfficeForm(forms.ModelForm):
    """What an agency's own heads may edit: the disclosure office's contact details."""

    class Meta:
        model = Agency
        fields = [
            "office_name",
            "office_address",
            "office_postcode",
            "office_hours",
            "office_phone",
            "office_fax",
            "office_email",
        ]

    def _post_clean(self) -> None:
        pass


class StaffingForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    full_time = forms.IntegerField(label="专职人员", min_value=0, max_value=100000)
    part_time = forms.IntegerField(label="兼职人员", min_value=0, max_value=100000)
