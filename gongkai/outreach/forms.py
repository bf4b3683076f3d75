from __future__ import annotations

from typing import Any

from django import forms

from gongkai.agencies.models import Agency
from gongkai.outreach.models import Activity, Delivery, ReadingPoint, VisitLog

DATE = forms.DateInput(attrs={"type": "date"})


class _AgencyForm(forms.ModelForm):
    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = agencies if agencies is not None else Agency.objects.none()
        if "agency" in self.fields:
            self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        if "reading_point" in self.fields:
            self.fields["reading_point"].queryset = ReadingPoint.objects.filter(agency__in=agencies)  # type: ignore[attr-defined]

    def _post_clean(self) -> None:  # model validation runs in the service
        pass


class ReadingPointForm(_AgencyForm):
    class Meta:
        model = ReadingPoint
        fields = ["agency", "name", "kind", "electronic", "address", "hours", "phone"]


class DeliveryForm(_AgencyForm):
    class Meta:
        model = Delivery
        fields = ["reading_point", "title", "medium", "quantity", "formed_on", "delivered_on"]
        widgets = {"formed_on": DATE, "delivered_on": DATE}


class VisitLogForm(_AgencyForm):
    class Meta:
        model = VisitLog
        fields = ["reading_point", "logged_on", "visitors", "borrowings", "note"]
        widgets = {"logged_on": DATE}


class ActivityForm(_AgencyForm):
    class Meta:
        model = Activity
        fields = ["agency", "kind", "held_on", "title", "sessions", "quantity", "note"]
        widgets = {"held_on": DATE}
        help_texts = {
            "quantity": "新闻发布会：发布信息项数；政府公报：发放份数；培训：参加人数；"
            "监督检查：发现问题数；专栏访问量：点击次数。",
            "sessions": "场次、期数、培训次数、检查次数或专栏数。",
        }


class ReadingPointEditForm(forms.ModelForm):
    class Meta:
        model = ReadingPoint
        fields = ["name", "kind", "electronic", "address", "hours", "phone", "is_active"]

    def _post_clean(self) -> None:  # model validation runs in the service
        pass
