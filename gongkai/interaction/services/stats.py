"""Statistics of 留言办理 (per agency and month) and the yearly counts of 互动交流 for the
annual report's narrative and the 政府网站工作年度报表, with an XLSX export."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from gongkai.interaction.models import (
    Comment,
    Consultation,
    Interpretation,
    Interview,
    InterviewQuestion,
    Question,
    Survey,
    SurveyResponse,
)


@dataclass
class StatRow:
    """One line of the statistics: 收到, 已答复, 按期答复, 平均答复用时 (working days)."""

    label: str
    received: int = 0
    answered: int = 0
    on_time: int = 0
    days_total: int = 0
    days_known: int = 0
    months: dict[int, int] = field(default_factory=dict)

    @property
    def average_days(self) -> float | None:
        return round(self.days_total / self.days_known, 1) if self.days_known else None

    @property
    def on_time_rate(self) -> str:
        return f"{100 * self.on_time / self.answered:.1f}%" if self.answered else "—"


def question_stats(year: int, agency_ids: Any = None) -> tuple[list[StatRow], StatRow]:
    """(rows per answering agency, total) of the 留言 received in ``year``; a 留言 not yet
    routed counts under "待分办". ``months`` holds the received count per month."""
    qs = Question.objects.received_in(year).select_related("agency")
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    rows: dict[Any, StatRow] = {}
    total = StatRow("合计")
    for q in qs.order_by("received_on"):
        key = q.agency_id
        row = rows.get(key)
        if row is None:
            row = rows[key] = StatRow(q.agency.name if q.agency else "待分办")
        for r in (row, total):
            r.received += 1
            m = q.received_on.month
            r.months[m] = r.months.get(m, 0) + 1
            if q.status in (Question.Status.PUBLISHED, Question.Status.REPLIED) and q.answered_on:
                r.answered += 1
                if q.on_time:
                    r.on_time += 1
                days = q.days_taken
                if days is not None:
                    r.days_total += days
                    r.days_known += 1
    return sorted(rows.values(), key=lambda r: (-r.received, r.label)), total


def month_chart(total: StatRow, year: int) -> str:
    """SVG bar chart of the 留言 received per month (the reports app's chart style)."""
    from gongkai.reports.charts import bar_chart

    data = [(f"{m}月", total.months.get(m, 0)) for m in range(1, 13)]
    return bar_chart(f"{year}年各月收到留言数", data)


def agency_chart(rows: list[StatRow], year: int) -> str:
    from gongkai.reports.charts import hbar_chart

    return hbar_chart(f"{year}年各部门答复留言数", [(r.label, r.answered) for r in rows[:15]])


def yearly_counts(year: int, agency_ids: Any = None) -> dict[str, int]:
    """Counts of 互动交流 in ``year`` (for the annual report narrative and the 政府网站工作
    年度报表). ``visits`` is the 专栏访问量 recorded under 公开活动 (outreach) for the year,
    else the visit counts of the catalog items published in the year."""
    from django.db.models import Sum

    from gongkai.outreach.models import Activity
    from gongkai.publishing.models import CatalogItem

    def scoped(qs: Any, path: str = "agency_id") -> Any:
        return qs if agency_ids is None else qs.filter(**{f"{path}__in": agency_ids})

    items = scoped(CatalogItem.objects.public().filter(published_at__year=year))
    visits = (
        scoped(Activity.objects.filter(kind="visits", held_on__year=year)).aggregate(
            n=Sum("quantity")
        )["n"]
        or 0
    )
    if not visits:
        visits = items.aggregate(n=Sum("visit_count"))["n"] or 0
    questions = scoped(Question.objects.received_in(year))
    interpretations = scoped(Interpretation.objects.public().filter(published_at__year=year))
    consultations = scoped(Consultation.objects.public().filter(opens_on__year=year))
    surveys = scoped(Survey.objects.public().filter(opens_on__year=year))
    interviews = scoped(Interview.objects.public().filter(starts_at__year=year))
    return {
        "visits": int(visits),
        "items_published": items.count(),
        "interpretations": interpretations.filter(kind="policy").count(),
        "hotspot_responses": interpretations.filter(kind="hotspot").count(),
        "questions_received": questions.count(),
        "questions_answered": questions.answered().count(),
        "questions_on_time": questions.answered_on_time().count(),
        "questions_published": questions.public().count(),
        "questions_rejected": scoped(
            Question.objects.filter(status="rejected", received_on__year=year)
        ).count(),
        "consultations": consultations.count(),
        "consultation_comments": scoped(
            Comment.objects.filter(consultation__in=consultations), "consultation__agency_id"
        ).count(),
        "consultation_comments_approved": Comment.objects.filter(
            consultation__in=consultations, status="approved"
        ).count(),
        "consultations_with_feedback": consultations.exclude(feedback_published_at=None).count(),
        "surveys": surveys.count(),
        "survey_responses": SurveyResponse.objects.filter(survey__in=surveys).count(),
        "interviews": interviews.count(),
        "interview_questions": InterviewQuestion.objects.filter(interview__in=interviews).count(),
    }


COUNT_LABELS = {
    "visits": "网站（专栏）访问量",
    "items_published": "发布信息数",
    "interpretations": "政策解读数",
    "hotspot_responses": "回应热点数",
    "questions_received": "收到留言数",
    "questions_answered": "办结留言数",
    "questions_on_time": "按期答复留言数",
    "questions_published": "公开答复留言数",
    "questions_rejected": "不予受理留言数",
    "consultations": "意见征集期数",
    "consultation_comments": "收到意见数",
    "consultation_comments_approved": "公开意见数",
    "consultations_with_feedback": "公布采纳情况期数",
    "surveys": "网上调查期数",
    "survey_responses": "调查答卷数",
    "interviews": "在线访谈期数",
    "interview_questions": "网民提问数",
}


def narrative(year: int, agency_ids: Any = None) -> str:
    """One paragraph for the annual report's 主动公开/互动交流 narrative."""
    c = yearly_counts(year, agency_ids)
    return (
        f"{year}年，通过政府网站互动交流栏目收到网民留言{c['questions_received']}件，"
        f"办结{c['questions_answered']}件，其中按期答复{c['questions_on_time']}件，"
        f"公开答复{c['questions_published']}件；发布政策解读{c['interpretations']}篇，"
        f"回应社会关切{c['hotspot_responses']}次；开展意见征集{c['consultations']}期，"
        f"收到意见{c['consultation_comments']}条，公布采纳情况{c['consultations_with_feedback']}期；"
        f"开展网上调查{c['surveys']}期，收到答卷{c['survey_responses']}份；"
        f"举办在线访谈{c['interviews']}期。"
    )


def yearly_xlsx(year: int, agency_ids: Any = None) -> bytes:
    """The 政府网站工作年度报表 counts and the 留言 statistics as an XLSX workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "年度报表"
    ws.append([f"{year}年政府网站互动交流工作年度报表"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["指标", "数量"])
    for key, value in yearly_counts(year, agency_ids).items():
        ws.append([COUNT_LABELS[key], value])
    ws.column_dimensions["A"].width = 28
    rows, total = question_stats(year, agency_ids)
    ws2 = wb.create_sheet("留言办理统计")
    ws2.append(["答复部门", "收到", "已答复", "按期答复", "按期率", "平均用时（工作日）"])
    for r in [*rows, total]:
        ws2.append([r.label, r.received, r.answered, r.on_time, r.on_time_rate, r.average_days])
    ws2.column_dimensions["A"].width = 32
    ws3 = wb.create_sheet("各月收到留言")
    ws3.append(["月份", "收到留言"])
    for m in range(1, 13):
        ws3.append([f"{m}月", total.months.get(m, 0)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
