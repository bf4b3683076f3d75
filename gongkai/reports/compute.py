"""Computing an annual report from the data: pure functions returning dataclasses.

Every number comes from a handful of aggregate queries (``COUNT … GROUP BY`` with
conditional aggregation) over the scope's rows — never a Python loop per row — so the
city-wide roll-up over a million catalog items stays fast (bench/report_bench.py).

Scope: one agency (``Scope.agency``) or a region's government roll-up (every agency of the
region and of the regions below it). Dates: the report year is the calendar year in the
project time zone.

Counting rules (docs/annual-report-json.md):
* table 二 — catalog items published in the year (status published, not withdrawn):
  规章/行政规范性文件 制发 = published in the year; 废止 = validity 废止 with ``invalid_on``
  in the year; 现行有效 = validity 有效 and published by year end; 行政许可/处罚/强制 = items
  of that Art 20 item published in the year; 行政事业性收费 = the sum of ``art20_amount``
  (万元) of items published in the year.
* table 三 — applications with a receipt date (``received_on``): 一 received in the year;
  二 received before the year and not finished at its start; 三 finished in the year
  (finished = ``closed_on``, else ``replied_on``) by outcome cell (finished without a
  cell counts as （六）3.其他); 四 received by year end and not finished by then.
* table 四 — remedy cases filed in the year; the outcome as it stood at year end (a case
  concluded after 31 December counts as 尚未审结).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from gongkai.agencies.models import Agency, Region
from gongkai.lib.taxonomy import Art20Item, ContentClass
from gongkai.reports.tables import Table2, Table3, Table4


@dataclass(frozen=True)
class Scope:
    """What a report covers: one agency, or a region with everything below it."""

    agency: Agency | None = None
    region: Region | None = None

    @property
    def name(self) -> str:
        if self.agency is not None:
            return self.agency.name
        assert self.region is not None
        return f"{self.region.name}人民政府"

    def agency_ids(self) -> list[int]:
        """The scope's agency ids (a region: its agencies and those of every region below)."""
        cached = self.__dict__.get("_agency_ids")
        if cached is None:
            if self.agency is not None:
                cached = [self.agency.pk]
            else:
                assert self.region is not None
                cached = list(
                    Agency.objects.filter(region_id__in=self.region.descendant_ids()).values_list(
                        "pk", flat=True
                    )
                )
            object.__setattr__(self, "_agency_ids", cached)
        return cached  # type: ignore[no-any-return]

    def agency_filter(self, prefix: str = "") -> Q:
        """A Q selecting rows of the scope's agencies (``prefix`` e.g. ``reading_point__``).

        Filters on the foreign key column with the ids resolved once, so the big tables are
        never joined to agencies."""
        return Q(**{f"{prefix}agency_id__in": self.agency_ids()})


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def year_bounds(year: int) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    tz = timezone.get_current_timezone()
    return (
        start,
        end,
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def published_items(scope: Scope) -> Any:
    """Catalog items of the scope that were published (and not withdrawn since)."""
    CatalogItem = _model("publishing.CatalogItem")  # noqa: N806
    if CatalogItem is None:
        return None
    return CatalogItem.objects.filter(scope.agency_filter()).filter(
        status="published", withdrawn_at__isnull=True, published_at__isnull=False
    )


# --- catalog items: table 二 and the publication figures -------------------------------------
@dataclass
class ItemStats:
    """Everything the report needs from the catalog, from two passes over the scope's items."""

    table2: Table2
    values: dict[str, int]
    by_level: dict[str, int]
    by_class: dict[str, int]
    by_month: dict[int, int]


def compute_item_stats(scope: Scope, year: int) -> ItemStats:
    """1. One aggregate with conditional counts: table 二 and the cumulative/timeliness figures.
    2. One GROUP BY (agency, content class, month) over the year's proactive items, from which
    the counts by level, by class and by month are summed (the agency → level map is small)."""
    table = Table2()
    stats = ItemStats(table, {}, {}, {}, {})
    items = published_items(scope)
    if items is None:
        return stats
    start, end, t0, t1 = year_bounds(year)
    in_year = Q(published_at__gte=t0, published_at__lt=t1)
    proactive = Q(disclosure_mode="proactive")
    repealed_in_year = Q(validity="repealed", invalid_on__gte=start, invalid_on__lte=end)
    valid_at_end = Q(validity="valid", published_at__lt=t1)
    reg, norm = Q(art20_item=Art20Item.REGULATION), Q(art20_item=Art20Item.NORMATIVE)
    agg = items.aggregate(
        reg_new=Count("pk", filter=in_year & reg),
        norm_new=Count("pk", filter=in_year & norm),
        reg_repealed=Count("pk", filter=reg & repealed_in_year),
        norm_repealed=Count("pk", filter=norm & repealed_in_year),
        reg_valid=Count("pk", filter=reg & valid_at_end),
        norm_valid=Count("pk", filter=norm & valid_at_end),
        license=Count("pk", filter=in_year & Q(art20_item=Art20Item.LICENSE)),
        penalty=Count("pk", filter=in_year & Q(art20_item=Art20Item.PENALTY)),
        coercion=Count("pk", filter=in_year & Q(art20_item=Art20Item.COERCION)),
        fee=Sum("art20_amount", filter=in_year & Q(art20_item=Art20Item.FEE)),
        cumulative=Count("pk", filter=proactive & Q(published_at__lt=t1)),
        timely=Count("pk", filter=proactive & in_year & Q(publish_workdays__lte=20)),
        late=Count("pk", filter=proactive & in_year & Q(publish_workdays__gt=20)),
    )
    v = table.values
    v[("规章", "本年制发件数")] = agg["reg_new"]
    v[("规章", "本年废止件数")] = agg["reg_repealed"]
    v[("规章", "现行有效件数")] = agg["reg_valid"]
    v[("行政规范性文件", "本年制发件数")] = agg["norm_new"]
    v[("行政规范性文件", "本年废止件数")] = agg["norm_repealed"]
    v[("行政规范性文件", "现行有效件数")] = agg["norm_valid"]
    v[("行政许可", "本年处理决定数量")] = agg["license"]
    v[("行政处罚", "本年处理决定数量")] = agg["penalty"]
    v[("行政强制", "本年处理决定数量")] = agg["coercion"]
    v[("行政事业性收费", "本年收费金额（单位：万元）")] = (agg["fee"] or Decimal(0)).quantize(
        Decimal("0.0001")
    )
    levels = dict(Agency.objects.filter(pk__in=scope.agency_ids()).values_list("pk", "level"))
    total = 0
    for row in (
        items.filter(in_year, proactive)
        .annotate(m=ExtractMonth("published_at"))
        .values("agency_id", "content_class", "m")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        n = row["n"]
        total += n
        level = levels.get(row["agency_id"], "")
        stats.by_level[level] = stats.by_level.get(level, 0) + n
        stats.by_class[row["content_class"]] = stats.by_class.get(row["content_class"], 0) + n
        stats.by_month[row["m"]] = stats.by_month.get(row["m"], 0) + n
    stats.values.update(
        {
            "累计主动公开政府信息条数": agg["cumulative"],
            "本年主动公开政府信息条数": total,
            "生成至网上公开不超过20个工作日条数": agg["timely"],
            "生成至网上公开超过20个工作日条数": agg["late"],
        }
    )
    return stats


def compute_table2(scope: Scope, year: int) -> Table2:
    return compute_item_stats(scope, year).table2


# --- table 三 --------------------------------------------------------------------------------
def applications(scope: Scope) -> Any:
    Application = _model("applications.Application")  # noqa: N806
    if Application is None:
        return None
    return Application.objects.filter(scope.agency_filter()).filter(received_on__isnull=False)


def compute_table3(scope: Scope, year: int) -> Table3:
    table = Table3()
    qs = applications(scope)
    if qs is None:
        return table
    start, end, _t0, _t1 = year_bounds(year)
    qs = qs.annotate(done_on=Coalesce("closed_on", "replied_on"))
    open_at_start = Q(received_on__lt=start) & (Q(done_on__isnull=True) | Q(done_on__gte=start))
    open_at_end = Q(received_on__lte=end) & (Q(done_on__isnull=True) | Q(done_on__gt=end))
    for row in qs.values("applicant_type").annotate(
        new=Count("pk", filter=Q(received_on__gte=start, received_on__lte=end)),
        carried_in=Count("pk", filter=open_at_start),
        carried_out=Count("pk", filter=open_at_end),
    ):
        t = row["applicant_type"]
        for key in ("new", "carried_in", "carried_out"):
            table.counts.setdefault(key, {})[t] = row[key]
    finished = qs.filter(done_on__gte=start, done_on__lte=end, received_on__lte=end)
    for row in finished.values("outcome", "applicant_type").annotate(n=Count("pk")):
        key = row["outcome"] or "other"
        bucket = table.counts.setdefault(key, {})
        bucket[row["applicant_type"]] = bucket.get(row["applicant_type"], 0) + row["n"]
    from gongkai.lib.taxonomy import OUTCOME_CELLS

    total: dict[str, int] = {}
    for cell in OUTCOME_CELLS:
        for t, n in table.counts.get(cell.code, {}).items():
            total[t] = total.get(t, 0) + n
    table.counts["total"] = total
    return table


# --- table 四 --------------------------------------------------------------------------------
def compute_table4(scope: Scope, year: int) -> Table4:
    from gongkai.remedies.models import RemedyCase

    table = Table4()
    _start, end, _t0, _t1 = year_bounds(year)
    qs = RemedyCase.objects.filter(scope.agency_filter()).filed_in(year)
    concluded = Q(concluded_on__isnull=False, concluded_on__lte=end)
    for row in qs.values("kind").annotate(
        upheld=Count("pk", filter=concluded & Q(outcome="upheld")),
        corrected=Count("pk", filter=concluded & Q(outcome="corrected")),
        other=Count("pk", filter=concluded & Q(outcome="other")),
        pending=Count("pk", filter=~concluded),
    ):
        for outcome in Table4.OUTCOME_KEYS:
            table.counts[(row["kind"], outcome)] = row[outcome]
    return table


# --- other figures (narrative, 2012 format, charts) -------------------------------------------
@dataclass
class Figures:
    """Everything beyond the tables that the narratives and charts quote."""

    values: dict[str, int | Decimal] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=dict)  # 市本级/县级/乡级
    by_class: dict[str, int] = field(default_factory=dict)  # ContentClass value → count
    by_month: dict[int, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)  # Channel value → count
    by_outcome: dict[str, int] = field(default_factory=dict)  # outcome code → count


def compute_figures(scope: Scope, year: int, item_stats: ItemStats | None = None) -> Figures:
    from gongkai.agencies.models import Staffing
    from gongkai.outreach.models import Activity, Delivery, ReadingPoint, VisitLog
    from gongkai.remedies.models import Complaint

    fig = Figures()
    v = fig.values
    start, end, t0, t1 = year_bounds(year)
    stats = item_stats or compute_item_stats(scope, year)
    v.update(stats.values)
    fig.by_level, fig.by_class, fig.by_month = stats.by_level, stats.by_class, stats.by_month
    apps_qs = applications(scope)
    if apps_qs is not None:
        new = apps_qs.filter(received_on__gte=start, received_on__lte=end)
        fig.by_channel = {
            r["channel"]: r["n"] for r in new.values("channel").annotate(n=Count("pk"))
        }
        finished = apps_qs.annotate(done_on=Coalesce("closed_on", "replied_on")).filter(
            done_on__gte=start, done_on__lte=end
        )
        fig.by_outcome = {
            r["outcome"] or "other": r["n"]
            for r in finished.values("outcome").annotate(n=Count("pk"))
        }
        v["受理政府信息公开申请件次"] = sum(fig.by_channel.values())
        v["已答复件次"] = (
            new.annotate(done_on=Coalesce("replied_on", "closed_on"))
            .filter(done_on__isnull=False, done_on__lte=end)
            .count()
        )
        v["收费金额（元）"] = apps_qs.filter(
            Q(fee_paid_on__gte=start, fee_paid_on__lte=end)
            | Q(fee_paid_on__isnull=True, replied_on__gte=start, replied_on__lte=end)
        ).aggregate(s=Coalesce(Sum("fee_amount"), Decimal(0)))["s"]
    cases = compute_table4(scope, year)
    v["行政复议受理件次"] = cases.group("review")[4]
    v["行政复议办结件次"] = sum(cases.group("review")[:3])
    v["行政复议维持原行为件次"] = cases.group("review")[0]
    v["行政诉讼件次"] = cases.group("direct")[4] + cases.group("after_review")[4]
    complaints = Complaint.objects.filter(scope.agency_filter()).received_in(year)
    c = complaints.aggregate(
        appeals=Count("pk", filter=Q(kind="appeal")),
        complaints=Count("pk", filter=Q(kind__in=["complaint", "report"])),
    )
    v["行政申诉件次"] = c["appeals"]
    v["投诉举报件次"] = c["complaints"]
    staffing = Staffing.objects.filter(scope.agency_filter(), year=year).aggregate(
        full=Coalesce(Sum("full_time"), 0), part=Coalesce(Sum("part_time"), 0)
    )
    v["专职人员"] = staffing["full"]
    v["兼职人员"] = staffing["part"]
    v["从事政府信息公开工作人数"] = staffing["full"] + staffing["part"]
    points = ReadingPoint.objects.filter(scope.agency_filter()).filter(
        created_at__lt=t1, is_active=True
    )
    p = points.aggregate(n=Count("pk"), electronic=Count("pk", filter=Q(electronic=True)))
    v["公共查阅点数"] = p["n"]
    v["可电子查阅的查阅点数"] = p["electronic"]
    deliveries = Delivery.objects.filter(scope.agency_filter("reading_point__")).filter(
        delivered_on__gte=start, delivered_on__lte=end
    )
    d = deliveries.aggregate(
        paper=Coalesce(Sum("quantity", filter=Q(medium="paper")), 0),
        electronic=Coalesce(Sum("quantity", filter=Q(medium="electronic")), 0),
        timely=Coalesce(Sum("quantity", filter=Q(workdays_taken__lte=30)), 0),
    )
    v["查阅点汇集纸质信息条数"] = d["paper"]
    v["查阅点汇集电子信息条数"] = d["electronic"]
    v["生成至查阅点报送不超过30个工作日条数"] = d["timely"]
    visits = VisitLog.objects.filter(scope.agency_filter("reading_point__")).filter(
        logged_on__gte=start, logged_on__lte=end
    )
    vv = visits.aggregate(
        visitors=Coalesce(Sum("visitors"), 0), borrowings=Coalesce(Sum("borrowings"), 0)
    )
    v["查阅点接待公众人次"] = vv["visitors"]
    v["查阅点借阅文件件次"] = vv["borrowings"]
    acts = {
        r["kind"]: r
        for r in Activity.objects.filter(scope.agency_filter())
        .filter(held_on__gte=start, held_on__lte=end)
        .values("kind")
        .annotate(s=Coalesce(Sum("sessions"), 0), q=Coalesce(Sum("quantity"), 0))
    }

    def act(kind: str, key: str) -> int:
        return int(acts.get(kind, {}).get(key, 0))

    v["新闻发布会次数"] = act("press", "s")
    v["新闻发布会发布信息项数"] = act("press", "q")
    v["政府公报期数"] = act("gazette", "s")
    v["政府公报发放份数"] = act("gazette", "q")
    v["培训次数"] = act("training", "s")
    v["培训人数"] = act("training", "q")
    v["监督检查次数"] = act("inspection", "s")
    v["平台维护升级次数"] = act("maintenance", "s")
    v["政务公开专栏数"] = act("visits", "s")
    v["专栏点击次数"] = act("visits", "q")
    # 互动交流 (the interaction app): 留言办理、解读回应、征集调查 for the narrative.
    from gongkai.interaction.services.stats import yearly_counts

    ic = yearly_counts(year, scope.agency_ids())
    v["收到网民留言件数"] = ic["questions_received"]
    v["办结网民留言件数"] = ic["questions_answered"]
    v["按期答复网民留言件数"] = ic["questions_on_time"]
    v["发布政策解读篇数"] = ic["interpretations"]
    v["回应社会关切次数"] = ic["hotspot_responses"]
    v["开展意见征集期数"] = ic["consultations"]
    v["开展网上调查期数"] = ic["surveys"]
    v["举办在线访谈期数"] = ic["interviews"]
    return fig


# --- the whole report ------------------------------------------------------------------------
@dataclass
class Report2021:
    scope_name: str
    year: int
    table2: Table2
    table3: Table3
    table4: Table4
    figures: Figures


def compute_report_2021(scope: Scope, year: int) -> Report2021:
    """The figures of a 2021-format report (tables 二–四 plus the narrative's numbers)."""
    stats = compute_item_stats(scope, year)
    return Report2021(
        scope_name=scope.name,
        year=year,
        table2=stats.table2,
        table3=compute_table3(scope, year),
        table4=compute_table4(scope, year),
        figures=compute_figures(scope, year, stats),
    )


LEVEL_LABELS_2012 = [("city", "市本级"), ("county", "县（市、区）"), ("township", "乡（镇）")]
CHANNEL_GROUPS_2012 = [
    ("信函", ["letter"]),
    ("当面", ["in_person", "oral"]),
    ("网上申请", ["online", "email"]),
    ("其他形式", ["fax", "other"]),
]


def content_class_labels() -> list[tuple[str, str]]:
    return [(value, label) for value, label in ContentClass.choices]
