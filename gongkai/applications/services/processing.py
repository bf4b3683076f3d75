"""Consultation (Art 32/34), extension (Art 33), Art 35 and fees (国办函〔2020〕109号)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from gongkai.applications import fees
from gongkai.applications.models import (
    Application,
    Consultation,
    ConsultDelivery,
    Era,
    FeeMethod,
    NoticeKind,
)
from gongkai.applications.services.common import (
    CONSULTATION_WORKDAYS,
    ApplicationError,
    S,
    _check_clock,
    _event,
    _guard,
    _issue,
    _locked,
    _not_future,
    _notify,
    _refresh_clock,
    _require_handler,
    _today,
    fee_payment_workdays,
)
from gongkai.audit.services import audit_log

# --- consultation -------------------------------------------------------------------------


# Delivery methods whose receipt date is the sending date unless another is recorded; for
# the others (post: 签收之日; e-mail and fax: the day the party confirms) the date is
# recorded when known and the 15 working days wait for it.
SAME_DAY_DELIVERY = {ConsultDelivery.IN_PERSON, ConsultDelivery.SYSTEM}


def consultation_receipt_rule(delivery: str, sent_on: dt.date) -> dt.date | None:
    """The receipt date presumed for ``delivery`` (None: must be recorded)."""
    return sent_on if delivery in SAME_DAY_DELIVERY else None


def _consultation_due(received_on: dt.date | None, sent_on: dt.date) -> dt.date:
    """15 working days from the party's receipt (Art 32/34); while the receipt date is
    unknown, a provisional date counted from the sending day (the earliest it can be)."""
    from gongkai.workdays.calendar import CalendarMissingError, add_workdays

    try:
        return add_workdays(received_on or sent_on, CONSULTATION_WORKDAYS)
    except CalendarMissingError as exc:
        raise ApplicationError(str(exc)) from exc


def consultation_start(
    *,
    application: Application,
    by: Any,
    kind: str,
    party: str,
    party_address: str = "",
    sent_on: dt.date | None = None,
    delivery: str = ConsultDelivery.IN_PERSON,
    received_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Consultation:
    """Send an Art 32 (third party) or Art 34 (other agency) consultation letter. The
    party has 15 working days **from its receipt of the letter**: the receipt date is
    given, or presumed by the delivery method (直接送达 and in-system: the sending day),
    or recorded later (``consultation_record_receipt``; post: the day it was signed for).
    The time is not counted in the reply deadline."""
    today = _today(today)
    sent_on = sent_on or today
    _not_future(sent_on, today, "发函日期")
    party = (party or "").strip()
    if kind not in Consultation.Kind.values:
        raise ApplicationError("请选择征求意见的类型。")
    if delivery not in ConsultDelivery.values:
        raise ApplicationError("请选择征求意见函的送达方式。")
    if not party:
        raise ApplicationError("请填写被征求意见的第三方或机关名称。")
    if received_on is not None:
        _not_future(received_on, today, "对方收到之日")
        if received_on < sent_on:
            raise ApplicationError("对方收到之日不能早于发函日期。")
    else:
        received_on = consultation_receipt_rule(delivery, sent_on)
    with transaction.atomic():
        app = _locked(application)
        _guard("consult", by, app)
        if app.received_on and sent_on < app.received_on:
            raise ApplicationError("发函日期不能早于收到申请之日。")
        due = _consultation_due(received_on, sent_on)
        consultation = Consultation.objects.create(
            application=app,
            kind=kind,
            party=party[:100],
            party_address=party_address[:200],
            delivery=delivery,
            sent_on=sent_on,
            received_on=received_on,
            due_on=due,
        )
        notice_kind = (
            NoticeKind.THIRD_PARTY
            if kind == Consultation.Kind.THIRD_PARTY
            else NoticeKind.AGENCY_CONSULT
        )
        _issue(
            app,
            notice_kind,
            by=by,
            today=today,
            extra={"party": party, "consult_due_on": due if received_on else None},
        )
        old, new = _refresh_clock(app, today=today)
        _event(
            app,
            "consultation",
            f"{Consultation.Kind(kind).label}：征求意见期间不计算在答复期限内",
            on=today,
            actor=by,
        )
        audit_log(
            "applications.application.consultation_started",
            obj=app,
            actor=by,
            message=f"{party}，{ConsultDelivery(delivery).label}，"
            + (f"期限{due.isoformat()}" if received_on else "待登记对方收到之日"),
        )
        _notify(
            app,
            "您的申请需要征求意见",
            "征求第三方或其他机关意见所需时间不计算在答复期限内（条例第三十三条）。",
        )
    return consultation


def consultation_record_receipt(
    *,
    consultation: Consultation,
    by: Any,
    received_on: dt.date,
    today: dt.date | None = None,
) -> Consultation:
    """Record the day the party received the letter (e.g. the post's 签收 date); the 15
    working days (Art 32/34) are counted from it and the reply deadline follows."""
    today = _today(today)
    _not_future(received_on, today, "对方收到之日")
    with transaction.atomic():
        app = _locked(consultation.application)
        c = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _require_handler(by, app, "登记对方收到征求意见书之日")
        if c.result:
            raise ApplicationError("该征求意见已经登记结果。")
        if received_on < c.sent_on:
            raise ApplicationError("对方收到之日不能早于发函日期。")
        old_due = c.due_on
        c.received_on = received_on
        c.due_on = _consultation_due(received_on, c.sent_on)
        c.save(update_fields=["received_on", "due_on"])
        old, new = _refresh_clock(app, today=today)
        _event(
            app,
            "consultation_received",
            f"{c.party}于{received_on.isoformat()}收到征求意见书，15个工作日至{c.due_on.isoformat()}",
            on=today,
            actor=by,
            public=False,
        )
        audit_log(
            "applications.application.consultation_receipt_recorded",
            obj=app,
            actor=by,
            changes={"consultation_due_on": [old_due, c.due_on], "due_on": [old, new]},
        )
    return c


def consultation_record(
    *,
    consultation: Consultation,
    by: Any,
    result: str,
    answered_on: dt.date | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> Consultation:
    """Record the answer (or the silence) of a consultation; the paused time ends."""
    today = _today(today)
    if result not in {c for c in Consultation.Result.values if c}:
        raise ApplicationError("请选择征求意见的结果。")
    with transaction.atomic():
        app = _locked(consultation.application)
        c = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _require_handler(by, app, "登记征求意见结果")
        if c.result:
            raise ApplicationError("该征求意见已经登记结果。")
        if result == Consultation.Result.NO_REPLY:
            if c.received_on is None:
                raise ApplicationError(
                    "尚未登记对方收到征求意见书之日，15个工作日无从起算，不能登记为逾期未提出意见。"
                )
            if today <= c.due_on:
                raise ApplicationError(
                    f"答复期限（{c.due_on.isoformat()}）尚未届满，不能登记为逾期未提出意见。"
                )
            answered_on = c.due_on
        answered_on = answered_on or today
        _not_future(answered_on, today, "答复日期")
        if answered_on < c.sent_on:
            raise ApplicationError("答复日期不能早于发函日期。")
        c.result, c.answered_on, c.note = result, answered_on, note[:2000]
        c.save(update_fields=["result", "answered_on", "note"])
        old, new = _refresh_clock(app, today=today)
        _event(
            app,
            "consultation_done",
            f"征求意见结束：{c.effective_result_label}",
            on=today,
            actor=by,
            public=False,
        )
        audit_log(
            "applications.application.consultation_recorded",
            obj=app,
            actor=by,
            changes={"due_on": [old, new]},
            message=c.effective_result_label,
        )
    return c


# --- extension and Art 35 -------------------------------------------------------------------


def application_request_extension(
    *,
    application: Application,
    by: Any,
    workdays: int,
    reason: str,
    today: dt.date | None = None,
) -> Application:
    """The handler asks for the one extension (2019: at most 20 WD; 2008: at most 15)."""
    today = _today(today)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写延期理由。")
    with transaction.atomic():
        app = _locked(application)
        _guard("request_extension", by, app)
        cap = 15 if app.era == Era.R2008 else 20
        if not 1 <= int(workdays) <= cap:
            raise ApplicationError(f"延长的期限应为1至{cap}个工作日。")
        if app.due_on and today > app.due_on:
            raise ApplicationError("答复期限已过，不能再申请延期。")
        app.extension_workdays = int(workdays)
        app.extension_reason = reason[:1000]
        app.extension_requested_by = by
        app.save(update_fields=["extension_workdays", "extension_reason", "extension_requested_by"])
        _event(
            app,
            "extension_requested",
            f"承办人申请延期{workdays}个工作日，待机构负责人审批",
            on=today,
            actor=by,
            public=False,
        )
        audit_log(
            "applications.application.extension_requested", obj=app, actor=by, message=reason[:200]
        )
    return app


def application_approve_extension(
    *,
    application: Application,
    by: Any,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> Application:
    """The head of the disclosure office approves the extension; the applicant is notified
    with a 延期答复告知书 (Art 33)."""
    now = now or timezone.now()
    today = _today(today)
    with transaction.atomic():
        app = _locked(application)
        _guard("approve_extension", by, app)
        if app.due_on and today > app.due_on:
            raise ApplicationError("答复期限已过，不能再批准延期。")
        old = app.due_on
        app.extension_approved_by = by
        app.extension_approved_at = now
        app.save(update_fields=["extension_approved_by", "extension_approved_at"])
        _check_clock(app, today=today)
        _, new = _refresh_clock(app, today=today)
        _issue(app, NoticeKind.EXTENSION, by=by, today=today)
        _event(
            app,
            "extended",
            f"经机构负责人同意延长答复期限{app.extension_workdays}个工作日，答复期限为{new}",
            on=today,
            actor=by,
        )
        audit_log(
            "applications.application.extension_approved",
            obj=app,
            actor=by,
            changes={"due_on": [old, new]},
        )
        _notify(
            app, "答复期限延长", f"经批准，答复期限延长{app.extension_workdays}个工作日至{new}。"
        )
    return app


def application_set_delayed_due(
    *,
    application: Application,
    by: Any,
    due_on: dt.date,
    reason: str,
    today: dt.date | None = None,
) -> Application:
    """Art 35: for requests clearly beyond a reasonable number/frequency whose reasons are
    sound, the office head sets a reasonable delayed deadline and tells the applicant."""
    today = _today(today)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写确定延迟答复期限的理由。")
    with transaction.atomic():
        app = _locked(application)
        _guard("set_delayed_due", by, app)
        old = app.due_on
        app.delayed_due_on = due_on
        app.delayed_reason = reason[:1000]
        _check_clock(app, today=today)
        app.save(update_fields=["delayed_due_on", "delayed_reason"])
        _, new = _refresh_clock(app, today=today)
        _event(
            app,
            "delayed",
            f"依条例第三十五条确定延迟答复期限为{due_on.isoformat()}",
            on=today,
            actor=by,
        )
        audit_log(
            "applications.application.delayed_due_set",
            obj=app,
            actor=by,
            changes={"due_on": [old, new]},
            message=reason[:200],
        )
        _notify(
            app,
            "答复期限调整",
            f"依条例第三十五条，答复期限调整为{due_on.isoformat()}。理由：{reason}",
        )
    return app


# --- fees ---------------------------------------------------------------------------------


def item_rank(app: Application) -> int:
    """k: this application's place among the applicant's applications to the agency in the
    natural month of its receipt (identity = ID number or USCC, via the blind index)."""
    if not app.identity_index or app.received_on is None:
        return 1
    month_start = app.received_on.replace(day=1)
    same_month = Application.objects.filter(
        agency_id=app.agency_id,
        identity_index=app.identity_index,
        received_on__gte=month_start,
        received_on__lte=app.received_on,
    )
    earlier = same_month.filter(
        Q(received_on__lt=app.received_on) | Q(received_on=app.received_on, pk__lt=app.pk)
    )
    # an earlier application split by “一事一申请” (109号 第四条) counts as its items
    return (earlier.aggregate(n=Sum("fee_items"))["n"] or 0) + 1


def fee_notify(
    *,
    application: Application,
    by: Any,
    method: str,
    pages: int | None = None,
    amount: Decimal | None = None,
    items: int = 1,
    today: dt.date | None = None,
) -> Application:
    """Issue a 收费通知: one method per application; the payment window (default 20 WD) is
    not counted in the reply deadline; unpaid → 其他处理 2 by ``application_lapse_overdue``.
    按件计收 of an application bundling several items counts ``items`` applications
    (109号 第四条 “一事一申请”: split into the smallest reasonable units)."""
    from gongkai.workdays.calendar import CalendarMissingError, add_workdays

    today = _today(today)
    with transaction.atomic():
        app = _locked(application)
        _guard("fee_notify", by, app)
        if app.era == Era.R2008:
            if method != FeeMethod.COST or amount is None or amount <= 0:
                raise ApplicationError(
                    "2008年版条例只能收取检索、复制、邮寄等成本费用，请填写金额。"
                )
            computation_text, units, fee = "按检索、复制、邮寄等成本收取", 0, Decimal(amount)
        else:
            if not 1 <= int(items) <= 1000:
                raise ApplicationError("按“一事一申请”拆分的件数应为1至1000。")
            if method == FeeMethod.ITEM:
                units = item_rank(app)
            elif method == FeeMethod.PAGE:
                if pages is None or pages < 1:
                    raise ApplicationError("按量计收请填写页数。")
                units = pages
            else:
                raise ApplicationError("请选择按件计收或按量计收。")
            comp = fees.compute(method, units, int(items) if method == FeeMethod.ITEM else 1)
            fee, computation_text = comp.amount, comp.explanation
            if fee <= 0:
                raise ApplicationError(f"按此方式本件不收费：{computation_text}")
        try:
            due = add_workdays(today, fee_payment_workdays())
        except CalendarMissingError as exc:
            raise ApplicationError(str(exc)) from exc
        app.fee_method, app.fee_units, app.fee_amount = method, units, fee
        app.fee_items = int(items) if method == FeeMethod.ITEM else 1
        app.fee_notified_on, app.fee_due_on, app.status = today, due, S.FEE
        app.save(
            update_fields=[
                "fee_method",
                "fee_items",
                "fee_units",
                "fee_amount",
                "fee_notified_on",
                "fee_due_on",
                "status",
            ]
        )
        _refresh_clock(app, today=today)
        _issue(app, NoticeKind.FEE, by=by, today=today, extra={"fee_explanation": computation_text})
        _event(
            app,
            "fee_notified",
            f"发出收费通知，应缴{fee}元，缴费期限{due.isoformat()}",
            on=today,
            actor=by,
        )
        audit_log(
            "applications.application.fee_notified",
            obj=app,
            actor=by,
            changes={"fee_amount": [None, fee]},
            message=computation_text,
        )
        _notify(
            app,
            "信息处理费收费通知",
            f"应缴信息处理费{fee}元，请于{due.isoformat()}前缴纳。{computation_text}",
        )
    return app


def fee_record_payment(
    *,
    application: Application,
    by: Any,
    paid_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Application:
    """Record payment; the paused clock runs again from the next working day."""
    today = _today(today)
    paid_on = paid_on or today
    _not_future(paid_on, today, "缴费日期")
    with transaction.atomic():
        app = _locked(application)
        _guard("record_payment", by, app)
        if app.fee_notified_on and paid_on < app.fee_notified_on:
            raise ApplicationError("缴费日期不能早于收费通知日期。")
        if app.fee_due_on and paid_on > app.fee_due_on:
            raise ApplicationError(f"缴费期限（{app.fee_due_on.isoformat()}）已过。")
        app.fee_paid_on = paid_on
        app.status = S.PROCESSING
        app.save(update_fields=["fee_paid_on", "status"])
        old, new = _refresh_clock(app, today=today)
        _event(app, "fee_paid", f"已缴纳信息处理费{app.fee_amount}元", on=today, actor=by)
        audit_log(
            "applications.application.fee_paid", obj=app, actor=by, changes={"due_on": [old, new]}
        )
        _notify(app, "缴费已登记", f"已收到信息处理费{app.fee_amount}元，答复期限为{new}。")
    return app
