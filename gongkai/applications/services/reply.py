"""Reply (Art 36, one table-三 cell), service (送达) and notice template versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gongkai.applications.models import (
    Application,
    Attachment,
    Notice,
    NoticeTemplate,
)
from gongkai.applications.services.common import (
    ALTERNATIVE_NOTICES,
    LAPSE_OUTCOMES,
    ApplicationError,
    S,
    _discard_files_on_error,
    _event,
    _guard,
    _issue,
    _locked,
    _not_future,
    _notify,
    _store_file,
    _today,
)
from gongkai.audit.services import audit_log
from gongkai.lib.taxonomy import OUTCOMES_BY_CODE


def _require_reasons_heard(app: Application, *, today: dt.date) -> None:
    """（五）4 无正当理由大量反复申请 only after the Art 35 step: the applicant was asked for
    reasons, the reasons were not accepted, and they arrived or their deadline passed."""
    if app.reasons_requested_on is None:
        raise ApplicationError(
            "依条例第三十五条，须先要求申请人说明理由，才能以“无正当理由大量反复申请”不予处理。"
        )
    if app.reasons_accepted_on is not None:
        raise ApplicationError(
            "已认可申请人说明的理由，不能再以“无正当理由大量反复申请”不予处理，请继续办理。"
        )
    if app.reasons_received_on is None and app.reasons_due_on and today <= app.reasons_due_on:
        raise ApplicationError(
            f"说明理由期限（{app.reasons_due_on.isoformat()}）尚未届满，申请人也未说明理由，"
            "暂不能作出不予处理决定。"
        )


# --- reply, service, closing -----------------------------------------------------------------


def application_reply(
    *,
    application: Application,
    by: Any,
    outcome: str,
    reply_text: str,
    legal_basis: str = "",
    files: list[Any] | tuple[Any, ...] = (),
    service_method: str = "",
    served_on: dt.date | None = None,
    notice_kind: str = "",
    withheld_ground: str = "",
    responsible_agency_name: str = "",
    responsible_agency_contact: str = "",
    today: dt.date | None = None,
    signoff: Any = None,
) -> Notice:
    """Reply with exactly one outcome cell of report table 三; the cell decides the notice
    template, its citation and remedy clause (``applications.legal``). A 部分公开 names the
    ground of the withheld part (``withheld_ground``); a 非本机关 notice the responsible
    agency's name and contact when known (Art 36(5)); （六）3 its own ``legal_basis``.
    Files are attached; with a date of service the application closes at once.
    Where the agency requires 审签 (``ReplySignoffPolicy``) the reply is only issued by
    ``reply_draft_sign`` (which passes ``signoff``); a direct call is refused."""
    from gongkai.applications.legal import WITHHOLD_GROUNDS

    today = _today(today)
    cell = OUTCOMES_BY_CODE.get(outcome)
    if cell is None:
        raise ApplicationError("请选择一个办理结果。")
    withheld_ground = withheld_ground if outcome == "partial" else ""
    if outcome == "partial" and withheld_ground not in WITHHOLD_GROUNDS:
        raise ApplicationError("部分公开须选择不予公开部分的理由（表三（三）1至7之一）。")
    if outcome == "other" and not (legal_basis or "").strip():
        raise ApplicationError("“（六）其他处理 3.其他”须写明本次处理的法律依据。")
    if notice_kind != "not_this_agency":
        responsible_agency_name = responsible_agency_contact = ""
    if responsible_agency_contact.strip() and not responsible_agency_name.strip():
        raise ApplicationError("填写了联系方式，请同时填写负责公开的行政机关名称。")
    if notice_kind and notice_kind not in ALTERNATIVE_NOTICES.get(outcome, set()):
        raise ApplicationError("所选文书与办理结果不对应。")
    if outcome in LAPSE_OUTCOMES:
        raise ApplicationError("逾期不补正、逾期未缴费由系统按期限自动处理，不能手工选择。")
    reply_text = (reply_text or "").strip()
    if not reply_text:
        raise ApplicationError("请填写答复内容。")
    if served_on is not None:
        _not_future(served_on, today, "送达日期")
    with _discard_files_on_error() as written, transaction.atomic():
        app = _locked(application)
        # a direct reply, or the one ``reply_draft_sign`` issues for the signer
        _guard("reply" if signoff is None else "sign_reply", by, app)
        if any(c.result == "" for c in app.consultations.all()):
            raise ApplicationError("还有未结束的征求意见，请先登记征求意见结果。")
        if outcome in ("disclose", "partial") and app.fee_method and not app.fee_paid_on:
            raise ApplicationError("信息处理费尚未缴纳。")
        if outcome == "reject_excessive":
            _require_reasons_heard(app, today=today)
        for f in files:
            att = Attachment(
                application=app,
                name=getattr(f, "name", "文件")[:200],
                size=getattr(f, "size", 0) or 0,
                uploaded_by=by,
            )
            _store_file(att.file, f, written)
            att.save()
        app.outcome = outcome
        app.reply_text = reply_text[:10000]
        app.legal_basis = legal_basis[:2000]
        app.replied_on = today
        app.status = S.REPLIED
        app.withheld_ground = withheld_ground
        app.responsible_agency_name = responsible_agency_name.strip()[:100]
        app.responsible_agency_contact = responsible_agency_contact.strip()[:200]
        fields = ["outcome", "reply_text", "legal_basis", "replied_on", "status"]
        fields += ["withheld_ground", "responsible_agency_name", "responsible_agency_contact"]
        if served_on is not None:
            if not service_method:
                raise ApplicationError("请选择送达方式。")
            app.service_method, app.served_on, app.closed_on, app.status = (
                service_method,
                served_on,
                served_on,
                S.CLOSED,
            )
            fields += ["service_method", "served_on", "closed_on"]
        app.save(update_fields=fields)
        notice = _issue(app, notice_kind or cell.notice, by=by, today=today)
        label = f"{cell.group}{cell.label}"
        _event(app, "replied", f"作出答复：{label}", on=today, actor=by)
        if served_on is not None:
            _event(
                app,
                "served",
                f"已送达（{app.get_service_method_display()}），本件办结",
                on=today,
                actor=by,
            )
        audit_log(
            "applications.application.replied",
            obj=app,
            actor=by,
            changes={"outcome": ["", outcome]},
            message=label,
        )
        _notify(app, "您的申请已答复", f"答复结果：{label}。请凭申请编号和查询码查看并下载告知书。")
    return notice


def application_record_service(
    *,
    application: Application,
    by: Any,
    method: str,
    served_on: dt.date,
    today: dt.date | None = None,
) -> Application:
    """Record the date and method of service (送达); the application closes."""
    today = _today(today)
    _not_future(served_on, today, "送达日期")
    with transaction.atomic():
        app = _locked(application)
        _guard("record_service", by, app)
        if app.replied_on and served_on < app.replied_on:
            raise ApplicationError("送达日期不能早于答复日期。")
        if not method:
            raise ApplicationError("请选择送达方式。")
        app.service_method, app.served_on, app.closed_on, app.status = (
            method,
            served_on,
            served_on,
            S.CLOSED,
        )
        app.save(update_fields=["service_method", "served_on", "closed_on", "status"])
        _event(
            app,
            "served",
            f"已送达（{app.get_service_method_display()}），本件办结",
            on=today,
            actor=by,
        )
        audit_log(
            "applications.application.served",
            obj=app,
            actor=by,
            changes={"served_on": [None, served_on]},
        )
    return app


# --- templates ----------------------------------------------------------------------------------


def notice_template_revise(
    *,
    template: NoticeTemplate,
    by: Any,
    title: str,
    body: str,
    legal_basis: str,
    remedy_clause: str,
) -> NoticeTemplate:
    """The system administrator edits a template: a new version becomes current; issued
    notices keep the version they used."""
    from django.template import TemplateSyntaxError

    from gongkai.applications.notices import _engine

    if by is None or not by.is_system_admin:
        raise ApplicationError("只有系统管理员可以修改文书模板。")
    if not title.strip() or not body.strip():
        raise ApplicationError("标题和正文不能为空。")
    for label, text in (
        ("标题", title),
        ("正文", body),
        ("法律依据", legal_basis),
        ("救济途径", remedy_clause),
    ):
        try:
            _engine.from_string(text)
        except TemplateSyntaxError as exc:
            raise ApplicationError(f"{label}模板语法错误：{exc}") from exc
    with transaction.atomic():
        current = NoticeTemplate.objects.select_for_update().get(pk=template.pk)
        if not current.is_current:
            raise ApplicationError("只能在当前版本的基础上修改。")
        last = (
            NoticeTemplate.objects.filter(kind=current.kind, era=current.era)
            .order_by("-version")
            .first()
        )
        current.is_current = False
        current.save(update_fields=["is_current"])
        new = NoticeTemplate.objects.create(
            kind=current.kind,
            era=current.era,
            version=(last.version if last else 0) + 1,
            title=title.strip()[:100],
            body=body,
            legal_basis=legal_basis,
            remedy_clause=remedy_clause,
            is_current=True,
            created_by=by,
        )
        audit_log(
            "applications.template.revised",
            obj=new,
            actor=by,
            changes={"version": [current.version, new.version]},
        )
    return new
