"""The data sources of the indicators: each turns (agency, period, params) into a ``Measure`` —
the ratio of the indicator's points earned, the counts, a Chinese explanation and the evidence
(every item, application, guide, case or finding behind the number).

Ratio rules (``params`` override the defaults, per indicator):
* rates (``publication_timeliness``, ``index_completeness``, ``reply_on_time``,
  ``interpretation_timely``, ``message_on_time``): conforming / all; nothing to count in the
  period → ``params["empty"]`` (default 1: nothing was late);
* deductions (``overdue_replies``, ``remedies_corrected``, ``inspection_findings``):
  1 − Σ penalties, not below 0;
* ``guide_freshness``: 1 when the guide current at the period's end is at most
  ``max_age_days`` (default 365) old, else 0;
* ``manual``: the ``ManualRating`` entered with its evidence, 0 when none was entered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

MAX_EVIDENCE = 300  # evidence rows kept per score (the counts always cover everything)


@dataclass
class Measure:
    ratio: Decimal
    explanation: str
    numerator: int | None = None
    denominator: int | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)


def _q(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _url(name: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end, dt.time.max, tzinfo=tz),
    )


def _rate(ok: int, total: int, params: dict[str, Any], what: str) -> tuple[Decimal, str]:
    if total == 0:
        empty = _q(params.get("empty", 1))
        return empty, f"考核期内没有{what}，按 {empty:.0%} 计。"
    return _q(ok / total), f"{what}共 {total} 件，符合 {ok} 件，比例 {ok / total:.1%}。"


def _deduct(penalties: list[Decimal], what: str) -> tuple[Decimal, str]:
    total = sum(penalties, Decimal(0))
    ratio = max(Decimal(0), Decimal(1) - total)
    if not penalties:
        return Decimal(1), f"考核期内没有{what}，不扣分。"
    return _q(ratio), f"{what}共 {len(penalties)} 项，合计扣减 {min(total, Decimal(1)):.0%}。"


# --- the sources -----------------------------------------------------------------------------


def publication_timeliness(agency: Any, start: dt.date, end: dt.date, params: dict) -> Measure:
    from gongkai.publishing.models import PUBLISH_LIMIT_WORKDAYS, CatalogItem

    lo, hi = _bounds(start, end)
    items = (
        CatalogItem.objects.filter(agency=agency, published_at__range=(lo, hi))
        .exclude(publish_workdays__isnull=True)
        .only("id", "title", "index_number", "formed_on", "published_at", "publish_workdays")
        .order_by("-publish_workdays", "id")
    )
    limit = int(params.get("limit_workdays", PUBLISH_LIMIT_WORKDAYS))
    total = items.count()
    late = items.filter(publish_workdays__gt=limit)
    late_n = late.count()
    ratio, text = _rate(total - late_n, total, params, "考核期内发布且有生成日期的信息")
    evidence = [
        {"kind": "item", "id": i.pk, "label": f"{i.index_number or '（未编号）'} {i.title}",
         "ok": i.publish_workdays <= limit, "url": _url("publishing:item", pk=i.pk),
         "note": f"生成 {i.formed_on}，发布 {timezone.localtime(i.published_at).date()}，"
                 f"用时 {i.publish_workdays} 个工作日"}
        for i in items[:MAX_EVIDENCE]
    ]  # fmt: skip
    return Measure(
        ratio, text + f"超过{limit}个工作日发布 {late_n} 件。", total - late_n, total, evidence
    )


def index_completeness(agency: Any, start: dt.date, end: dt.date, params: dict) -> Measure:
    from gongkai.publishing.models import CatalogItem

    lo, hi = _bounds(start, end)
    items = CatalogItem.objects.filter(
        agency=agency, published_at__range=(lo, hi), status="published"
    ).only("id", "title", "index_number")
    total = items.count()
    missing = items.filter(index_number="")
    ratio, text = _rate(total - missing.count(), total, params, "考核期内发布的信息")
    evidence = [
        {"kind": "item", "id": i.pk, "label": i.title, "ok": False,
         "url": _url("publishing:item", pk=i.pk), "note": "缺少索引号"}
        for i in missing.order_by("id")[:MAX_EVIDENCE]
    ]  # fmt: skip
    return Measure(ratio, text, total - missing.count(), total, evidence)


def _applications(agency: Any) -> Any:
    from gongkai.applications.models import Application

    return Application.objects.filter(agency=agency, received_on__isnull=False).only(
        "id", "number", "received_on", "due_on", "replied_on", "status"
    )


def reply_on_time(agency: Any, start: dt.date, end: dt.date, params: dict) -> Measure:
    apps_ = (
        _applications(agency)
        .filter(replied_on__range=(start, end), due_on__isnull=False)
        .order_by("replied_on", "id")
    )
    rows = list(apps_)
    ok = [a for a in rows if a.replied_on <= a.due_on]
    ratio, text = _rate(len(ok), len(rows), params, "考核期内答复的政府信息公开申请")
    evidence = [
        {"kind": "application", "id": a.pk, "label": a.number, "ok": a.replied_on <= a.due_on,
         "url": _url("applications:detail", pk=a.pk),
         "note": f"收到 {a.received_on}，期限 {a.due_on}，答复 {a.replied_on}"}
        for a in rows[:MAX_EVIDENCE]
    ]  # fmt: skip
    return Measure(ratio, text, len(ok), len(rows), evidence)


def overdue_replies(agency: Any, start: dt.date, end: dt.date, params: dict) -> Measure:
    penalty = _q(params.get("penalty", "0.2"))
    late = (
        _applications(agency)
        .filter(due_on__isnull=False)
        .filter(
            Q(replied_on__range=(start, end), replied_on__gt=models_f("due_on"))
            | Q(replied_on__isnull=True, due_on__range=(start, end), due_on__lt=end)
        )
    )
    rows = list(late.order_by("due_on", "id"))
    ratio, text = _deduct(
        [penalty] * len(rows), f"逾期答复或逾期未答复的申请（每件扣 {penalty:.0%}）"
    )
    evidence = [
        {"kind": "application", "id": a.pk, "label": a.number, "ok": False,
         "url": _url("applications:detail", pk=a.pk),
         "note": f"期限 {a.due_on}，" + (f"{a.replied_on} 才答复" if a.replied_on else "期末仍未答复")}
        for a in rows[:MAX_EVIDENCE]
    ]  # fmt: skip
    return Measure(ratio, text, None, len(rows), evidence)


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


def guide_freshness(agency: Any, start: dt.date, end: dt.date, params: dict) -> Measure:
    from gongkai.publishing.models import Guide

    max_age = int(params.get("max_age_days", 365))
    _lo, hi = _bounds(start, end)
    guide = Guide.objects.filter(agency=agency, created_at__lte=hi).order_by("-version").first()
    if guide is None:
        return Measure(Decimal(0), "考核期末没有公开指南。", 0, 1, [])
    age = (end - timezone.localtime(guide.created_at).date()).days
    ok = age <= max_age
    evidence = [
        {"kind": "guide", "id": guide.pk, "label": f"公开指南第{guide.version}版", "ok": ok,
         "url": _url("publishing:guide", pk=guide.pk),
         "note": f"更新于 {timezone.localtime(guide.created_at).date()}，至期末 {age} 天"}
    ]  # fmt: skip
    text = f"期末现行指南第{guide.version}版，已 {age} 天未更新（上限 {max_age} 天）。"
    return Measure(Decimal(1) if ok else Decimal(0), text, int(ok), 1, evidence)


def remedies_corrected(agency: Any, start: dt.date, end: dt.date, params: dict) -> Measure:
    from gongkai.remedies.models import RemedyCase

    penalty = _q(params.get("penalty", "0.5"))
    cases = list(
        RemedyCase.objects.filter(
            agency=agency, outcome="corrected", concluded_on__range=(start, end)
        )
        .only("id", "kind", "case_number", "concluded_on")
        .order_by("concluded_on", "id")
    )
    ratio, text = _deduct(
        [penalty] * len(cases), f"被复议机关或法院纠错的案件（每件扣 {penalty:.0%}）"
    )
    evidence = [
        {"kind": "remedy", "id": c.pk, "label": f"{c.get_kind_display()} {c.case_number}".strip(),
         "ok": False, "url": _url("remedies:case", pk=c.pk), "note": f"{c.concluded_on} 结果纠正"}
        for c in cases
    ]  # fmt: skip
    return Measure(ratio, text, None, len(cases), evidence)


def inspection_findings(agency: Any, start: dt.date, end: dt.date, params: dict) -> Measure:
    from gongkai.assessment.models import Finding

    major, minor = _q(params.get("major", "0.3")), _q(params.get("minor", "0.1"))
    findings = list(
        Finding.objects.filter(
            inspection__agency=agency, inspection__inspected_on__range=(start, end)
        )
        .select_related("inspection", "task")
        .order_by("inspection__inspected_on", "id")
    )
    penalties, evidence = [], []
    for f in findings:
        p = major if f.severity == "major" else minor
        task = getattr(f, "task", None)
        rectified = task is not None and task.closed_in_time
        if rectified:
            p = _q(p / 2)  # corrected within the deadline: half the deduction
        penalties.append(p)
        status = (
            "按期整改销号" if rectified else (task.get_status_display() if task else "未下达整改")
        )
        evidence.append(
            {"kind": "finding", "id": f.pk, "label": f"{f.inspection.title}：{f.description[:60]}",
             "ok": rectified, "url": _url("assessment:inspection", pk=f.inspection_id),
             "note": f"{f.get_severity_display()}，{status}，扣 {p:.0%}；佐证：{f.evidence[:100]}"}
        )  # fmt: skip
    ratio, text = _deduct(penalties, "监督检查发现的问题")
    return Measure(ratio, text, None, len(findings), evidence)


def interpretation_timely(agency: Any, start: dt.date, end: dt.date, params: dict) -> Measure:
    from gongkai.workdays.calendar import CalendarMissingError, workdays_between

    Interpretation = apps.get_model("interaction", "Interpretation")
    limit = int(params.get("limit_workdays", 3))
    lo, hi = _bounds(start, end)
    rows = list(
        Interpretation.objects.filter(
            agency=agency, status="published", published_at__range=(lo, hi)
        )
        .prefetch_related("items")
        .order_by("published_at", "id")
    )
    ok, evidence, counted = 0, [], 0
    for r in rows:
        docs = [i for i in r.items.all() if i.published_at]
        if not docs:
            continue
        first = min(timezone.localtime(i.published_at).date() for i in docs)
        try:
            days = workdays_between(first, timezone.localtime(r.published_at).date())
        except CalendarMissingError:
            continue
        counted += 1
        good = days <= limit
        ok += int(good)
        evidence.append(
            {"kind": "interpretation", "id": r.pk, "label": r.title, "ok": good, "url": "",
             "note": f"文件发布 {first}，解读发布 {timezone.localtime(r.published_at).date()}，{days} 个工作日"}
        )  # fmt: skip
    ratio, text = _rate(ok, counted, params, f"考核期内发布且关联了文件的解读（{limit}个工作日内）")
    return Measure(ratio, text, ok, counted, evidence[:MAX_EVIDENCE])


def message_on_time(agency: Any, start: dt.date, end: dt.date, params: dict) -> Measure:
    Question = apps.get_model("interaction", "Question")
    rows = list(
        Question.objects.filter(
            agency=agency, answered_on__range=(start, end), due_on__isnull=False
        )
        .only("id", "number", "received_on", "due_on", "answered_on")
        .order_by("answered_on", "id")
    )
    ok = [q for q in rows if q.answered_on <= q.due_on]
    ratio, text = _rate(len(ok), len(rows), params, "考核期内答复的留言")
    evidence = [
        {"kind": "question", "id": q.pk, "label": q.number, "ok": q.answered_on <= q.due_on, "url": "",
         "note": f"受理 {q.received_on}，期限 {q.due_on}，答复 {q.answered_on}"}
        for q in rows[:MAX_EVIDENCE]
    ]  # fmt: skip
    return Measure(ratio, text, len(ok), len(rows), evidence)


def manual(
    agency: Any, start: dt.date, end: dt.date, params: dict, indicator: Any = None
) -> Measure:
    rating = indicator.ratings.filter(agency=agency).select_related("rated_by").first()
    if rating is None:
        return Measure(Decimal(0), "尚未录入人工评分，按 0 计。", None, None, [])
    evidence = [
        {"kind": "rating", "id": rating.pk, "label": "人工评分", "ok": rating.ratio >= 1, "url": "",
         "note": f"{rating.rated_by} 于 {timezone.localtime(rating.rated_at).date()} 评定 {rating.ratio:.0%}；佐证：{rating.evidence}"}
    ]  # fmt: skip
    return Measure(_q(rating.ratio), f"人工评分 {rating.ratio:.0%}。", None, None, evidence)


SOURCES: dict[str, Callable[..., Measure]] = {
    "publication_timeliness": publication_timeliness,
    "index_completeness": index_completeness,
    "reply_on_time": reply_on_time,
    "overdue_replies": overdue_replies,
    "guide_freshness": guide_freshness,
    "remedies_corrected": remedies_corrected,
    "inspection_findings": inspection_findings,
    "interpretation_timely": interpretation_timely,
    "message_on_time": message_on_time,
    "manual": manual,
}
NEEDS_INTERACTION = {"interpretation_timely", "message_on_time"}


def available_sources() -> list[str]:
    """The sources this installation can compute (互动交流 ones need the interaction app)."""
    have = apps.is_installed("gongkai.interaction")
    return [s for s in SOURCES if have or s not in NEEDS_INTERACTION]


def measure(indicator: Any, agency: Any, start: dt.date, end: dt.date) -> Measure:
    fn = SOURCES[indicator.source]
    params = indicator.params or {}
    if indicator.source == "manual":
        return fn(agency, start, end, params, indicator=indicator)
    return fn(agency, start, end, params)
