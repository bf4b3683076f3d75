"""Writes to remedy cases and complaints: validated, atomic and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.audit.services import audit_log
from gongkai.remedies.models import Complaint, RemedyCase
from gongkai.remedies.records import RecordError


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise RecordError("；".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc


def remedy_case_create(*, by: Any, application_number: str = "", **fields: Any) -> RemedyCase:
    """Register a 行政复议/行政诉讼 case, linked to the application it concerns (by number)."""
    case = RemedyCase(created_by=by, **fields)
    if application_number:
        from gongkai.applications.models import Application

        app = Application.objects.filter(
            number=application_number.strip(), agency=case.agency
        ).first()
        if app is None:
            raise RecordError(f"该机关没有编号为“{application_number}”的政府信息公开申请。")
        case.application = app
    _clean(case)
    with transaction.atomic():
        case.save()
        audit_log(
            "remedies.case.created",
            obj=case,
            actor=by,
            changes={"kind": [None, case.kind], "outcome": [None, case.outcome]},
        )
    return case


def remedy_case_conclude(
    *, case: RemedyCase, by: Any, outcome: str, concluded_on: Any
) -> RemedyCase:
    """Record the result of a pending case."""
    with transaction.atomic():
        locked = RemedyCase.objects.select_for_update().get(pk=case.pk)
        if locked.outcome != RemedyCase.Outcome.PENDING:
            raise RecordError("该案件已审结。")
        locked.outcome, locked.concluded_on = outcome, concluded_on
        _clean(locked)
        locked.save(update_fields=["outcome", "concluded_on"])
        audit_log(
            "remedies.case.concluded",
            obj=locked,
            actor=by,
            changes={"outcome": ["pending", outcome]},
        )
    return locked


def complaint_create(*, by: Any, **fields: Any) -> Complaint:
    """Register a 投诉/举报/申诉 with its handling and (if closed) its result."""
    complaint = Complaint(created_by=by, **fields)
    _clean(complaint)
    with transaction.atomic():
        complaint.save()
        audit_log(
            "remedies.complaint.created",
            obj=complaint,
            actor=by,
            changes={"kind": [None, complaint.kind]},
        )
    return complaint


def complaint_close(
    *, complaint: Complaint, by: Any, result: str, handling: str, closed_on: Any
) -> Complaint:
    """Close an open complaint with its handling and result."""
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status != Complaint.Status.OPEN:
            raise RecordError("该事项已办结。")
        old = {"status": locked.status, "result": locked.result}
        locked.status, locked.result, locked.closed_on = (
            Complaint.Status.CLOSED,
            result.strip(),
            closed_on,
        )
        if handling.strip():
            locked.handling = handling.strip()
        _clean(locked)
        locked.save(update_fields=["status", "result", "closed_on", "handling"])
        audit_log(
            "remedies.complaint.closed",
            obj=locked,
            actor=by,
            changes={
                "status": [old["status"], locked.status],
                "result": [old["result"], locked.result],
            },
        )
    return locked
