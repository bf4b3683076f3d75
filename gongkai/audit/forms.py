"""The audit log's filter form (also the CSV export's parameters)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from gongkai.audit import labels

MAX_RANGE_DAYS = 3660  # ten years: a longer range is a typo, not a query


class AuditFilterForm(forms.Form):
    """Filters by person, agency, action (a code or a whole module), object and dates.

    Invalid values are errors (Chinese messages, HTTP 400), never silently dropped: an
    auditor must not mistake an ignored filter for an empty result.
    """

    person = forms.CharField(label="操作人", max_length=60, required=False)
    agency = forms.ChoiceField(label="机构", required=False)
    action = forms.ChoiceField(label="事件", required=False)
    object = forms.CharField(label="对象", max_length=100, required=False)
    date_from = forms.DateField(
        label="自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from gongkai.agencies.models import Agency

        agency_field: forms.ChoiceField = self.fields["agency"]  # type: ignore[assignment]
        action_field: forms.ChoiceField = self.fields["action"]  # type: ignore[assignment]
        agency_field.choices = [("", "（全部机构）")] + list(
            Agency.objects.order_by("region__code", "code").values_list("code", "name")
        )
        action_choices: list[Any] = [("", "（全部事件）")]
        action_field.choices = action_choices + labels.action_choices()
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = "请输入有效日期（如 2026-01-31）。"
        self.fields["agency"].error_messages["invalid_choice"] = "没有这个机构。"
        self.fields["action"].error_messages["invalid_choice"] = "没有这种事件。"
        self.fields["person"].error_messages["max_length"] = "操作人最多60个字。"
        self.fields["object"].error_messages["max_length"] = "对象最多100个字。"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        for value in (start, end):
            if value is not None and not (dt.date(2000, 1, 1) <= value <= dt.date(2100, 12, 31)):
                raise forms.ValidationError("日期应在2000年至2100年之间。")
        if start and end:
            if end < start:
                raise forms.ValidationError("结束日期不能早于开始日期。")
            if (end - start).days > MAX_RANGE_DAYS:
                raise forms.ValidationError("日期范围最长十年。")
        return data

    def filter(self, qs: QuerySet) -> QuerySet:
        """``qs`` narrowed by the cleaned filters (call after ``is_valid()``)."""
        d = self.cleaned_data
        if d.get("person"):
            qs = qs.filter(Q(actor_name__icontains=d["person"]) | Q(actor__username=d["person"]))
        if d.get("agency"):
            qs = qs.filter(agency_code=d["agency"])
        if d.get("action"):
            qs = qs.filter(action__in=labels.codes_for(d["action"]))
        if d.get("object"):
            value = d["object"]
            cond = Q(object_repr__icontains=value)
            if value.lstrip("#").isdigit():
                cond |= Q(object_id=value.lstrip("#"))
            qs = qs.filter(cond)
        if d.get("date_from"):
            qs = qs.filter(created_at__date__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(created_at__date__lte=d["date_to"])
        return qs

    def describe(self) -> str:
        """The filters in words, for the export's own audit entry."""
        d = self.cleaned_data
        parts = [
            f"{self.fields[k].label}={d[k]}" for k in self.fields if d.get(k) not in (None, "")
        ]
        return "；".join(parts) or "无筛选条件"
