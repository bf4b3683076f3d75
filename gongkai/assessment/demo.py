"""Demo data of the assessment app: the 2012 通化市 assessment, as the seed describes it.

The seed (2012年通化市政府信息公开工作年度报告, 一、（二）1 and （四）) says: the city made the
《2012年全市政务公开工作要点》 with **6 key tasks**; the coordination office assesses every
department of the city government and every county (市、区) government under the
《通化市政府信息公开工作考评细则》; it guided and inspected them **3 times** during the year; and
from 2012 the annual report and its data count in the assessment. The seed names the number
of key tasks but not their titles, so the six below are taken from the work the same section
reports as done in 2012. Its appendix is the 2013 工作要点 (four parts, each "一是…二是…"),
loaded as the 2013 plan with its tasks.

``load`` creates (once) the 2012 assessment with the default 考评细则, the three inspections
with findings and rectification tasks (closed on time, closed late, still open), the manual
ratings of the annual-report indicator with their evidence, both work plans, and then scores
and publishes the assessment: every number comes from the demo's 2012 data. Safe to run twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

D = dt.date

PLAN_2012_TASKS = [
    ("调整政务公开领导小组，明确成员单位工作职责",
     "重新调整市政务公开领导小组，明确13个成员单位43项具体工作职责。", D(2012, 3, 31), 100),
    ("科学编制政府信息公开指南和公开目录",
     "围绕国民经济发展规划、重大建设项目、行政许可、环境保护、公共卫生等15项重点内容编制指南和目录。",
     D(2012, 6, 30), 100),
    ("完善考评细则，落实七项配套制度",
     "完善《通化市政府信息公开工作考评细则》，落实主动公开、依申请公开、保密审查、发布协调、信息清理、"
     "澄清虚假或不完整信息、考核等7项配套制度。", D(2012, 6, 30), 100),
    ("全面落实依申请公开工作办法，统一告知书文书",
     "依据《通化市政府信息依申请公开工作办法》统一申请表、登记回执及各类告知书。", D(2012, 9, 30), 100),
    ("加强业务培训和平台建设",
     "举办各类培训，维护升级《通化市人民政府信息公开》平台，发放录入电子证书，细化证书管理、信息录入和"
     "信息删改流程。", D(2012, 12, 31), 100),
    ("开展跟踪指导和监督检查，年度报告纳入考核",
     "对各县（市、区）及市政府各部门开展指导和网络监督检查；将年度报告编制公布和数据报送纳入年度考核和"
     "政府绩效考核。", D(2012, 12, 31), 90),
]  # fmt: skip

PLAN_2013_SUMMARY = (
    "深入贯彻落实中办国办发《关于深化政务公开加强政务服务的意见》，拓展政务公开领域、创新政务公开方式、"
    "完善政务服务体系，保障人民群众的知情权、参与权、表达权、监督权。"
)
PLAN_2013 = [
    ("一、扎实推进行政权力公开透明运行", [
        "推进行政决策公开", "坚持依法行使权力，编制并公布行政职权目录", "加大行政审批权公开力度",
        "加强行政权力运行监督"]),
    ("二、着力推进重点领域信息公开", [
        "推进财政预算决算公开", "加快“三公”经费公开", "推进民生领域信息公开",
        "加强政府性投资项目和财政专项资金公开"]),
    ("三、进一步加强政务服务体系建设", [
        "进一步深化行政审批制度改革", "加强政务服务体系规范化建设", "拓展政务服务体系的服务功能",
        "加强政务服务体系信息化建设", "持续推进公共企事业单位办事公开"]),
    ("四、进一步加强政务公开工作监督与管理", [
        "积极开展研讨交流，加强宣传培训", "加强监督考核，及时发布和通报考评结果"]),
]  # fmt: skip

INSPECTIONS = [
    # (agency, date, title, inspectors, summary, findings:
    #   [(description, severity, evidence, owner username, due, [(kind, note, on)])])
    ("th-mzj", D(2012, 4, 20), "第一次跟踪指导检查（公开指南和公开目录编制）", "陈指导、褚网管",
     "检查公开指南、公开目录编制和信息录入情况。", [
        ("公开指南所列办公电话已变更未及时更新", "minor",
         "检查记录：指南第1版办公电话与实际不符（现场拨打核实）。", "zhoujiu", D(2012, 5, 4),
         [("submit", "已更新公开指南并重新发布。", D(2012, 4, 27)),
          ("close", "复核指南已更新，予以销号。", D(2012, 4, 28))]),
    ]),
    ("th-czj", D(2012, 4, 20), "第一次跟踪指导检查（公开指南和公开目录编制）", "陈指导、褚网管",
     "检查财政预算信息公开情况。", [
        ("部门预算公开说明自生成之日起超过20个工作日才发布", "major",
         "网络检查截图：《通化市2012年市本级部门预算公开说明》生成3月20日，4月26日方上网。", "zhaoliu",
         D(2012, 5, 18),
         [("progress", "已制定预算信息发布时间表。", D(2012, 5, 10)),
          ("submit", "已建立发布时限提醒，报送整改报告。", D(2012, 5, 24)),
          ("close", "整改到位但超过期限，予以销号。", D(2012, 5, 25))]),
    ]),
    ("dc-gov", D(2012, 8, 15), "网络监督检查（信息网上录入）", "褚网管、卫网管",
     "抽查东昌区政府网上公开目录的录入质量。", [
        ("部分公开目录信息缺少索引号", "minor", "抽查记录：抽查20条，3条无索引号。", "dclr",
         D(2012, 8, 31),
         [("submit", "已补录索引号。", D(2012, 8, 29)), ("close", "复查通过。", D(2012, 8, 30))]),
    ]),
    ("th-mzj", D(2012, 11, 20), "第三次跟踪指导检查（依申请公开办理）", "陈指导",
     "检查依申请公开登记、办理和告知书使用情况。", [
        ("个别登记回执未载明答复期限", "minor", "抽查2012年11月登记回执3份，1份未填答复期限。", "zhengyi",
         D(2012, 12, 14), [("progress", "已对承办人进行提醒，正在逐件核对。", D(2012, 12, 3))]),
    ]),
]  # fmt: skip

# The annual-report indicator (manual): the evidence the guidance section recorded.
REPORT_LATE = {"th-slj": "2011年度报告3月31日后才公布，数据报送延迟。",
               "thx-gov": "2011年度报告数据与统计报表不一致，经退回后更正。"}  # fmt: skip


def load(*, full: bool = False, out: Any = None) -> dict[str, Any]:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency, Region
    from gongkai.assessment import services
    from gongkai.assessment.models import Assessment, Inspection, WorkPlan

    region = Region.objects.filter(code="220500").first()
    by = User.objects.filter(username="chenzd").first()
    office = Agency.objects.filter(code="th-gkb").first()
    if region is None or by is None or office is None:
        return {"skipped": "缺少通化市区划、协调办或指导科演示用户"}
    if not WorkPlan.objects.filter(region=region, year=2012).exists():
        services.workplan_create(
            region=region, year=2012, by=by, title="2012年全市政务公开工作要点",
            summary="明确6项重点工作任务（见2012年通化市政府信息公开工作年度报告一、（二）1）。",
            tasks=[{"title": t, "description": d, "owner_agency": office, "owner": by, "due_on": due}
                   for t, d, due, _p in PLAN_2012_TASKS],
        )  # fmt: skip
        plan = WorkPlan.objects.get(region=region, year=2012)
        for work, (_t, _d, due, progress) in zip(
            plan.tasks.order_by("number"), PLAN_2012_TASKS, strict=True
        ):
            note = (
                "已完成。"
                if progress >= 100
                else "年度报告纳入考核已落实，绩效考核衔接待2013年完成。"
            )
            services.worktask_progress(task=work, by=by, progress=progress, note=note, on=due)
    if not WorkPlan.objects.filter(region=region, year=2013).exists():
        tasks = [
            {"section": section, "title": title, "owner_agency": office, "owner": by, "due_on": D(2013, 12, 31)}
            for section, titles in PLAN_2013 for title in titles
        ]  # fmt: skip
        services.workplan_create(
            region=region, year=2013, by=by, title="2013年全市政务公开工作要点",
            summary=PLAN_2013_SUMMARY, tasks=tasks,
        )  # fmt: skip

    a = Assessment.objects.filter(region=region, year=2012).first()
    if a is None:
        a = services.assessment_create(
            region=region, year=2012, by=by, name="2012年度通化市政府信息公开工作考核"
        )
    if not Inspection.objects.filter(inspected_on__year=2012).exists():
        for code, day, title, inspectors, summary, findings in INSPECTIONS:
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                continue
            ins = services.inspection_create(
                agency=agency,
                by=by,
                title=title,
                inspected_on=day,
                inspectors=inspectors,
                summary=summary,
            )
            for description, severity, evidence, owner, due, steps in findings:
                owner_user = User.objects.filter(username=owner).first()
                f = services.finding_add(
                    inspection=ins, by=by, description=description, severity=severity, evidence=evidence,
                    owner=owner_user, due_on=due if owner_user else None,
                )  # fmt: skip
                task = getattr(f, "task", None)
                if task is None:
                    continue
                for kind, note, on in steps:
                    actor = by if kind in ("close", "reopen") else owner_user
                    services.task_follow_up(task=task, by=actor, kind=kind, note=note, on=on)
    if a.status != Assessment.Status.PUBLISHED:
        manual = a.indicators.filter(source="manual").first()
        if manual is not None:
            for agency in services.assessment_agencies(a):
                late = REPORT_LATE.get(agency.code)
                services.manual_rating_set(
                    indicator=manual, agency=agency, by=by, ratio="0.6" if late else "1",
                    evidence=late or "2011年度报告于2012年3月31日前公布，统计数据按时报送协调办。",
                    now=dt.datetime(2013, 1, 15, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
                )  # fmt: skip
        services.assessment_score(assessment=a, by=by)
        services.assessment_publish(assessment=a, by=by)
    top = a.results.order_by("rank").select_related("agency").first()
    return {
        "assessment": a.name,
        "agencies": a.results.count(),
        "first": f"{top.agency.name} {top.total}" if top else "",
        "inspections": Inspection.objects.count(),
        "plans": WorkPlan.objects.filter(region=region).count(),
    }
