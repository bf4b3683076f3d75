"""Generic console machinery shared by remedies and outreach: list, form and import per kind.

Each record kind is a ``RecordKind`` (model, form, service, list columns, import columns).
The import reads CSV or XLSX with the documented Chinese column headers, validates every row
with the kind's form and creates nothing unless every row is valid (all-or-nothing); the
rejected rows come back with their line number and reason.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.accounts.models import WRITE_ROLES
from gongkai.agencies.models import Agency

MAX_IMPORT_ROWS = 20000


class RecordError(Exception):
    """A refused record change or import; Chinese message."""


@dataclass(frozen=True)
class RecordKind:
    slug: str
    title: str
    model: Any
    form: type[forms.ModelForm]
    create: Callable[..., Any]
    columns: list[tuple[str, str]]  # (attribute or get_x_display, header)
    agency_path: str = "agency"
    detail: str = ""  # URL name of the record's page (namespaced), if it has one


def writable_agencies(user: Any) -> Any:
    """Agencies in which the user may record things (a role other than read-only)."""
    if user.is_system_admin:
        return Agency.objects.all()
    if user.admin_role:
        return Agency.objects.none()
    ids = [a.pk for a in Agency.objects.for_user(user) if user.roles_in(a.pk) & WRITE_ROLES]
    return Agency.objects.filter(pk__in=ids)


def check_write(user: Any, agency: Agency) -> None:
    if not (user.is_system_admin or user.roles_in(agency.pk) & WRITE_ROLES):
        raise PermissionDenied("您无权为该机关登记。")


def read_rows(upload: Any) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8 or GB18030) or XLSX upload as {header: text}."""
    name = (getattr(upload, "name", "") or "").lower()
    raw = upload.read()
    if name.endswith(".xlsx"):
        import zipfile

        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
            raise RecordError("XLSX 文件已损坏或不是 Excel 工作簿。") from exc
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    elif name.endswith(".csv"):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise RecordError("CSV 文件编码应为 UTF-8 或 GB18030。") from exc
        rows = list(csv.reader(io.StringIO(text)))
    else:
        raise RecordError("请上传 .csv 或 .xlsx 文件。")
    if not rows:
        raise RecordError("文件为空。")
    header = [str(h or "").strip() for h in rows[0]]
    out = []
    for row in rows[1:]:
        if all(c in (None, "") for c in row):
            continue
        out.append(
            {h: ("" if v is None else str(v).strip()) for h, v in zip(header, row, strict=False)}
        )
    if len(out) > MAX_IMPORT_ROWS:
        raise RecordError(f"一次最多导入{MAX_IMPORT_ROWS}行。")
    return out


def import_rows(
    kind: RecordKind,
    rows: list[dict[str, str]],
    *,
    by: Any,
    agencies: Any,
    extra: Callable[[dict], dict] | None = None,
) -> tuple[int, list[tuple[int, str]]]:
    """Validate every row with the kind's form (headers = the form's field labels); create all
    or nothing. Returns (created, rejected [(line, reason)])."""
    form_class = kind.form
    labels = {str(f.label): name for name, f in form_class.base_fields.items()}
    cleaned: list[dict] = []
    rejected: list[tuple[int, str]] = []
    proto = form_class(agencies=agencies)  # type: ignore[call-arg]  # querysets for lookups
    for line, row in enumerate(rows, start=2):
        data: dict[str, Any] = {labels[h]: v for h, v in row.items() if h in labels}
        if "agency" in form_class.base_fields and "agency" in data:
            code = data["agency"]
            agency = agencies.filter(code=code).first()
            data["agency"] = agency.pk if agency else ""
            if agency is None:
                rejected.append((line, f"机关代号“{code}”不存在或无权登记。"))
                continue
        for name, value in list(data.items()):
            field = form_class.base_fields.get(name)
            if isinstance(field, forms.ModelChoiceField) and name != "agency" and value:
                # other related records (e.g. 查阅点) are named by their name in the file
                queryset = proto.fields[name].queryset  # type: ignore[attr-defined]
                if hasattr(queryset.model, "name"):
                    matches = list(queryset.filter(name=value)[:2])
                    data[name] = matches[0].pk if len(matches) == 1 else f"?{value}"
            elif isinstance(field, forms.BooleanField):
                data[name] = value in ("是", "1", "true", "True", "TRUE", "可以", "有")
            elif isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                by_label = {str(label): key for key, label in field.choices}  # type: ignore[union-attr,misc]
                data[name] = by_label.get(value, value)  # the Chinese label or the stored value
        if extra:
            data = extra(data)
        form = form_class(data, agencies=agencies)  # type: ignore[call-arg]
        if form.is_valid():
            cleaned.append(form.cleaned_data)
        else:
            reasons = "；".join(
                (f"{form.fields[f].label}：{e}" if f in form.fields else str(e))
                for f, errs in form.errors.items()
                for e in errs
            )
            rejected.append((line, reasons))
    if rejected:
        return 0, rejected
    with transaction.atomic():
        for data in cleaned:
            kind.create(by=by, **data)
    return len(cleaned), []
