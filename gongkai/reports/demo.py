"""Demo data of the reports app, and the full 2012 year of 通化市 (``load_demo --full``).

Quick mode: draft reports (2021 format) for 民政局 and for the city, computed live.

Full mode tops the database up to the scale of the seed report (2012年通化市政府信息公开工作
年度报告) so that the 2012-style report of region 220500 shows its figures. It runs last in
``load_demo`` and works by *targets*: it counts what the other demo modules already created
for 2012 and bulk-creates only the difference, so it is idempotent (a second run creates
nothing) and never double counts.

Where the seed contradicts itself the totals win (docs/annual-report-json.md):
* 县（市、区） items: the seed prints 8,831 and 29.3 %; the levels must add up to 221,395, so
  the county level gets 221,395 − 113,836 − 42,509 = 65,050 (29.4 %).
* Channels: 23 + 758 + 15 ≠ 781; letters 23 and in-person 758 make the total, so online = 0.
``validate_report`` on gongkai/reports/data/tonghua-2012.json names every such contradiction.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

SEED_YEAR = 2012
# what the data must yield (the seed's figures, contradictions resolved as documented above)
TARGET_ITEMS_BY_LEVEL = {"city": 113836, "county": 65050, "township": 42509}
TARGET_ITEMS_BY_CLASS = {
    "policy": 9552,
    "plan": 20633,
    "public_interest": 47200,
    "public_funds": 5199,
    "personnel": 1956,
    "other": 136855,
}
TARGET_ITEMS_TOTAL = 221395
TARGET_ITEMS_CUMULATIVE = 311924
TARGET_TIMELY_WEB = 179430
TARGET_CHANNELS = {"letter": 23, "in_person": 758}  # 网上申请 0: see the module docstring
TARGET_OUTCOMES = {"disclose": 776, "partial": 5}
TARGET_FEES = Decimal("1800")
TARGET_POINTS, TARGET_POINTS_ELECTRONIC = 350, 104
TARGET_DELIVERED = {"paper": 17704, "electronic": 57863}
TARGET_DELIVERED_TIMELY = 38910
TARGET_VISITORS, TARGET_BORROWINGS = 243657, 3415
# kind: (sessions, quantity, title)
TARGET_ACTIVITIES = {
    "press": (38, 123, "新闻发布会"),
    "gazette": (12, 300, "《通化市人民政府公报》"),
    "training": (46, 859, "政府信息公开业务培训"),
    "inspection": (3, 0, "政府信息公开工作监督检查"),
    "maintenance": (3, 0, "《通化市人民政府信息公开》平台维护升级"),
    "visits": (8, 2131197, "政务公开专栏访问量"),
}
APPLICATION_AGENCIES = ["th-wsj", "th-slj", "th-nyj", "th-ypj", "th-mzj"]

NARRATIVE_2012 = {
    "一、基本工作情况": (
        "（一）建立健全领导体制和工作机构。2012年重新调整了通化市政务公开领导小组，由市委常委、"
        "常务副市长任组长，政府办、监察局、人社局等13个部门的“一把手”为成员，明确了政务公开领导"
        "小组成员单位43项具体工作职责。全市共有{从事政府信息公开工作人数}人从事该项工作，专职人员"
        "{专职人员}人，兼职人员{兼职人员}人。\n"
        "（二）科学编制政府信息公开指南和公开目录。制定了《2012年全市政务公开工作要点》，明确了6项"
        "重点工作任务；贯彻落实了主动公开、依申请公开、保密审查、发布协调、信息清理、澄清虚假或不"
        "完整信息、考核等7项配套制度。2012年共举办各类培训{培训次数}次，共计{培训人数}名同志参加"
        "了培训。先后{平台维护升级次数}次对《通化市人民政府信息公开》进行维护和升级，目前已经有44个"
        "部门、单位领取了录入电子证书。组织各地各部门围绕15项重点内容实施了政府信息公开指南和公开"
        "目录编制工作。\n"
        "（三）贯彻落实政府信息公开配套制度。\n"
        "（四）积极做好跟踪指导和监督检查。先后{监督检查次数}次对各县（市、区）及市政府各部门政府"
        "信息公开工作进行了具体指导和网络监督检查。"
    ),
    "附：下一年度工作要点": (
        "一、扎实推进行政权力公开透明运行。二、着力推进重点领域信息公开。三、进一步加强政务服务"
        "体系建设。四、进一步加强政务公开工作监督与管理。"
    ),
}


def _say(out: Any, text: str) -> None:
    if out is not None:
        out.write(text + "\n")
        if hasattr(out, "flush"):
            out.flush()


def split(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` near-equal non-negative integers that add up exactly."""
    if parts <= 0:
        return []
    base, rest = divmod(max(total, 0), parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def class_matrix(levels: dict[str, int], classes: dict[str, int]) -> dict[tuple[str, str], int]:
    """Counts per (level, class) with the given row and column totals (proportional, exact)."""
    total = sum(levels.values())
    assert total == sum(classes.values())
    level_keys, class_keys = list(levels), list(classes)
    m: dict[tuple[str, str], int] = {}
    for c in class_keys[:-1]:
        for lv in level_keys[:-1]:
            m[(lv, c)] = round(levels[lv] * classes[c] / total)
        m[(level_keys[-1], c)] = classes[c] - sum(m[(lv, c)] for lv in level_keys[:-1])
    for lv in level_keys:
        m[(lv, class_keys[-1])] = levels[lv] - sum(m[(lv, c)] for c in class_keys[:-1])
    assert all(v >= 0 for v in m.values())
    return m


def _aware(d: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(hour), tzinfo=timezone.get_default_timezone())


def _days_of(year: int) -> list[dt.date]:
    """Working days of ``year`` (the calendar's; plain weekdays if the year has no data)."""
    from gongkai.workdays.calendar import CalendarMissingError, is_workday

    days = []
    d = dt.date(year, 1, 1)
    while d.year == year:
        try:
            ok = is_workday(d)
        except CalendarMissingError:
            ok = d.weekday() < 5
        if ok:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def _reserve(scope: str, agency: Any, period: str, n: int) -> int:
    """Reserve ``n`` consecutive numbers of a gap-free counter in one round trip; returns the first."""
    from gongkai.numbering.services import counter_next_block

    return counter_next_block(scope=scope, period=period, agency=agency, count=n)


# --- catalog ---------------------------------------------------------------------------------
def _load_items(out: Any) -> int:
    from gongkai.agencies.models import Agency
    from gongkai.publishing.models import CatalogItem

    tz = timezone.get_default_timezone()
    y0 = dt.datetime(SEED_YEAR, 1, 1, tzinfo=tz)
    y1 = dt.datetime(SEED_YEAR + 1, 1, 1, tzinfo=tz)
    base = CatalogItem.objects.filter(
        status="published", withdrawn_at__isnull=True, disclosure_mode="proactive",
        agency__region__code__startswith="2205",
    )  # fmt: skip
    existing = {
        (r["agency__level"], r["content_class"]): r["n"]
        for r in base.filter(published_at__gte=y0, published_at__lt=y1)
        .values("agency__level", "content_class")
        .annotate(n=Count("pk"))
    }
    existing_timely = base.filter(
        published_at__gte=y0, published_at__lt=y1, publish_workdays__lte=20
    ).count()
    existing_before = base.filter(published_at__lt=y0).count()
    matrix = class_matrix(TARGET_ITEMS_BY_LEVEL, TARGET_ITEMS_BY_CLASS)
    plan: list[tuple[str, str, int]] = []
    for (level, cclass), target in matrix.items():
        missing = target - existing.get((level, cclass), 0)
        if missing < 0:
            _say(out, f"  注意：{level}/{cclass} 已有数据超过种子数字{-missing}条。")
        elif missing:
            plan.append((level, cclass, missing))
    before_missing = TARGET_ITEMS_CUMULATIVE - TARGET_ITEMS_TOTAL - existing_before
    timely_left = max(TARGET_TIMELY_WEB - existing_timely, 0)
    agencies = {
        level: list(
            Agency.objects.filter(level=level, region__code__startswith="2205", is_active=True)
            .exclude(kind="office")
            .order_by("pk")
        )
        for level in TARGET_ITEMS_BY_LEVEL
    }
    days = _days_of(SEED_YEAR)
    from gongkai.lib.taxonomy import ContentClass

    class_names = dict(ContentClass.choices)
    created = 0
    batch: list[Any] = []
    started = time.monotonic()
    total_planned = sum(n for _l, _c, n in plan) + max(before_missing, 0)
    # rows to create: (agency, published day, class, timely?)
    rows: list[tuple[Any, dt.date, str, bool]] = []
    for level, cclass, n in plan:
        pool = agencies[level]
        for i in range(n):
            timely = timely_left > 0
            timely_left -= 1 if timely else 0
            rows.append((pool[i % len(pool)], days[(i * 7919) % len(days)], cclass, timely))
    if before_missing > 0:
        pool = [a for lv in ("city", "county", "township") for a in agencies[lv]]
        earlier = [d for y in range(2008, SEED_YEAR) for d in _days_of(y)]
        classes = list(TARGET_ITEMS_BY_CLASS)
        for i in range(before_missing):
            rows.append(
                (pool[i % len(pool)], earlier[(i * 7919) % len(earlier)], classes[i % 6], True)
            )
    # 索引号: one block of serials per agency and year
    counts: dict[tuple[int, int], int] = {}
    for agency, day, _c, _t in rows:
        counts[(agency.pk, day.year)] = counts.get((agency.pk, day.year), 0) + 1
    with transaction.atomic():
        next_serial = {
            key: _reserve("catalog_index", Agency(pk=key[0]), str(key[1]), n)
            for key, n in counts.items()
        }
        by_pk = {a.pk: a for lv in agencies.values() for a in lv}
        for agency, day, cclass, timely in rows:
            serial = next_serial[(agency.pk, day.year)]
            next_serial[(agency.pk, day.year)] = serial + 1
            workdays = 3 + serial % 15 if timely else 21 + serial % 20
            formed = day - dt.timedelta(days=workdays * 7 // 5 + 1)
            batch.append(
                CatalogItem(
                    agency=agency,
                    title=f"{by_pk[agency.pk].name}{class_names[cclass]}类信息（{day:%Y年%m月%d日}第{serial}号）",
                    summary="演示数据：按2012年度报告的规模生成。",
                    formed_on=formed,
                    content_class=cclass,
                    genre="notice",
                    status="published",
                    published_at=_aware(day),
                    publish_workdays=workdays,
                    index_number=f"{agency.identifier_code}/{day.year}-{serial:05d}",
                    imported=True,
                    created_at=_aware(day, 9),
                    updated_at=_aware(day, 10),
                )
            )
            if len(batch) >= 5000:
                CatalogItem.objects.bulk_create(batch)
                created += len(batch)
                batch = []
                if created % 20000 == 0:
                    rate = created / max(time.monotonic() - started, 0.001)
                    _say(out, f"  公开目录：{created}/{total_planned} 条（{rate:.0f} 条/秒）")
        if batch:
            CatalogItem.objects.bulk_create(batch)
            created += len(batch)
    _say(out, f"  公开目录：新增 {created} 条")
    return created


# --- applications, remedies --------------------------------------------------------------------
def _load_applications(out: Any) -> int:
    from gongkai.agencies.models import Agency
    from gongkai.applications.models import Application

    start, end = dt.date(SEED_YEAR, 1, 1), dt.date(SEED_YEAR, 12, 31)
    qs = Application.objects.filter(
        agency__region__code__startswith="2205", received_on__gte=start, received_on__lte=end
    )
    by_channel = {r["channel"]: r["n"] for r in qs.values("channel").annotate(n=Count("pk"))}
    by_outcome = {r["outcome"]: r["n"] for r in qs.values("outcome").annotate(n=Count("pk"))}
    stray = {k: n for k, n in by_outcome.items() if k not in TARGET_OUTCOMES}
    stray_ch = {k: n for k, n in by_channel.items() if k not in TARGET_CHANNELS}
    if stray or stray_ch:
        _say(out, f"  注意：已有2012年申请的办理结果或方式不在种子数字之内：{stray | stray_ch}")
    fees = qs.aggregate(s=Sum("fee_amount"))["s"] or Decimal(0)
    agencies = list(Agency.objects.filter(code__in=APPLICATION_AGENCIES).order_by("code"))
    if not agencies:
        return 0
    days = [d for d in _days_of(SEED_YEAR) if d <= dt.date(SEED_YEAR, 12, 14)]
    channels = [
        c for c, t in TARGET_CHANNELS.items() for _ in range(max(t - by_channel.get(c, 0), 0))
    ]
    outcomes = [
        o for o, t in TARGET_OUTCOMES.items() for _ in range(max(t - by_outcome.get(o, 0), 0))
    ]
    # partial replies first: if a foreign 2012 row makes one too many, a disclosure goes
    outcomes.sort(
        key=lambda o: o != "partial"
    )  # if one must go (foreign 2012 rows), keep 5 partial
    rows = list(zip(channels, outcomes, strict=False))
    fee_rows = int((TARGET_FEES - fees) // 50) if fees < TARGET_FEES else 0
    counts: dict[int, int] = {}
    for i, _r in enumerate(rows):
        counts[agencies[i % len(agencies)].pk] = counts.get(agencies[i % len(agencies)].pk, 0) + 1
    objs = []
    with transaction.atomic():
        serials = {
            pk: _reserve("application", Agency(pk=pk), str(SEED_YEAR), n)
            for pk, n in counts.items()
        }
        for i, (channel, outcome) in enumerate(rows):
            agency = agencies[i % len(agencies)]
            serial = serials[agency.pk]
            serials[agency.pk] += 1
            received = days[(i * 37) % len(days)]
            replied = received + dt.timedelta(days=5 + i % 7)
            objs.append(
                Application(
                    agency=agency,
                    year=SEED_YEAR,
                    serial=serial,
                    number=f"{agency.code.upper()}-{SEED_YEAR}-{serial:05d}",
                    channel=channel,
                    applicant_type="natural",
                    era="2008",
                    applicant_name=f"申请人{i + 1:03d}",
                    description="（演示）申请公开惠农补贴政策等信息",
                    submitted_at=_aware(received, 9),
                    received_on=received,
                    status="closed",
                    outcome=outcome,
                    replied_on=replied,
                    served_on=replied,
                    closed_on=replied,
                    fee_amount=Decimal(50) if i < fee_rows else Decimal(0),
                )  # fmt: skip
            )
        Application.objects.bulk_create(objs)
    _say(out, f"  依申请公开：新增 {len(objs)} 件")
    return len(objs)


def _load_remedies(out: Any) -> int:
    from gongkai.agencies.models import Agency
    from gongkai.remedies.models import RemedyCase

    qs = RemedyCase.objects.filter(
        agency__region__code__startswith="2205", kind="review", filed_on__year=SEED_YEAR
    )
    if qs.exists():
        return 0
    agency = Agency.objects.filter(code="th-wsj").first() or Agency.objects.first()
    if agency is None:
        return 0
    RemedyCase.objects.create(
        agency=agency, kind="review", case_number="通政复〔2012〕1号", applicant_name="（演示）申请人",
        filed_on=dt.date(SEED_YEAR, 8, 6), outcome="upheld", concluded_on=dt.date(SEED_YEAR, 9, 28),
        summary="申请人对卫生收费信息公开答复不服申请行政复议，复议机关维持原行为。",
    )  # fmt: skip
    _say(out, "  行政复议：新增 1 件")
    return 1


# --- outreach --------------------------------------------------------------------------------
def _load_outreach(out: Any) -> int:
    from gongkai.agencies.models import Agency
    from gongkai.outreach.models import Activity, Delivery, ReadingPoint, VisitLog
    from gongkai.workdays.calendar import CalendarMissingError, add_workdays

    tz = timezone.get_default_timezone()
    y0, y1 = dt.date(SEED_YEAR, 1, 1), dt.date(SEED_YEAR, 12, 31)
    end_dt = dt.datetime(SEED_YEAR + 1, 1, 1, tzinfo=tz)
    region = Q(agency__region__code__startswith="2205")
    points = ReadingPoint.objects.filter(region, created_at__lt=end_dt, is_active=True)
    have = points.aggregate(n=Count("pk"), e=Count("pk", filter=Q(electronic=True)))
    created = 0
    hosts = list(
        Agency.objects.filter(region__code__startswith="2205", kind="government").order_by("pk")
    ) or list(Agency.objects.filter(region__code__startswith="2205"))
    kinds = ["service", "library", "archive", "other"]
    new_points = []
    need_e = max(TARGET_POINTS_ELECTRONIC - have["e"], 0)
    for i in range(max(TARGET_POINTS - have["n"], 0)):
        host = hosts[i % len(hosts)]
        new_points.append(
            ReadingPoint(
                agency=host,
                name=f"{host.name}公共查阅点{i // len(hosts) + 1}",
                kind=kinds[i % 4],
                electronic=i < need_e,
                address=f"{host.office_address or '吉林省通化市'}（查阅点{i + 1}）",
                hours="工作日 8:30—16:30",
                created_at=dt.datetime(2011, 6, 1, tzinfo=tz),
            )  # fmt: skip
        )
    with transaction.atomic():
        ReadingPoint.objects.bulk_create(new_points, ignore_conflicts=True)
        created += len(new_points)
        pts = list(points.order_by("pk"))
        # deliveries: quantities per medium, timely (≤30 working days) first
        dq = Delivery.objects.filter(
            reading_point__in=pts, delivered_on__gte=y0, delivered_on__lte=y1
        ).aggregate(
            paper=Sum("quantity", filter=Q(medium="paper")),
            electronic=Sum("quantity", filter=Q(medium="electronic")),
            timely=Sum("quantity", filter=Q(workdays_taken__lte=30)),
        )
        need = {m: max(t - (dq[m] or 0), 0) for m, t in TARGET_DELIVERED.items()}
        timely_left = max(TARGET_DELIVERED_TIMELY - (dq["timely"] or 0), 0)
        deliveries = []
        for medium in ("electronic", "paper"):
            timely = min(need[medium], timely_left)
            timely_left -= timely
            for is_timely, amount in ((True, timely), (False, need[medium] - timely)):
                for j, qty in enumerate(split(amount, len(pts))):
                    if not qty:
                        continue
                    formed = dt.date(SEED_YEAR, 1 + j % 10, 2 + j % 20)
                    try:
                        delivered = add_workdays(formed, 12 if is_timely else 45)
                        taken = 12 if is_timely else 45
                    except CalendarMissingError:
                        delivered = formed + dt.timedelta(days=17 if is_timely else 63)
                        taken = None
                    deliveries.append(
                        Delivery(
                            reading_point=pts[j],
                            title=f"{SEED_YEAR}年第{j % 10 + 1}批政府信息",
                            medium=medium,
                            quantity=qty,
                            formed_on=formed,
                            delivered_on=delivered,
                            workdays_taken=taken,
                        )  # fmt: skip
                    )
        Delivery.objects.bulk_create(deliveries, batch_size=2000)
        created += len(deliveries)
        vq = VisitLog.objects.filter(
            reading_point__in=pts, logged_on__gte=y0, logged_on__lte=y1
        ).aggregate(v=Sum("visitors"), b=Sum("borrowings"))
        visitors = split(max(TARGET_VISITORS - (vq["v"] or 0), 0), len(pts) * 12)
        borrowings = split(max(TARGET_BORROWINGS - (vq["b"] or 0), 0), len(pts) * 12)
        logs = [
            VisitLog(
                reading_point=pts[k // 12],
                logged_on=dt.date(SEED_YEAR, k % 12 + 1, 28),
                visitors=visitors[k],
                borrowings=borrowings[k],
                note="月度合计",
            )  # fmt: skip
            for k in range(len(pts) * 12)
            if visitors[k] or borrowings[k]
        ]
        VisitLog.objects.bulk_create(logs, batch_size=2000)
        created += len(logs)
        office = Agency.objects.filter(code="th-gkb").first() or hosts[0]
        acts = []
        for kind, (sessions, quantity, title) in TARGET_ACTIVITIES.items():
            have_a = Activity.objects.filter(
                region, kind=kind, held_on__gte=y0, held_on__lte=y1
            ).aggregate(s=Sum("sessions"), q=Sum("quantity"))
            s_left = max(sessions - (have_a["s"] or 0), 0)
            q_left = max(quantity - (have_a["q"] or 0), 0)
            if not s_left and not q_left:
                continue
            rows = max(s_left, 1)
            for k, qty in enumerate(split(q_left, rows)):
                acts.append(
                    Activity(
                        agency=office,
                        kind=kind,
                        held_on=dt.date(SEED_YEAR, k % 12 + 1, 10 + k % 15),
                        title=f"{title}（第{k + 1}{'期' if kind == 'gazette' else '次'}）",
                        sessions=1 if s_left else 0,
                        quantity=qty,
                        note="演示数据",
                    )  # fmt: skip
                )
        Activity.objects.bulk_create(acts)
        created += len(acts)
    _say(out, f"  查阅点与活动：新增 {created} 条记录")
    return created


def _publish_seed_report(out: Any) -> Any:
    from gongkai.agencies.models import Region
    from gongkai.reports.models import AnnualReport
    from gongkai.reports.services import report_create, report_publish, report_update_narrative

    region = Region.objects.filter(code="220500").first()
    if region is None:
        return None
    report = (
        AnnualReport.objects.filter(region=region, year=SEED_YEAR, style="2012")
        .order_by("-version")
        .first()
    )
    if report is None:
        report = report_create(by=None, year=SEED_YEAR, style="2012", region=region)
    if report.status == AnnualReport.Status.DRAFT:
        report = report_update_narrative(report=report, by=None, narrative=dict(NARRATIVE_2012))
        report = report_publish(
            report=report,
            by=None,
            now=dt.datetime(2013, 3, 4, 9, tzinfo=timezone.get_default_timezone()),
        )
        _say(out, f"  年度报告：已发布“{report.title}”")
    return report


NARRATIVE_MZJ_2012 = {
    "一、基本工作情况": (
        "2012年，{机关}把政府信息公开作为推进依法行政、服务困难群众的重要抓手，调整充实了"
        "局政府信息公开工作领导小组，由分管副局长任组长，办公室承办日常工作。全局共有"
        "{从事政府信息公开工作人数}人从事政府信息公开工作。\n"
        "围绕城乡低保、救灾救济、社会组织管理等群众关注的事项，及时公开了城乡居民最低生活"
        "保障标准、低保资金季度发放情况和救灾物资储备等信息；对涉及个人隐私的低保对象家庭"
        "收入核查明细依法不予公开。"
    ),
    "附：下一年度工作要点": (
        "一、按季度公开城乡低保资金发放情况。二、完善社会组织年检结果公告制度。"
        "三、加强依申请公开答复的规范化建设。"
    ),
}


def _publish_quick_2012(out: Any) -> Any:
    """The quick demo's published 2012 report (民政局, 2012 format), frozen as of 2013-03-04.

    An agency report, so ``--full`` (which publishes the city's seed report from the
    seed-scale data) is unaffected."""
    from gongkai.agencies.models import Agency
    from gongkai.reports.models import AnnualReport
    from gongkai.reports.services import (
        ReportError,
        report_create,
        report_publish,
        report_update_narrative,
    )

    mzj = Agency.objects.filter(code="th-mzj").first()
    if mzj is None:
        return None
    report = (
        AnnualReport.objects.filter(agency=mzj, year=SEED_YEAR, style="2012")
        .order_by("-version")
        .first()
    )
    if report is None:
        report = report_create(by=None, year=SEED_YEAR, style="2012", agency=mzj)
    if report.status == AnnualReport.Status.DRAFT:
        try:
            report = report_update_narrative(
                report=report, by=None, narrative=dict(NARRATIVE_MZJ_2012)
            )
            report = report_publish(
                report=report,
                by=None,
                now=dt.datetime(2013, 3, 4, 9, tzinfo=timezone.get_default_timezone()),
            )
        except ReportError as exc:
            _say(out, f"  年度报告：未能发布演示报告（{exc}）")
            return report
        _say(out, f"  年度报告：已发布“{report.title}”")
    return report


def load(*, full: bool = False, out: Any = None) -> dict:
    from gongkai.agencies.models import Agency, Region
    from gongkai.reports.models import AnnualReport
    from gongkai.reports.services import report_create

    result: dict[str, Any] = {}
    if full:
        for name, step in (
            ("items", _load_items),
            ("applications", _load_applications),
            ("remedies", _load_remedies),
            ("outreach", _load_outreach),
        ):
            started = time.monotonic()
            result[name] = step(out)
            _say(out, f"  （{name} 用时 {time.monotonic() - started:.1f}s）")
        report = _publish_seed_report(out)
        result["seed_report"] = report.pk if report else None
    _publish_quick_2012(out)
    last_year = timezone.localdate().year - 1
    mzj = Agency.objects.filter(code="th-mzj").first()
    city = Region.objects.filter(code="220500").first()
    if mzj and not AnnualReport.objects.filter(agency=mzj, year=last_year).exists():
        report_create(by=None, year=last_year, agency=mzj)
    if city and not AnnualReport.objects.filter(region=city, year=last_year).exists():
        report_create(by=None, year=last_year, region=city)
    result["reports"] = AnnualReport.objects.count()
    return result
