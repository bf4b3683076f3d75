"""Exports of an assessment: the ranking with every indicator's points, as XLSX (openpyxl) and
as PDF (``gongkai.lib.pdf`` blocks: the official-document layout). A second XLSX sheet lists
the evidence behind every score, so the spreadsheet explains itself."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from gongkai.assessment.models import Assessment, Result, Score


def ranking_rows(
    assessment: Assessment, agency_ids: set[int] | None = None
) -> list[dict[str, Any]]:
    """One row per agency (rank order): rank, agency, total, points per indicator."""
    indicators = list(assessment.indicators.all())
    results = Result.objects.filter(assessment=assessment).select_related(
        "agency", "agency__region"
    )
    scores = Score.objects.filter(assessment=assessment).only("agency_id", "indicator_id", "points")
    if agency_ids is not None:
        results = results.filter(agency_id__in=agency_ids)
        scores = scores.filter(agency_id__in=agency_ids)
    points = {(s.agency_id, s.indicator_id): s.points for s in scores}
    return [
        {"rank": r.rank, "agency": r.agency, "total": r.total,
         "points": [points.get((r.agency_id, i.pk)) for i in indicators]}
        for r in results.order_by("rank", "agency__region__code", "agency__sort_order", "agency__name")
    ]  # fmt: skip


def xlsx(assessment: Assessment) -> bytes:
    indicators = list(assessment.indicators.all())
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "排名"
    ws.append([assessment.name])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"考核期：{assessment.period_start} 至 {assessment.period_end}"])
    header = ["名次", "机构", "所属区划", "总分"] + [
        f"{i.name}（{i.weight}分）" for i in indicators
    ]
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in ranking_rows(assessment):
        ws.append(
            [row["rank"], row["agency"].name, row["agency"].region.name, float(row["total"])]
            + [float(p) if p is not None else None for p in row["points"]]
        )
    ws.column_dimensions["B"].width = 34
    detail = wb.create_sheet("计分依据")
    detail.append(
        ["机构", "指标", "得分", "比例", "符合/总数", "计分说明", "依据", "是否符合", "说明"]
    )
    for cell in detail[1]:
        cell.font = Font(bold=True)
    scores = (
        Score.objects.filter(assessment=assessment)
        .select_related("agency", "indicator")
        .order_by("agency__region__code", "agency__sort_order", "agency__name", "indicator__order")
    )
    for s in scores:
        counts = (
            f"{s.numerator}/{s.denominator}" if s.numerator is not None else (s.denominator or "")
        )
        base = [
            s.agency.name,
            s.indicator.name,
            float(s.points),
            float(s.ratio),
            counts,
            s.explanation,
        ]
        if not s.evidence:
            detail.append(base + ["", "", ""])
        for e in s.evidence:
            detail.append(
                base + [e.get("label", ""), "是" if e.get("ok") else "否", e.get("note", "")]
            )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pdf_blocks(assessment: Assessment) -> list[dict[str, Any]]:
    indicators = list(assessment.indicators.all())
    rows = [["名次", "机构", "总分"]]
    for row in ranking_rows(assessment):
        rows.append([str(row["rank"]), row["agency"].name, f"{row['total']}"])
    rules = [["序号", "指标", "分值", "评分标准"]] + [
        [str(i.order), i.name, f"{i.weight}", i.description] for i in indicators
    ]
    return [
        {"type": "title", "text": assessment.name},
        {"type": "paragraph",
         "text": f"考核期：{assessment.period_start}至{assessment.period_end}。考核对象为{assessment.region.name}"
                 f"各部门及下级人民政府，共{len(rows) - 1}个单位。各项得分依据系统数据计算，计分明细见附表。"},
        {"type": "heading", "text": "一、考核结果排名"},
        {"type": "table", "rows": rows, "header": True},
        {"type": "heading", "text": "二、考评细则"},
        {"type": "table", "rows": rules, "header": True},
    ]  # fmt: skip


def pdf(assessment: Assessment) -> bytes:
    """The ranking as a PDF (raises ``PdfUnavailableError`` without WeasyPrint/Pango)."""
    from gongkai.lib import pdf as pdflib

    return pdflib.render(pdf_blocks(assessment), title=assessment.name)
