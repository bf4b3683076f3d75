"""Generic console machinery shared by remedies and outreach: list, form and import per kind.

Each record kind is a ``RecordKind`` (model, form, service, list columns, import columns).
The import reads CSV or XLSX with the documented Chinese column headers, validates every row
with the kind's form and creates nothing unless every row is valid (all-or-nothing); the
rejected rows come back with their line number and reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.accounts.models import NON_VIEWER_ROLES
from gongkai.agencies.models import Agency
from gongkai.lib import tabular

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
    if user.admin_role:  # 三员分立: no administrator records business data
        return Agency.objects.none()
    ids = [
        a.pk for a in Agency.objects.for_business(user) if user.roles_in(a.pk) & NON_VIEWER_ROLES
    ]
    return Agency.objects.filter(pk__in=ids)


def check_write(user: Any, agency: Agency) -> None:
    if not user.roles_in(agency.pk) & NON_VIEWER_ROLES:
        raise PermissionDenied("您无权为该机关登记。")


def read_rows(upload: Any) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8 or GB18030) or XLSX upload as {header: text}
    (``gongkai.lib.tabular``: one reader, capped rows and cells)."""
    name = getattr(upload, "name", "") or ""
    try:
        table = tabular.read_table(name, upload.read(), max_rows=MAX_IMPORT_ROWS)
    except tabular.TabularError as exc:
        raise RecordError(str(exc)) from exc
    return [{h: tabular.cell_text(v) for h, v in record.items()} for record in table.records()]


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
