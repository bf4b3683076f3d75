"""Intake, receipt (Art 31), assignment, 补正 (Art 30) and the automatic lapse."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.applications.models import (
    Application,
    NoticeKind,
    era_for,
)
from gongkai.applications.services.common import (
    APPLICATION_DESK_ROLES,
    CONFIRM_CHANNELS,
    HANDLER_ROLES,
    ApplicationError,
    S,
    _check_clock,
    _discard_files_on_error,
    _event,
    _guard,
    _guard_state,
    _issue,
    _locked,
    _not_future,
    _notify,
    _refresh_clock,
    _store_file,
    _today,
    correction_default_workdays,
    hash_query_code,
    new_query_code,
)
from gongkai.audit.services import audit_log
from gongkai.lib import codes
from gongkai.lib.crypto import blind_index
from gongkai.lib.taxonomy import ApplicantType, Channel
from gongkai.numbering.services import counter_next

# --- intake -----------------------------------------------------------------------------


APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "address",
    "postcode",
    "description",
    "doc_number",
    "purpose",
    "carrier",
    "delivery",
)


def _validate_applicant(data: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    clean = {k: data.get(k, "") for k in APPLICANT_FIELDS}
    for key, value in list(clean.items()):
        if isinstance(value, str):
            clean[key] = value.strip()
    if clean["applicant_type"] not in ApplicantType.values:
        raise ApplicationError("请选择申请人类型。")
    if not clean["applicant_name"]:
        raise ApplicationError("请填写申请人姓名或名称。")
    if not clean["description"]:
        raise ApplicationError("请填写所需政府信息的内容描述。")
    number = clean["id_number"].upper().replace(" ", "")
    if clean["applicant_type"] == ApplicantType.NATURAL:
        resident = clean["id_type"] == "resident_id" and number
        if resident and (msg := codes.id_number_error(number, today=today)) is not None:
            raise ApplicationError(msg)
    else:
        clean["id_type"] = ""
        if number and (msg := codes.uscc_error(number)) is not None:
            raise ApplicationError(msg)
    clean["id_number"] = number
    clean["identity_index"] = blind_index(number) if number else ""
    return clean


def find_duplicate(app: Application) -> Application | None:
    """An earlier application of the same applicant (identity) to the same agency asking
    for the same information: same 文号, or descriptions at least 80 % alike."""
    if not app.identity_index:
        return None
    earlier = (
        Application.objects.filter(agency_id=app.agency_id, identity_index=app.identity_index)
        .exclude(pk=app.pk)
        .order_by("-submitted_at")[:50]
    )
    for other in earlier:
        if app.doc_number and other.doc_number and app.doc_number == other.doc_number:
            return other
        ratio = difflib.SequenceMatcher(None, app.description, other.description).ratio()
        if ratio >= 0.8:
            return other
    return None


def _create(
    *,
    agency: Any,
    channel: str,
    data: dict[str, Any],
    received_on: dt.date | None,
    status: str,
    by: Any,
    user: Any,
    now: dt.datetime,
    id_proof: Any = None,
    written: list[Any] | None = None,
) -> tuple[Application, str]:
    year = timezone.localtime(now).year if received_on is None else received_on.year
    serial = counter_next(scope="application", period=str(year), agency=agency)
    code = new_query_code()
    number = f"{agency.code.upper()}-{year}-{serial:05d}"
    app = Application(
        agency=agency,
        year=year,
        serial=serial,
        number=number,
        channel=channel,
        submitted_at=now,
        received_on=received_on,
        status=status,
        era=era_for(received_on or timezone.localtime(now).date()),
        registered_by=by if getattr(by, "is_authenticated", False) else None,
        user=user if getattr(user, "is_authenticated", False) else None,
        query_code_hash=hash_query_code(number, code),
        **data,
    )
    if id_proof is not None:
        _store_file(app.id_proof, id_proof, written if written is not None else [])
    app.save()
    dup = find_duplicate(app)
    if dup is not None:
        app.duplicate_of = dup
        app.save(update_fields=["duplicate_of"])
    return app, code


def application_submit_online(
    *,
    agency: Any,
    data: dict[str, Any],
    user: Any = None,
    id_proof: Any = None,
    now: dt.datetime | None = None,
) -> tuple[Application, str]:
    """An applicant files online (Art 29). Status 待确认: the receipt date is the day both
    sides confirm (Art 31 (三)), set by ``application_confirm``. Returns (application,
    query code); the code is shown once and stored only as a keyed hash."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    clean = _validate_applicant(data, today=today)
    if clean["applicant_type"] == ApplicantType.NATURAL and not clean["id_number"]:
        raise ApplicationError("请填写证件号码（身份证明，条例第二十九条）。")
    if clean["applicant_type"] != ApplicantType.NATURAL and not clean["id_number"]:
        raise ApplicationError("请填写统一社会信用代码。")
    if not (clean["phone"] or clean["email"] or clean["address"]):
        raise ApplicationError("请至少填写一种联系方式（电话、电子邮箱或通信地址）。")
    with _discard_files_on_error() as written, transaction.atomic():
        app, code = _create(
            agency=agency,
            channel=Channel.ONLINE,
            data=clean,
            received_on=None,
            status=S.PENDING,
            by=None,
            user=user,
            now=now,
            id_proof=id_proof,
            written=written,
        )
        _event(app, "submitted", "申请人通过网上申请提交，等待工作机构确认", on=today)
        audit_log("applications.application.submitted", obj=app, actor=user, message="网上申请提交")
        _notify(
            app,
            "已收到您的网上申请",
            f"您向{agency.name}提交的政府信息公开申请已收到，工作机构确认后将出具登记回执。",
        )
    return app, code


def application_register(
    *,
    agency: Any,
    by: Any,
    channel: str,
    data: dict[str, Any],
    received_on: dt.date | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    id_proof: Any = None,
) -> tuple[Application, str]:
    """Staff register a letter, in-person, fax, e-mail or oral (代为填写) application.

    Receipt date by channel (Art 31): 当面/口头 — the day submitted; 信函 — the day signed
    for; 电子邮件 — the day the mail system received it; 传真/网上 — the day both sides
    confirm (status 待确认 until ``application_confirm``).
    """
    now = now or timezone.now()
    today = _today(today)
    if by is None or not (by.roles_in(agency.pk) & APPLICATION_DESK_ROLES):
        raise ApplicationError("只有本机关的录入员、承办人或信息公开工作机构负责人可以登记申请。")
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ApplicationError("请选择申请方式（网上申请由申请人在门户网站提交）。")
    clean = _validate_applicant(data, today=today)
    if channel in CONFIRM_CHANNELS:
        received, status = None, S.PENDING
    else:
        received = received_on or today
        _not_future(received, today, "收到申请之日")
        status = S.RECEIVED
    with _discard_files_on_error() as written, transaction.atomic():
        app, code = _create(
            agency=agency,
            channel=channel,
            data=clean,
            received_on=received,
            status=status,
            by=by,
            user=None,
            now=now,
            id_proof=id_proof,
            written=written,
        )
        _event(app, "registered", f"工作人员登记{Channel(channel).label}申请", on=today, actor=by)
        if received is not None:
            _refresh_clock(app, today=today)
            _issue(app, NoticeKind.RECEIPT, by=by, today=today)
        audit_log(
            "applications.application.registered",
            obj=app,
            actor=by,
            message=f"登记{Channel(channel).label}申请",
        )
        _notify(app, "您的申请已登记", f"{agency.name}已登记您的政府信息公开申请。")
    return app, code


def application_confirm(
    *,
    application: Application,
    by: Any,
    confirmed_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Application:
    """Both sides confirm an online or fax application: that day is the receipt date."""
    today = _today(today)
    confirmed_on = confirmed_on or today
    _not_future(confirmed_on, today, "确认日期")
    with transaction.atomic():
        app = _locked(application)
        _guard("confirm", by, app)
        if confirmed_on < timezone.localtime(app.submitted_at).date():
            raise ApplicationError("确认日期不能早于申请提交日期。")
        app.received_on = confirmed_on
        app.era = era_for(confirmed_on)
        app.status = S.RECEIVED
        app.save(update_fields=["received_on", "era", "status"])
        _check_clock(app, today=today)
        _refresh_clock(app, today=today)
        _event(
            app,
            "confirmed",
            f"工作机构确认收到申请，收到申请之日为{confirmed_on.isoformat()}",
            on=today,
            actor=by,
        )
        _issue(app, NoticeKind.RECEIPT, by=by, today=today)
        audit_log(
            "applications.application.confirmed",
            obj=app,
            actor=by,
            changes={"received_on": [None, confirmed_on]},
        )
        _notify(
            app,
            "您的申请已确认收到",
            f"收到申请之日为{confirmed_on.isoformat()}，答复期限为{app.due_on}。",
        )
    return app


def application_assign(
    *, application: Application, by: Any, handler: Any, today: dt.date | None = None
) -> Application:
    """Assign (or reassign) the handler; the handler must hold 承办人 or 机构负责人 in the agency."""
    today = _today(today)
    with transaction.atomic():
        app = _locked(application)
        _guard("assign", by, app)
        if handler is None or not (handler.roles_in(app.agency_id) & HANDLER_ROLES):
            raise ApplicationError("承办人须为本机关的依申请公开承办人或信息公开工作机构负责人。")
        old = app.handler_id
        app.handler = handler
        if app.status == S.RECEIVED:
            app.status = S.PROCESSING
        app.save(update_fields=["handler", "status"])
        _event(app, "assigned", f"分办给承办人{handler}", on=today, actor=by, public=False)
        if old is None:
            _event(app, "processing", "申请已进入办理", on=today, actor=by)
        audit_log(
            "applications.application.assigned",
            obj=app,
            actor=by,
            changes={"handler": [old, handler.pk]},
        )
    return app


def application_request_correction(
    *,
    application: Application,
    by: Any,
    items: str,
    due_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Application:
    """Art 30: tell the applicant once what to correct and by when (the notice must go out
    within 7 working days of receipt in the 2019 era)."""
    from gongkai.workdays.calendar import CalendarMissingError, add_workdays

    today = _today(today)
    items = (items or "").strip()
    if not items:
        raise ApplicationError("请写明需要补正的事项。")
    with transaction.atomic():
        app = _locked(application)
        _guard("request_correction", by, app)
        result = _check_clock(app, today=today)
        if (
            result is not None
            and result.correction_notice_due_on
            and today > result.correction_notice_due_on
        ):
            raise ApplicationError(
                f"补正告知应当自收到申请之日起7个工作日内发出（最迟{result.correction_notice_due_on.isoformat()}），已超过期限。"
            )
        if due_on is None:
            try:
                due_on = add_workdays(today, correction_default_workdays())
            except CalendarMissingError as exc:
                raise ApplicationError(str(exc)) from exc
        if due_on <= today:
            raise ApplicationError("补正期限应晚于今天。")
        app.correction_requested_on = today
        app.correction_items = items
        app.correction_due_on = due_on
        app.status = S.CORRECTION
        app.save(
            update_fields=[
                "correction_requested_on",
                "correction_items",
                "correction_due_on",
                "status",
            ]
        )
        _refresh_clock(app, today=today)
        _issue(app, NoticeKind.CORRECTION, by=by, today=today)
        _event(
            app,
            "correction_requested",
            f"告知申请人补正，补正期限{due_on.isoformat()}",
            on=today,
            actor=by,
        )
        audit_log(
            "applications.application.correction_requested",
            obj=app,
            actor=by,
            changes={"correction_due_on": [None, due_on]},
        )
        _notify(app, "请补正您的申请", f"需要补正的事项：{items}\n请于{due_on.isoformat()}前补正。")
    return app


def application_receive_correction(
    *,
    application: Application,
    text: str,
    by: Any = None,
    received_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Application:
    """The corrected application arrives (from the applicant online, or entered by staff):
    the reply clock restarts from that day (Art 30)."""
    today = _today(today)
    received_on = received_on or today
    text = (text or "").strip()
    if not text:
        raise ApplicationError("请填写补正内容。")
    _not_future(received_on, today, "收到补正之日")
    with transaction.atomic():
        app = _locked(application)
        if by is not None:
            _guard("receive_correction", by, app)
        else:  # the applicant, on the tracking page
            _guard_state("receive_correction", app)
        if app.correction_due_on and received_on > app.correction_due_on:
            raise ApplicationError(
                f"补正期限（{app.correction_due_on.isoformat()}）已过，不能再补正。"
            )
        if app.correction_requested_on and received_on < app.correction_requested_on:
            raise ApplicationError("收到补正之日不能早于补正告知日期。")
        app.correction_received_on = received_on
        app.correction_text = text[:5000]
        app.status = S.PROCESSING if app.handler_id else S.RECEIVED
        app.save(update_fields=["correction_received_on", "correction_text", "status"])
        old, new = _refresh_clock(app, today=today)
        _event(
            app,
            "corrected",
            f"收到补正后的申请，答复期限自{received_on.isoformat()}起重新计算",
            on=today,
            actor=by,
        )
        audit_log(
            "applications.application.corrected", obj=app, actor=by, changes={"due_on": [old, new]}
        )
        _notify(
            app,
            "已收到您的补正",
            f"答复期限自{received_on.isoformat()}起重新计算，新的答复期限为{new}。",
        )
    return app


def _close_lapsed(app: Application, *, outcome: str, kind: str, text: str, today: dt.date) -> None:
    app.outcome = outcome
    app.replied_on = today
    app.closed_on = today
    app.status = S.CLOSED
    app.save(update_fields=["outcome", "replied_on", "closed_on", "status"])
    _issue(app, kind, by=None, today=today)
    _event(app, "lapsed", text, on=today)
    audit_log(f"applications.application.{outcome}", obj=app, actor=None, message=text)
    _notify(app, "您的申请已终止处理", text)


def application_lapse_overdue(*, today: dt.date | None = None, dry_run: bool = False) -> list[str]:
    """Close, without staff action, applications whose 补正 or fee deadline has passed:
    其他处理 1 (逾期不补正) and 其他处理 2 (逾期未缴费). Idempotent; returns the numbers."""
    today = _today(today)
    done: list[str] = []
    candidates = Application.objects.filter(
        Q(status=S.CORRECTION, correction_due_on__lt=today) | Q(status=S.FEE, fee_due_on__lt=today)
    ).values_list("pk", flat=True)
    for pk in candidates:
        with transaction.atomic():
            app = _locked(Application(pk=pk))
            if (
                app.status == S.CORRECTION
                and app.correction_due_on
                and app.correction_due_on < today
            ):
                if not dry_run:
                    _close_lapsed(
                        app,
                        outcome="other_no_correction",
                        kind=NoticeKind.LAPSED_CORRECTION,
                        today=today,
                        text=f"申请人逾期（{app.correction_due_on.isoformat()}）未补正，视为放弃申请，不再处理",
                    )
                done.append(app.number)
            elif app.status == S.FEE and app.fee_due_on and app.fee_due_on < today:
                if not dry_run:
                    _close_lapsed(
                        app,
                        outcome="other_unpaid",
                        kind=NoticeKind.LAPSED_FEE,
                        today=today,
                        text=f"申请人逾期（{app.fee_due_on.isoformat()}）未缴纳信息处理费，视为放弃申请，不再处理",
                    )
                done.append(app.number)
    return done
