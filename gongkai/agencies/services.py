"""Writes to regions, agencies and staffing figures. Each is atomic and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from gongkai.agencies.models import Agency, Region, Staffing
from gongkai.audit.services import audit_log, diff


class AgencyError(Exception):
    """A refused change to organisation data; the message is Chinese and shown to the user."""


AGENCY_FIELDS = [
    "code",
    "name",
    "short_name",
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
    "is_active",
    "sort_order",
]


def _full_clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise AgencyError("；".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc


def region_create(
    *, code: str, name: str, level: str, parent: Region | None, by: Any = None
) -> Region:
    """Create a division of the region tree (validated code, parent of the right level)."""
    region = Region(code=code.strip(), name=name.strip(), level=level, parent=parent)
    _full_clean(region)
    with transaction.atomic():
        region.save()
        audit_log(
            "agencies.region.created", obj=region, actor=by, changes={"code": [None, region.code]}
        )
    return region


def agency_create(*, by: Any = None, **fields: Any) -> Agency:
    """Create an agency; codes are validated with their check characters."""
    agency = Agency(**fields)
    _full_clean(agency)
    try:
        with transaction.atomic():
            agency.save()
            audit_log(
                "agencies.agency.created",
                obj=agency,
                actor=by,
                changes=diff({}, model_to_dict(agency, AGENCY_FIELDS)),
            )
    except IntegrityError as exc:
        raise AgencyError("机构名称、代号或代码与已有机构重复。") from exc
    return agency


def agency_update(*, agency: Agency, by: Any, **fields: Any) -> Agency:
    """Change an agency's details; the audit entry records every old → new value."""
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        before = model_to_dict(agency, AGENCY_FIELDS)
        for name, value in fields.items():
            setattr(agency, name, value)
        _full_clean(agency)
        changes = diff(before, model_to_dict(agency, AGENCY_FIELDS))
        if not changes:
            return agency
        try:
            with transaction.atomic():
                agency.save(update_fields=[f if f != "region" else "region" for f in fields])
        except IntegrityError as exc:
            raise AgencyError("机构名称、代号或代码与已有机构重复。") from exc
        audit_log("agencies.agency.updated", obj=agency, actor=by, changes=changes)
    return agency


def staffing_set(*, agency: Agency, year: int, full_time: int, part_time: int, by: Any) -> Staffing:
    """Record (or correct) the 专职/兼职 figures of one agency and year."""
    if full_time < 0 or part_time < 0:
        raise AgencyError("人数不能为负数。")
    if not 2000 <= year <= 2100:
        raise AgencyError("年度不合理。")
    with transaction.atomic():
        row, created = Staffing.objects.select_for_update().get_or_create(agency=agency, year=year)
        before = {
            "full_time": None if created else row.full_time,
            "part_time": None if created else row.part_time,
        }
        row.full_time, row.part_time = full_time, part_time
        row.save()
        audit_log(
            "agencies.staffing.set",
            obj=row,
            actor=by,
            changes=diff(before, {"full_time": full_time, "part_time": part_time}),
        )
    return row
