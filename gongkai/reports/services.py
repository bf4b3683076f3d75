"""Writes to annual reports: create a draft, edit its narrative, publish (freeze), reissue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.audit.services import audit_log
from gongkai.reports import documents, placeholders
from gongkai.reports.compute import Scope
from gongkai.reports.flows import REPORT_WORKFLOW
from gongkai.reports.models import AnnualReport
from gongkai.reports.validation import validate_report_data


class ReportError(Exception):
    """A refused change to an annual report; the message is Chinese."""


def _guard(verb: str, by: Any, report: AnnualReport) -> None:
    """THE guard of a step of ``REPORT_WORKFLOW`` (reports/flows.py). ``by`` None is the demo
    loader acting for the system: only the status and the object conditions apply."""
    if by is None:
        REPORT_WORKFLOW.require_state(verb, report, ReportError)
    else:
        REPORT_WORKFLOW.require(verb, by, report, ReportError)


def report_create(
    *, by: Any, year: int, style: str = "2021", agency: Any = None, region: Any = None
) -> AnnualReport:
    """Start a draft report (version 1) for an agency or a region's government."""
    if (agency is None) == (region is None):
        raise ReportError("请选择一个机关或一个行政区划。")
    if not 1990 <= year <= 2100:
        raise ReportError("年度应在1990至2100之间。")
    if mismatch := documents.style_mismatch(year, style):
        raise ReportError(mismatch)
    scope = Scope(agency=agency, region=region)
    title = (
        f"{scope.name}{year}年政府信息公开工作年度报告"
        if style == "2021"
        else f"{year}年{scope.name.removesuffix('人民政府')}政府信息公开工作年度报告"
    )
    defaults = documents.default_narrative(scope, year, style)
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(
                agency=agency,
                region=region,
                year=year,
                style=style,
                title=title,
                narrative=dict(defaults),
            )
            audit_log(
                "reports.report.created", obj=report, actor=by, changes={"year": [None, year]}
            )
    except IntegrityError as exc:
        raise ReportError("该机关（区划）本年度此格式的报告已存在。") from exc
    return report


def report_update_narrative(
    *, report: AnnualReport, by: Any, narrative: dict[str, str]
) -> AnnualReport:
    """Replace the editable texts of a draft ({名称} placeholders are filled at render time)."""
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        _guard("update_narrative", by, locked)
        for key, text in narrative.items():
            error = placeholders.placeholder_error(text)
            if error:
                raise ReportError(f"{key}：{error}")
        old = locked.narrative
        locked.narrative = {k: v[:20000] for k, v in narrative.items()}
        locked.save(update_fields=["narrative"])
        audit_log(
            "reports.report.narrative_changed",
            obj=locked,
            actor=by,
            changes={k: [old.get(k), v] for k, v in locked.narrative.items() if old.get(k) != v},
        )
    return locked


def report_publish(
    *, report: AnnualReport, by: Any, now: dt.datetime | None = None
) -> AnnualReport:
    """Freeze the report: compute its figures once, store the JSON, HTML and (if possible) PDF.

    1. Only a draft can be published; the tables must pass the consistency checks.
    2. The previous published version of the same scope/year/style becomes 已被新版本取代.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
        _guard("publish", by, locked)
        scope = Scope(agency=locked.agency, region=locked.region)
        data = documents.build_report_data(scope, locked.year, locked.style, locked.narrative)
        data["title"] = locked.title
        issues = validate_report_data(documents.export_data(data))
        if issues:
            raise ReportError("报告数据未通过勾稽检查：" + "；".join(map(str, issues[:5])))
        locked.data = data
        locked.html = documents.render_html_fragment(data)
        locked.status = AnnualReport.Status.PUBLISHED
        locked.published_at = now
        locked.published_by = by
        locked.save(update_fields=["data", "html", "status", "published_at", "published_by"])
        previous = AnnualReport.objects.filter(
            agency=locked.agency,
            region=locked.region,
            year=locked.year,
            style=locked.style,
            status=AnnualReport.Status.PUBLISHED,
        ).exclude(pk=locked.pk)
        for old in previous.select_for_update():
            old.status = AnnualReport.Status.SUPERSEDED
            old.save(update_fields=["status"])
            audit_log(
                "reports.report.superseded",
                obj=old,
                actor=by,
                changes={"status": ["published", "superseded"]},
            )
        audit_log(
            "reports.report.published",
            obj=locked,
            actor=by,
            changes={"status": ["draft", "published"]},
        )
        transaction.on_commit(lambda: report_render_pdf(report_id=locked.pk))
    return locked


def report_render_pdf(*, report_id: int) -> bool:
    """Render and store the PDF of a published report from its frozen data (after commit: the
    rendering takes seconds and must not hold the publishing transaction). Without WeasyPrint
    the PDF is rendered on demand at download instead. Returns whether a PDF was stored."""
    from gongkai.lib.pdf import PdfUnavailableError

    report = AnnualReport.objects.filter(pk=report_id, data__isnull=False).first()
    if report is None:
        return False
    try:
        pdf = documents.render_pdf(report.data)
    except PdfUnavailableError:
        return False
    AnnualReport.objects.filter(pk=report_id).update(pdf=pdf)
    return True


def report_new_version(*, report: AnnualReport, by: Any, reason: str) -> AnnualReport:
    """Start a corrected version of a published report (a new draft carrying the narrative)."""
    reason = reason.strip()
    if not reason:
        raise ReportError("发布新版本须填写原因。")
    with transaction.atomic():
        siblings = list(
            AnnualReport.objects.select_for_update().filter(
                agency=report.agency, region=report.region, year=report.year, style=report.style
            )
        )
        locked = next(s for s in siblings if s.pk == report.pk)
        _guard("new_version", by, locked)  # a draft sibling is refused by the table
        version = max(s.version for s in siblings) + 1
        new = AnnualReport.objects.create(
            agency=report.agency,
            region=report.region,
            year=report.year,
            style=report.style,
            title=report.title,
            narrative=report.narrative,
            version=version,
            reason=reason[:300],
        )
        audit_log(
            "reports.report.new_version",
            obj=new,
            actor=by,
            message=reason,
            changes={"version": [report.version, version]},
        )
    return new
