"""Writes of the assessment app: assessments (configure, rate, score, publish), inspections with
findings and rectification tasks, and the annual work plan.

House shape: guard → ``AssessmentError`` (Chinese) → atomic + ``select_for_update`` → save →
``audit_log``. Only the 指导科 (guidance section) of the region runs assessments and
inspections; an agency reports progress on its own rectification tasks and work tasks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.assessment import scoring
from gongkai.assessment.models import (
    Assessment,
    Finding,
    FollowUp,
    Indicator,
    Inspection,
    ManualRating,
    RectificationTask,
    Result,
    Score,
    Source,
    TaskProgress,
    WorkPlan,
    WorkTask,
)
from gongkai.assessment.permissions import can_run, can_update_task
from gongkai.audit.services import audit_log, diff


class AssessmentError(Exception):
    """A refused assessment action; the message is Chinese and shown to the user."""


# The default 考评细则 (weights add up to 100); the guidance section adjusts it per assessment.
DEFAULT_INDICATORS: list[dict[str, Any]] = [
    {"name": "主动公开信息发布及时", "source": Source.PUBLICATION_TIMELINESS, "weight": 25,
     "params": {"limit_workdays": 20, "empty": 0},
     "description": "信息自生成之日起20个工作日内发布的比例乘以分值（条例第二十六条）；考核期内未主动公开信息的不得分。"},
    {"name": "索引号完整规范", "source": Source.INDEX_COMPLETENESS, "weight": 10, "params": {"empty": 0},
     "description": "考核期内发布的信息有索引号的比例乘以分值；未主动公开信息的不得分。"},
    {"name": "依申请公开按时答复", "source": Source.REPLY_ON_TIME, "weight": 20, "params": {},
     "description": "在法定期限（含延期）内答复的申请比例乘以分值。"},
    {"name": "无逾期答复", "source": Source.OVERDUE_REPLIES, "weight": 10, "params": {"penalty": "0.2"},
     "description": "每件逾期答复或逾期未答复扣本项分值的20%。"},
    {"name": "公开指南及时更新", "source": Source.GUIDE_FRESHNESS, "weight": 10,
     "params": {"max_age_days": 365}, "description": "考核期末的公开指南一年内更新过得满分，否则不得分。"},
    {"name": "复议诉讼未被纠错", "source": Source.REMEDIES_CORRECTED, "weight": 10,
     "params": {"penalty": "0.5"}, "description": "每件被纠错的行政复议或诉讼扣本项分值的50%。"},
    {"name": "监督检查问题整改", "source": Source.INSPECTION_FINDINGS, "weight": 10,
     "params": {"major": "0.3", "minor": "0.1"},
     "description": "检查发现的严重问题每项扣30%，一般问题每项扣10%；按期整改销号的减半扣分。"},
    {"name": "年度报告编制公布和数据报送", "source": Source.MANUAL, "weight": 5, "params": {},
     "description": "由指导科根据年度报告编制公布及相关数据报送情况评分，须附佐证材料。"},
]  # fmt: skip
INTERACTION_INDICATORS: list[dict[str, Any]] = [
    {"name": "政策解读及时", "source": Source.INTERPRETATION_TIMELY, "weight": 5,
     "params": {"limit_workdays": 3}, "description": "政策文件发布后3个工作日内发布解读的比例乘以分值。"},
    {"name": "留言按时答复", "source": Source.MESSAGE_ON_TIME, "weight": 5, "params": {},
     "description": "在答复期限内答复的留言比例乘以分值。"},
]  # fmt: skip


def _require_run(user: Any, region: Any) -> None:
    if not can_run(user, region):
        raise AssessmentError("只有本区划政务公开协调办指导科可以组织考核和监督检查。")


def assessment_agencies(assessment: Assessment) -> list[Agency]:
    """The agencies scored (seed: "对本市政府各部门及各县（市、区）政府信息公开工作定期进行考评"):
    the departments of the region's government — not the government itself, nor the
    coordination office that runs the assessment — and the governments of the regions
    directly below."""
    from django.db.models import Q

    region = assessment.region
    return list(
        Agency.objects.active()
        .filter(
            Q(region=region, kind__in=[Agency.Kind.DEPARTMENT, Agency.Kind.BRANCH])
            | Q(region__parent=region, kind=Agency.Kind.GOVERNMENT)
        )
        .select_related("region")
        .order_by("region__code", "sort_order", "name")
    )


def assessment_create(
    *,
    region: Any,
    year: int,
    by: Any,
    name: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    indicators: list[dict[str, Any]] | None = None,
) -> Assessment:
    """A new assessment with the default 考评细则 (plus the 互动交流 indicators when that app
    is installed), for the whole year unless a period is given."""
    _require_run(by, region)
    if not 2000 <= year <= 2100:
        raise AssessmentError("年度应在2000至2100之间。")
    start = period_start or dt.date(year, 1, 1)
    end = period_end or dt.date(year, 12, 31)
    if end < start:
        raise AssessmentError("考核期止不能早于考核期起。")
    if indicators is None:
        indicators = list(DEFAULT_INDICATORS)
        if "interpretation_timely" in scoring.available_sources():
            # room for the two 互动交流 indicators (5 + 5): the total stays 100
            cut = {Source.PUBLICATION_TIMELINESS: 5, Source.REPLY_ON_TIME: 5}
            indicators = [
                {**i, "weight": i["weight"] - cut.get(i["source"], 0)} for i in indicators
            ]
            indicators += INTERACTION_INDICATORS
    with transaction.atomic():
        a = Assessment.objects.create(
            name=(name or f"{region.name}{year}年度政府信息公开工作考核").strip()[:100],
            region=region, year=year, period_start=start, period_end=end, created_by=by,
        )  # fmt: skip
        for n, spec in enumerate(indicators, start=1):
            Indicator.objects.create(
                assessment=a, order=n, name=spec["name"], source=str(spec["source"]),
                weight=Decimal(str(spec["weight"])), params=dict(spec.get("params") or {}),
                description=spec.get("description", ""),
            )  # fmt: skip
        audit_log("assessment.assessment.created", obj=a, actor=by, changes={"year": [None, year]})
    return a


def _editable(a: Assessment) -> None:
    if a.status == Assessment.Status.PUBLISHED:
        raise AssessmentError("考核结果已公布，不能再修改；如需更正请先撤回公布。")


def indicator_update(
    *, indicator: Indicator, by: Any, weight: Any, params: dict[str, Any] | None = None,
    name: str | None = None, description: str | None = None,
) -> Indicator:  # fmt: skip
    """Change an indicator's weight (and parameters, name, standard). Scores must be
    recomputed afterwards (the assessment returns to 配置中)."""
    _require_run(by, indicator.assessment.region)
    try:
        weight = Decimal(str(weight))
    except (InvalidOperation, ValueError):
        raise AssessmentError("分值应为数字。") from None
    if not Decimal(0) <= weight <= Decimal(100):
        raise AssessmentError("分值应在0至100之间。")
    with transaction.atomic():
        a = Assessment.objects.select_for_update().get(pk=indicator.assessment_id)
        _editable(a)
        ind = Indicator.objects.select_for_update().get(pk=indicator.pk)
        old = {"weight": ind.weight, "params": ind.params, "name": ind.name}
        ind.weight = weight
        if params is not None:
            ind.params = params
        if name:
            ind.name = name.strip()[:100]
        if description is not None:
            ind.description = description.strip()
        ind.save()
        if a.status == Assessment.Status.SCORED:
            a.status = Assessment.Status.DRAFT
            a.save(update_fields=["status"])
        audit_log(
            "assessment.indicator.updated", obj=ind, actor=by,
            changes=diff(old, {"weight": ind.weight, "params": ind.params, "name": ind.name}),
        )  # fmt: skip
    return ind


def manual_rating_set(
    *, indicator: Indicator, agency: Agency, by: Any, ratio: Any, evidence: str,
    now: dt.datetime | None = None,
) -> ManualRating:  # fmt: skip
    """Enter the value (0–100 %) of a manual indicator for one agency, with evidence."""
    now = now or timezone.now()
    _require_run(by, indicator.assessment.region)
    if indicator.source != Source.MANUAL:
        raise AssessmentError("该指标由系统数据计算，不能人工评分。")
    evidence = (evidence or "").strip()
    if len(evidence) < 4:
        raise AssessmentError("人工评分须填写佐证材料（至少4个字）。")
    try:
        value = Decimal(str(ratio))
    except (InvalidOperation, ValueError):
        raise AssessmentError("得分比例应为0至1之间的数字。") from None
    if not Decimal(0) <= value <= Decimal(1):
        raise AssessmentError("得分比例应为0至1之间的数字。")
    if agency.pk not in {a.pk for a in assessment_agencies(indicator.assessment)}:
        raise AssessmentError("该机构不在本次考核范围内。")
    with transaction.atomic():
        _editable(Assessment.objects.select_for_update().get(pk=indicator.assessment_id))
        rating, _ = ManualRating.objects.update_or_create(
            indicator=indicator, agency=agency,
            defaults={"ratio": value, "evidence": evidence, "rated_by": by, "rated_at": now},
        )  # fmt: skip
        audit_log(
            "assessment.rating.saved", obj=indicator, actor=by, agency_code=agency.code,
            changes={"ratio": [None, str(value)]}, message=evidence[:200],
        )  # fmt: skip
    return rating


def assessment_score(
    *, assessment: Assessment, by: Any, now: dt.datetime | None = None
) -> list[Result]:
    """Score every agency on every indicator and rank them.

    1. Guard: the assessor, not published, weights present.
    2. Delete the previous scores; one ``Score`` per (agency, indicator) with its evidence.
    3. Totals and ranks (equal totals share a rank: 1, 2, 2, 4).
    Safe to run again: the same data gives the same scores."""
    now = now or timezone.now()
    _require_run(by, assessment.region)
    with transaction.atomic():
        a = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _editable(a)
        indicators = list(a.indicators.all())
        if not indicators:
            raise AssessmentError("请先配置考核指标。")
        missing = [i.name for i in indicators if i.source not in scoring.available_sources()]
        if missing:
            raise AssessmentError("以下指标的数据来源在本系统中不可用：" + "、".join(missing))
        agencies = assessment_agencies(a)
        a.scores.all().delete()
        a.results.all().delete()
        totals: dict[int, Decimal] = {}
        for agency in agencies:
            total = Decimal(0)
            for ind in indicators:
                m = scoring.measure(ind, agency, a.period_start, a.period_end)
                points = (ind.weight * m.ratio).quantize(Decimal("0.01"))
                total += points
                Score.objects.create(
                    assessment=a, agency=agency, indicator=ind, ratio=m.ratio, points=points,
                    numerator=m.numerator, denominator=m.denominator, explanation=m.explanation,
                    evidence=m.evidence[: scoring.MAX_EVIDENCE],
                    evidence_truncated=(m.denominator or 0) > len(m.evidence),
                )  # fmt: skip
            totals[agency.pk] = total
        ordered = sorted(
            agencies, key=lambda ag: (-totals[ag.pk], ag.region.code, ag.sort_order, ag.name)
        )
        results, rank, previous = [], 0, None
        for n, agency in enumerate(ordered, start=1):
            if totals[agency.pk] != previous:
                rank, previous = n, totals[agency.pk]
            results.append(
                Result.objects.create(
                    assessment=a, agency=agency, total=totals[agency.pk], rank=rank
                )
            )
        a.status, a.scored_at = Assessment.Status.SCORED, now
        a.save(update_fields=["status", "scored_at"])
        audit_log(
            "assessment.assessment.scored", obj=a, actor=by, now=now,
            message=f"{len(agencies)} 个机构、{len(indicators)} 项指标",
        )  # fmt: skip
    return results


def assessment_publish(
    *, assessment: Assessment, by: Any, publish: bool = True, now: dt.datetime | None = None
) -> Assessment:
    """Show (or stop showing) the ranking on the portal (考核结果公开)."""
    now = now or timezone.now()
    _require_run(by, assessment.region)
    with transaction.atomic():
        a = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if publish:
            if a.status != Assessment.Status.SCORED:
                raise AssessmentError("请先完成评分再公布。")
            a.status, a.published_at = Assessment.Status.PUBLISHED, now
        else:
            if a.status != Assessment.Status.PUBLISHED:
                raise AssessmentError("考核结果尚未公布。")
            a.status, a.published_at = Assessment.Status.SCORED, None
        a.save(update_fields=["status", "published_at"])
        audit_log(
            "assessment.assessment.published" if publish else "assessment.assessment.unpublished",
            obj=a, actor=by, now=now,
        )  # fmt: skip
    return a


# --- inspections ---------------------------------------------------------------------------


def inspection_create(
    *, agency: Agency, by: Any, title: str, inspected_on: dt.date, inspectors: str, summary: str = "",
    today: dt.date | None = None,
) -> Inspection:  # fmt: skip
    """Record a supervision inspection of one agency."""
    today = today or timezone.localdate()
    _require_run(by, agency.region)
    if not (title or "").strip() or not (inspectors or "").strip():
        raise AssessmentError("请填写检查名称和检查人员。")
    if inspected_on > today:
        raise AssessmentError("检查日期不能晚于今天。")
    with transaction.atomic():
        ins = Inspection.objects.create(
            agency=agency, title=title.strip()[:200], inspected_on=inspected_on,
            inspectors=inspectors.strip()[:200], summary=(summary or "").strip(), created_by=by,
        )  # fmt: skip
        audit_log("assessment.inspection.created", obj=ins, actor=by, agency_code=agency.code)
    return ins


def finding_add(
    *, inspection: Inspection, by: Any, description: str, severity: str, evidence: str,
    owner: Any = None, due_on: dt.date | None = None,
) -> Finding:  # fmt: skip
    """A finding with its evidence, and — when an owner and due date are given — the
    rectification task for the agency."""
    _require_run(by, inspection.agency.region)
    description, evidence = (description or "").strip(), (evidence or "").strip()
    if not description or not evidence:
        raise AssessmentError("请填写发现的问题和佐证材料。")
    if severity not in Finding.Severity.values:
        raise AssessmentError("问题性质无效。")
    if (owner is None) != (due_on is None):
        raise AssessmentError("下达整改须同时填写责任人和整改期限。")
    if owner is not None and not owner.roles_in(inspection.agency_id):
        raise AssessmentError(f"整改责任人须为{inspection.agency}的工作人员。")
    if due_on is not None and due_on < inspection.inspected_on:
        raise AssessmentError("整改期限不能早于检查日期。")
    with transaction.atomic():
        f = Finding.objects.create(
            inspection=inspection, description=description, severity=severity, evidence=evidence
        )
        if owner is not None and due_on is not None:
            RectificationTask.objects.create(finding=f, owner=owner, due_on=due_on)
        audit_log(
            "assessment.finding.created", obj=inspection, actor=by,
            agency_code=inspection.agency.code, message=description[:200],
        )  # fmt: skip
    return f


FOLLOW_UP_FLOW = {
    # kind: (allowed current statuses, new status, who: "owner" | "assessor")
    FollowUp.Kind.PROGRESS: ({"open"}, "open", "owner"),
    FollowUp.Kind.SUBMIT: ({"open"}, "submitted", "owner"),
    FollowUp.Kind.REOPEN: ({"submitted"}, "open", "assessor"),
    FollowUp.Kind.CLOSE: ({"submitted", "open"}, "closed", "assessor"),
}


def task_follow_up(
    *, task: RectificationTask, by: Any, kind: str, note: str, on: dt.date | None = None
) -> RectificationTask:
    """One follow-up step: the agency reports progress or submits its rectification; the
    guidance section reopens it or closes it (销号)."""
    on = on or timezone.localdate()
    note = (note or "").strip()
    if kind not in FOLLOW_UP_FLOW:
        raise AssessmentError("跟踪类型无效。")
    if not note:
        raise AssessmentError("请填写说明。")
    allowed, new_status, who = FOLLOW_UP_FLOW[FollowUp.Kind(kind)]
    with transaction.atomic():
        t = (
            RectificationTask.objects.select_for_update()
            .select_related("finding__inspection__agency")
            .get(pk=task.pk)
        )
        agency = t.finding.inspection.agency
        if who == "owner" and not (by.pk == t.owner_id or can_update_task(by, agency)):
            raise AssessmentError("只有整改责任人或本机关负责人可以报送整改情况。")
        if who == "assessor" and not can_run(by, agency.region):
            raise AssessmentError("只有指导科可以核查销号。")
        if t.status not in allowed:
            raise AssessmentError(
                f"当前状态（{t.get_status_display()}）下不能{FollowUp.Kind(kind).label}。"
            )
        old = t.status
        t.status = new_status
        t.closed_on = on if new_status == "closed" else None
        t.save(update_fields=["status", "closed_on"])
        FollowUp.objects.create(task=t, kind=kind, note=note, by=by, on=on)
        audit_log(
            f"assessment.rectification.{kind}", obj=t, actor=by, agency_code=agency.code,
            changes={"status": [old, new_status]}, message=note[:200],
        )  # fmt: skip
    return t


# --- work plan -----------------------------------------------------------------------------


def workplan_create(
    *, region: Any, year: int, title: str, by: Any, summary: str = "",
    tasks: list[dict[str, Any]] | None = None,
) -> WorkPlan:  # fmt: skip
    """The year's 工作要点 with its key tasks (number, section, title, owner agency, due)."""
    _require_run(by, region)
    if WorkPlan.objects.filter(region=region, year=year).exists():
        raise AssessmentError(f"{region.name}{year}年的工作要点已存在。")
    with transaction.atomic():
        plan = WorkPlan.objects.create(
            region=region, year=year, title=title.strip()[:200], summary=summary, created_by=by
        )
        for n, spec in enumerate(tasks or [], start=1):
            WorkTask.objects.create(
                plan=plan, number=n, section=spec.get("section", ""), title=spec["title"],
                description=spec.get("description", ""), owner_agency=spec["owner_agency"],
                owner=spec.get("owner"), due_on=spec.get("due_on"),
            )  # fmt: skip
        audit_log("assessment.workplan.created", obj=plan, actor=by, changes={"year": [None, year]})
    return plan


def worktask_progress(
    *, task: WorkTask, by: Any, progress: int, note: str, on: dt.date | None = None
) -> WorkTask:
    """Report a task's progress (its owner, the owner agency's heads, or the guidance section)."""
    on = on or timezone.localdate()
    note = (note or "").strip()
    if not note:
        raise AssessmentError("请填写进展情况。")
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise AssessmentError("进度应为0至100之间的整数。")
    with transaction.atomic():
        t = (
            WorkTask.objects.select_for_update()
            .select_related("plan__region", "owner_agency")
            .get(pk=task.pk)
        )
        if not (
            by.pk == t.owner_id or can_update_task(by, t.owner_agency) or can_run(by, t.plan.region)
        ):
            raise AssessmentError("只有任务责任人、牵头单位负责人或指导科可以报送进展。")
        old = t.progress
        t.progress = progress
        t.save(update_fields=["progress"])
        TaskProgress.objects.create(task=t, progress=progress, note=note, by=by, on=on)
        audit_log(
            "assessment.worktask.progressed", obj=t, actor=by, agency_code=t.owner_agency.code,
            changes={"progress": [old, progress]}, message=note[:200],
        )  # fmt: skip
    return t
