"""Forms of the calendar console and the deadline calculator."""

from __future__ import annotations

import datetime as dt

from django import forms

from gongkai.workdays.models import DayKind, ExceptionDay
from gongkai.workdays.seed import notice_for
from gongkai.workdays.services import CSV_MAX_BYTES, DayRow, calendar_csv_parse, check_day


class ExceptionDayForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="类型", choices=DayKind.choices)
    name = forms.CharField(label="节日名称", max_length=60, help_text="如：春节、国庆节")
    notice = forms.CharField(
        label="来源通知",
        max_length=200,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）",
    )
    notice_url = forms.URLField(label="通知网址", required=False, assume_scheme="https")

    def __init__(self, *args, instance: ExceptionDay | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "date": instance.date,
                "kind": instance.kind,
                "name": instance.name,
                "notice": instance.notice,
                "notice_url": instance.notice_url,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            self.fields["date"].disabled = True

    def clean(self) -> dict:
        data = super().clean() or {}
        day, kind, name = data.get("date"), data.get("kind"), data.get("name")
        if day and kind and name:
            for error in check_day(day, kind, name):
                self.add_error(None, error)
        return data


class YearImportForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    notice = forms.CharField(
        label="来源通知",
        max_length=200,
        required=False,
        help_text="留空则记为“国务院办公厅关于YYYY年部分节假日安排的通知”",
    )
    notice_url = forms.URLField(label="通知网址", required=False, assume_scheme="https")
    file = forms.FileField(
        label="CSV 文件", required=False, help_text="UTF-8 或 GBK 编码，表头“日期,类型,名称”"
    )
    text = forms.CharField(
        label="或直接粘贴 CSV 内容",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 10, "placeholder": "日期,类型,名称\n2027-02-06,休息,春节"}
        ),
    )

    rows: list[DayRow]

    def clean(self) -> dict:
        data = super().clean() or {}
        year = data.get("year")
        upload = data.get("file")
        text = data.get("text") or ""
        if upload is None and not text.strip():
            raise forms.ValidationError("请上传 CSV 文件或粘贴 CSV 内容。")
        if year is None:
            return data
        if upload is not None:
            if upload.size > CSV_MAX_BYTES:
                raise forms.ValidationError(f"文件过大（最多{CSV_MAX_BYTES // 1024}KB）。")
            raw: bytes | str = upload.read()
        else:
            raw = text
        rows, errors = calendar_csv_parse(raw, year=year)
        for error in errors:
            self.add_error(None, error)
        self.rows = rows
        if not (data.get("notice") or "").strip():
            data["notice"] = notice_for(year)[0]
        return data


class DeadlineForm(forms.Form):
    received = forms.DateField(label="收到申请日期", widget=forms.DateInput(attrs={"type": "date"}))
    restart = forms.DateField(
        label="收到补正申请日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    correction = forms.DateField(
        label="发出补正告知日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    pauses = forms.CharField(
        label="暂停期间",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-03-02:2026-03-10"}),
        help_text="每行一段，格式“开始日期:结束日期”（含首尾），期间的工作日不计入期限",
    )
    extend = forms.IntegerField(label="延长工作日数", required=False, min_value=0, max_value=20)

    def clean_pauses(self) -> list[tuple[dt.date, dt.date]]:
        out = []
        for n, line in enumerate((self.cleaned_data.get("pauses") or "").splitlines(), start=1):
            if not line.strip():
                continue
            out.append(parse_pause(line.strip(), where=f"第{n}行"))
        return out


def parse_date(raw: str, *, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise forms.ValidationError(
            f"{what}“{raw}”不是有效日期，应为 YYYY-MM-DD 格式的真实日期。"
        ) from None


def parse_pause(raw: str, *, where: str = "") -> tuple[dt.date, dt.date]:
    prefix = f"{where}：" if where else ""
    parts = raw.split(":")
    if len(parts) != 2:
        raise forms.ValidationError(f"{prefix}暂停期间“{raw}”应为“开始日期:结束日期”。")
    start = parse_date(parts[0], what=f"{prefix}暂停开始日期")
    end = parse_date(parts[1], what=f"{prefix}暂停结束日期")
    if end < start:
        raise forms.ValidationError(f"{prefix}暂停期间“{raw}”的结束日期早于开始日期。")
    return start, end
