"""Art 35 要求说明理由 (manifestly excessive requests) and 撤回申请 (withdrawal).

Art 35 (条例第三十五条): when the number or frequency of an applicant's requests clearly
exceeds a reasonable range, the agency may ask the applicant to explain the reasons. If
the reasons are not reasonable, the agency tells the applicant it will not process the
request (table 三 （五）不予处理 4 ``reject_excessive``, replied through
``application_reply``); if they are reasonable but the request cannot be answered in
time, the agency may set a reasonable delayed deadline (``application_set_delayed_due``).

The clock while waiting for the reasons — a deliberate, conservative decision: the
regulation lists what is *not* counted in the reply period (Art 30 补正 restarts it;
Art 32/34 consultations and the fee window are not counted) and says nothing about the
time spent waiting for reasons under Art 35. We therefore do **not** pause or restart
the statutory clock: the application stays 办理中, ``due_on`` is unchanged, and the
applicant's deadline for the reasons may not fall after the current reply deadline.
An agency that needs more time uses the only lever the regulation gives it — the Art 35
delayed deadline once the reasons are found reasonable — or the Art 33 extension.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.applications.models import Application, NoticeKind
from gongkai.applications.services.common import (
    ApplicationError,
    S,
    _event,
    _guard,
    _guard_state,
    _issue,
    _locked,
    _not_future,
    _notify,
    _today,
)
from gongkai.audit.services import audit_log


def reasons_default_workdays() -> int:
    return int(getattr(settings, "APPLICATION_REASONS_WORKDAYS", 5))


# --- Art 35: 要求说明理由 ---------------------------------------------------------------------


def application_request_reasons(
    *,
    application: Application,
    by: Any,
    items: str,
    due_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Application:
    """Ask the applicant to explain the reasons for a manifestly excessive number or
    frequency of requests (Art 35) and issue a 要求说明理由通知书.

    Only once, only while 办理中, only under the 2019 rules. The statutory clock keeps
    running (see the module docstring), so the applicant's deadline defaults to
    ``APPLICATION_REASONS_WORKDAYS`` (5) working days, capped at the reply deadline, and an
    explicit deadline after the reply deadline is refused.
    """
    from gongkai.workdays.calendar import CalendarMissingError, add_workdays

    today = _today(today)
    items = (items or "").strip()
    if not items:
        raise ApplicationError("请写明需要申请人说明理由的事项。")
    with transaction.atomic():
        app = _locked(application)
        _guard("request_reasons", by, app)
        if due_on is None:
            try:
                due_on = add_workdays(today, reasons_default_workdays())
            except CalendarMissingError as exc:
                raise ApplicationError(str(exc)) from exc
            if app.due_on and due_on > app.due_on:
                due_on = app.due_on
        elif app.due_on and due_on > app.due_on:
            raise ApplicationError(
                f"说明理由期限不能晚于答复期限（{app.due_on.isoformat()}）：等待申请人说明理由期间，"
                "答复期限照常计算。"
            )
        if due_on <= today:
            raise ApplicationError("说明理由期限应晚于今天（答复期限将至的，请直接依法答复）。")
        app.reasons_requested_on = today
        app.reasons_items = items[:2000]
        app.reasons_due_on = due_on
        app.save(update_fields=["reasons_requested_on", "reasons_items", "reasons_due_on"])
        _issue(app, NoticeKind.REASONS, by=by, today=today)
        _event(
            app,
            "reasons_requested",
            f"依条例第三十五条要求申请人说明理由，期限{due_on.isoformat()}（答复期限照常计算）",
            on=today,
            actor=by,
        )
        audit_log(
            "applications.application.reasons_requested",
            obj=app,
            actor=by,
            changes={"reasons_due_on": [None, due_on]},
            message=items[:200],
        )
        _notify(
            app,
            "请说明申请理由",
            f"您申请公开政府信息的数量、频次明显超过合理范围，请就以下事项说明理由：{items}\n"
            f"请于{due_on.isoformat()}前说明（可凭申请编号和查询码在网上提交）。",
        )
    return app


def application_receive_reasons(
    *,
    application: Application,
    text: str,
    by: Any = None,
    received_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Application:
    """Record the applicant's reasons: submitted on the tracking page (``by`` None) or
    entered by staff from a letter (``by`` a clerk, handler or office head). The clock is
    not affected. Reasons that arrive after their deadline are still recorded (as long as
    no decision has been made) and marked as late."""
    today = _today(today)
    received_on = received_on or today
    text = (text or "").strip()
    if not text:
        raise ApplicationError("请填写说明的理由。")
    _not_future(received_on, today, "收到说明理由之日")
    with transaction.atomic():
        app = _locked(application)
        if by is not None:
            _guard("receive_reasons", by, app)
        else:  # the applicant, on the tracking page
            _guard_state("receive_reasons", app)
        if app.reasons_requested_on and received_on < app.reasons_requested_on:
            raise ApplicationError("收到说明理由之日不能早于要求说明理由的日期。")
        late = bool(app.reasons_due_on and received_on > app.reasons_due_on)
        app.reasons_received_on = received_on
        app.reasons_text = text[:5000]
        app.save(update_fields=["reasons_received_on", "reasons_text"])
        _event(
            app,
            "reasons_received",
            f"收到申请人说明的理由{'（已超过说明理由期限）' if late else ''}",
            on=today,
            actor=by,
        )
        audit_log(
            "applications.application.reasons_received",
            obj=app,
            actor=by,
            changes={"reasons_received_on": [None, received_on]},
            message="逾期" if late else "",
        )
        _notify(
            app,
            "已收到您说明的理由",
            f"工作机构将审查您说明的理由，答复期限仍为{app.due_on}。",
        )
    return app


def application_accept_reasons(
    *, application: Application, by: Any, today: dt.date | None = None
) -> Application:
    """The handler finds the applicant's reasons reasonable: processing continues with the
    unchanged deadline; if it cannot be met, the office head may now set the Art 35
    delayed deadline (``application_set_delayed_due``). Refusing the reasons is the reply
    （五）4 through ``application_reply``."""
    today = _today(today)
    with transaction.atomic():
        app = _locked(application)
        _guard("accept_reasons", by, app)
        app.reasons_accepted_on = today
        app.save(update_fields=["reasons_accepted_on"])
        _event(
            app,
            "reasons_accepted",
            "经审查，申请人说明的理由合理，继续办理",
            on=today,
            actor=by,
        )
        audit_log(
            "applications.application.reasons_accepted",
            obj=app,
            actor=by,
            changes={"reasons_accepted_on": [None, today]},
        )
        _notify(
            app,
            "您说明的理由已被认可",
            f"经审查，您说明的理由合理，本机关继续办理您的申请，答复期限为{app.due_on}。",
        )
    return app


# --- 撤回申请 ------------------------------------------------------------------------------------


def application_withdraw(
    *,
    application: Application,
    reason: str,
    by: Any = None,
    received_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Application:
    """The applicant withdraws the application: on the tracking page (``by`` None, after
    number + query code) or by letter, recorded by staff (``by`` a clerk, handler or office
    head, ``received_on`` the day the letter arrived). Any open status; once replied the
    decision stands. The application closes with table 三 （六）其他处理 3.其他 (``other``)."""
    today = _today(today)
    received_on = received_on or today
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写撤回申请的理由。")
    _not_future(received_on, today, "收到撤回申请之日")
    with transaction.atomic():
        app = _locked(application)
        if by is not None:
            _guard("withdraw", by, app)
        else:  # the applicant, on the tracking page
            _guard_state("withdraw", app)
        if received_on < timezone.localtime(app.submitted_at).date():
            raise ApplicationError("收到撤回申请之日不能早于申请提交日期。")
        old_status = app.status
        app.outcome = "other"
        app.withdrawn_on = received_on
        app.withdrawal_reason = reason[:1000]
        app.replied_on = today
        app.closed_on = today
        app.status = S.CLOSED
        app.save(
            update_fields=[
                "outcome",
                "withdrawn_on",
                "withdrawal_reason",
                "replied_on",
                "closed_on",
                "status",
            ]
        )
        who = "工作人员登记申请人书面撤回申请" if by is not None else "申请人在网上撤回申请"
        _event(app, "withdrawn", f"{who}，本件终止办理。理由：{reason}", on=today, actor=by)
        audit_log(
            "applications.application.withdrawn",
            obj=app,
            actor=by,
            changes={"status": [old_status, S.CLOSED], "outcome": ["", "other"]},
            message=reason[:200],
        )
        _notify(
            app,
            "您的申请已撤回",
            f"您的政府信息公开申请已于{received_on.isoformat()}撤回，本机关终止办理。撤回理由：{reason}",
        )
    return app
