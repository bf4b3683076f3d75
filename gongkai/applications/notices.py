"""Notices: fill a versioned template, number it, freeze it, and render it as PDF or DOCX.

``notice_issue`` runs inside the transaction of the step that issues the notice: it picks
the current template of the notice kind and the application's era, renders it, takes the
next 文号 from the agency's yearly counter (scope ``notice``) and stores the frozen text
with the template version. PDF and DOCX are produced from the frozen record on demand
(``gongkai.lib.pdf`` / ``gongkai.lib.docx``), so a later template edit never changes an
issued notice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template import Context, Engine
from django.utils import timezone

from gongkai.applications.models import Application, Notice, NoticeKind, NoticeTemplate
from gongkai.lib.taxonomy import OUTCOMES_BY_CODE
from gongkai.numbering.services import counter_next

_engine = Engine(
    libraries={}, builtins=["django.template.defaulttags", "django.template.defaultfilters"]
)


class NoticeTemplateMissing(Exception):
    pass


def review_body(agency: Any, decided_on: dt.date | None = None) -> str:
    """The named 行政复议机关 (``legal.review_bodies``; raises ``LegalBasisError`` when it
    cannot be named — never the bare words “上一级人民政府”)."""
    from gongkai.applications import legal

    return legal.review_bodies(agency, decided_on or timezone.localdate()).text


def cn_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def doc_number_for(agency: Any, year: int, serial: int) -> str:
    """文号 of a notice: ``<机关简称>依申请〔YYYY〕N号`` (per agency, per year)."""
    prefix = agency.short_name or agency.name
    return f"{prefix}依申请〔{year}〕{serial}号"


# Notice kinds that answer with another cell's citation key (the cell stays the same).
OWN_CITATION_KINDS = {"not_this_agency", "disclose_published"}


def citation_key(application: Application, kind: str) -> str:
    """Which row of ``legal.CITATIONS`` a notice uses: the procedural kind itself, the
    alternative notice kind, or the application's outcome cell."""
    from gongkai.applications import legal
    from gongkai.lib.taxonomy import OUTCOME_CELLS

    if kind in legal.PROCEDURAL_KINDS or kind in OWN_CITATION_KINDS:
        return kind
    if application.outcome:
        return application.outcome
    return next((c.code for c in OUTCOME_CELLS if c.notice == kind), kind)


def build_context(
    application: Application,
    *,
    today: dt.date,
    extra: dict[str, Any] | None = None,
    kind: str = "",
) -> dict[str, Any]:
    """Everything a template may use. ``citation`` and ``remedy`` come from the data table
    (``applications.legal``): the citation by the application's 条例 era, the remedy by
    the decision date ``today``. Raises ``LegalBasisError`` when a reply's citation lacks an
    input or its 行政复议机关 cannot be named."""
    from gongkai.applications import legal

    cell = OUTCOMES_BY_CODE.get(application.outcome)
    court = "有管辖权的人民法院"
    ctx: dict[str, Any] = {
        "app": application,
        "agency": application.agency,
        "number": application.number,
        "applicant": application.applicant_name,
        "received_on": application.received_on,
        "due_on": application.due_on,
        "summary": application.summary,
        "today": today,
        "court": court,
        "outcome": application.outcome,
        "outcome_label": (cell.group + cell.label) if cell else "",
        "reply_text": application.reply_text,
        "correction_items": application.correction_items,
        "correction_due_on": application.correction_due_on,
        "reasons_items": application.reasons_items,
        "reasons_due_on": application.reasons_due_on,
        "extension_workdays": application.extension_workdays,
        "extension_reason": application.extension_reason,
        "fee_amount": application.fee_amount,
        "fee_due_on": application.fee_due_on,
        "fee_method_label": application.get_fee_method_display(),
        "responsible_agency_name": application.responsible_agency_name,
        "responsible_agency_contact": application.responsible_agency_contact,
        "attachments": "、".join(a.name for a in application.attachments.all())
        if application.pk
        else "",
        "citation": "",
        "remedy": "",
        "review_body": "",
    }
    if kind:
        key = citation_key(application, kind)
        ctx["citation"] = legal.citation_for(
            key,
            application.era,
            withheld_ground=application.withheld_ground,
            legal_basis=application.legal_basis,
            responsible_agency=application.responsible_agency_name,
        )
        if kind not in legal.PROCEDURAL_KINDS:
            remedy = legal.remedy_for(application.agency, key=key, decided_on=today, court=court)
            ctx["remedy"] = remedy.text
            ctx["review_body"] = remedy.bodies.text
    ctx.update(extra or {})
    return ctx


def render_text(source: str, ctx: dict[str, Any]) -> str:
    """Render one template field; any template error becomes a Chinese domain error (an
    administrator's broken edit must never turn issuing a notice into a 500)."""
    try:
        return _engine.from_string(source).render(Context(ctx, autoescape=False))
    except Exception as exc:  # noqa: BLE001 - TemplateSyntaxError, NoReverseMatch, …
        raise NoticeTemplateMissing(f"文书模板无法生成（{exc}），请系统管理员检查模板。") from exc


def render_template(template: NoticeTemplate, ctx: dict[str, Any]) -> list[dict[str, str]]:
    """The template's paragraphs, then the legal basis and the remedy clause as blocks."""
    body = render_text(template.body, ctx)
    blocks = [
        {"type": "paragraph", "text": part.strip()} for part in body.split("\n\n") if part.strip()
    ]
    basis = render_text(template.legal_basis, ctx).strip()
    if basis:
        blocks.append({"type": "paragraph", "text": basis})
    remedy = render_text(template.remedy_clause, ctx).strip()
    if remedy:
        blocks.append({"type": "paragraph", "text": remedy})
    return blocks


def ensure_default_templates() -> int:
    """Create version 1 of every notice kind and era that has no template at all (the data
    migration does this; a flushed test database or a fresh table is healed here)."""
    from gongkai.applications.notice_texts import defaults

    created = 0
    for row in defaults():
        if not NoticeTemplate.objects.filter(kind=row["kind"], era=row["era"]).exists():
            NoticeTemplate.objects.create(version=1, is_current=True, **row)
            created += 1
    return created


def current_template(kind: str, era: str) -> NoticeTemplate:
    tpl = NoticeTemplate.objects.filter(kind=kind, era=era, is_current=True).first()
    if tpl is None and not NoticeTemplate.objects.filter(kind=kind, era=era).exists():
        ensure_default_templates()
        tpl = NoticeTemplate.objects.filter(kind=kind, era=era, is_current=True).first()
    if tpl is None:
        raise NoticeTemplateMissing(
            f"缺少“{NoticeKind(kind).label}”（{era}年版）的文书模板，请系统管理员补充。"
        )
    return tpl


def notice_render(
    application: Application,
    *,
    kind: str,
    today: dt.date,
    extra: dict[str, Any] | None = None,
) -> tuple[NoticeTemplate, str, list[dict[str, str]]]:
    """(template, title, paragraphs) of the notice ``kind`` decided on ``today``, without
    storing anything (``notice_issue`` and ``manage.py notice_preview`` share it).

    Raises ``NoticeTemplateMissing`` (Chinese message) for a missing or broken template,
    a citation lacking an input, or a 行政复议机关 that cannot be named.
    """
    from gongkai.applications.legal import LegalBasisError

    template = current_template(kind, application.era)
    try:
        ctx = build_context(application, today=today, extra=extra, kind=kind)
    except LegalBasisError as exc:
        raise NoticeTemplateMissing(f"不能制发“{NoticeKind(kind).label}”：{exc}") from exc
    return template, render_text(template.title, ctx), render_template(template, ctx)


def notice_issue(
    *,
    application: Application,
    kind: str,
    by: Any = None,
    today: dt.date | None = None,
    extra: dict[str, Any] | None = None,
    recipient: str = "",
) -> Notice:
    """Issue one notice (call inside the transaction of the step that issues it)."""
    today = today or timezone.localdate()
    template, title, paragraphs = notice_render(application, kind=kind, today=today, extra=extra)
    year = today.year
    serial = counter_next(scope="notice", period=str(year), agency=application.agency)
    if not recipient:
        recipient = f"{application.applicant_name}："
    if kind in (NoticeKind.THIRD_PARTY, NoticeKind.AGENCY_CONSULT):
        recipient = ""  # the letter names the consulted party in its first paragraph
    return Notice.objects.create(
        application=application,
        agency=application.agency,
        kind=kind,
        template=template,
        year=year,
        serial=serial,
        doc_number=doc_number_for(application.agency, year, serial),
        title=title,
        recipient=recipient,
        paragraphs=paragraphs,
        issued_on=today,
        issued_by=by if getattr(by, "is_authenticated", False) else None,
    )


def notice_blocks(notice: Notice) -> list[dict[str, Any]]:
    """The blocks (see gongkai.lib.pdf) of an issued notice."""
    agency = notice.agency
    blocks: list[dict[str, Any]] = [
        {"type": "masthead", "text": agency.name},
        {"type": "doc_number", "text": notice.doc_number},
        {"type": "title", "text": notice.title},
    ]
    if notice.recipient:
        blocks.append({"type": "recipient", "text": notice.recipient})
    blocks.extend(notice.paragraphs)
    blocks.append(
        {"type": "signature", "text": agency.name, "date": cn_date(notice.issued_on), "seal": True}
    )
    contact = "；".join(
        x
        for x in (
            f"联系地址：{agency.office_address}" if agency.office_address else "",
            f"联系电话：{agency.office_phone}" if agency.office_phone else "",
        )
        if x
    )
    note = f"（申请编号：{notice.application.number}" + (f"；{contact}" if contact else "") + "）"
    blocks.append({"type": "note", "text": note})
    return blocks


def notice_pdf(notice: Notice) -> bytes:
    from gongkai.lib import pdf

    return pdf.render(notice_blocks(notice), title=notice.title)


def notice_docx(notice: Notice) -> bytes:
    from gongkai.lib import docx

    return docx.render(notice_blocks(notice), title=notice.title)
