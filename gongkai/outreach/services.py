"""Writes to reading points, deliveries, visit logs and activities: validated, atomic, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongkai.audit.services import audit_log
from gongkai.outreach.models import Activity, Delivery, ReadingPoint, VisitLog
from gongkai.remedies.records import RecordError


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise RecordError("；".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc


def delivery_workdays(formed_on: Any, delivered_on: Any) -> int | None:
    """Working days from formation to delivery (None when the calendar lacks the year)."""
    from gongkai.workdays.calendar import CalendarMissingError, workdays_between

    try:
        return workdays_between(formed_on, delivered_on)
    except CalendarMissingError:
        return None


def reading_point_create(*, by: Any, **fields: Any) -> ReadingPoint:
    point = ReadingPoint(**fields)
    _clean(point)
    try:
        with transaction.atomic():
            point.save()
            audit_log(
                "outreach.reading_point.created",
                obj=point,
                actor=by,
                changes={"name": [None, point.name]},
            )
    except IntegrityError as exc:
        raise RecordError("该机关已有同名查阅点。") from exc
    return point


def delivery_create(*, by: Any, **fields: Any) -> Delivery:
    """Record documents delivered to a reading point; the working days taken are derived here."""
    delivery = Delivery(**fields)
    _clean(delivery)
    delivery.workdays_taken = delivery_workdays(delivery.formed_on, delivery.delivered_on)
    with transaction.atomic():
        delivery.save()
        audit_log(
            "outreach.delivery.created",
            obj=delivery,
            actor=by,
            changes={
                "quantity": [None, delivery.quantity],
                "workdays_taken": [None, delivery.workdays_taken],
            },
        )
    return delivery


def visit_log_create(*, by: Any, **fields: Any) -> VisitLog:
    log = VisitLog(**fields)
    _clean(log)
    with transaction.atomic():
        log.save()
        audit_log(
            "outreach.visit_log.created",
            obj=log,
            actor=by,
            changes={"visitors": [None, log.visitors]},
        )
    return log


def activity_create(*, by: Any, **fields: Any) -> Activity:
    activity = Activity(created_by=by, **fields)
    _clean(activity)
    with transaction.atomic():
        activity.save()
        audit_log(
            "outreach.activity.created",
            obj=activity,
            actor=by,
            changes={"kind": [None, activity.kind]},
        )
    return activity


def reading_point_update(*, point: ReadingPoint, by: Any, **fields: Any) -> ReadingPoint:
    """Change a reading point's details or close it (``is_active``); old → new is audited."""
    with transaction.atomic():
        locked = ReadingPoint.objects.select_for_update().get(pk=point.pk)
        old = {k: getattr(locked, k) for k in fields}
        for k, v in fields.items():
            setattr(locked, k, v)
        _clean(locked)
        try:
            with transaction.atomic():
                locked.save(update_fields=list(fields))
        except IntegrityError as exc:
            raise RecordError("该机关已有同名查阅点。") from exc
        audit_log(
            "outreach.reading_point.changed",
            obj=locked,
            actor=by,
            changes={k: [old[k], v] for k, v in fields.items() if old[k] != v},
        )
    return locked
