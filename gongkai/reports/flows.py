"""Annual report publication as data: a draft is edited and published (frozen); a published
report is corrected only by a new version, which supersedes it when published."""

from __future__ import annotations

from gongkai.lib.flows import Transition, Workflow
from gongkai.reports.models import AnnualReport
from gongkai.reports.permissions import can_edit_report

S = AnnualReport.Status

REPORT_WORKFLOW = Workflow(
    key="reports.annual_report",
    title="政府信息公开工作年度报告的发布",
    states=[(str(v), str(label)) for v, label in S.choices],
    transitions=[
        Transition("update_narrative", "编辑叙述文字", (S.DRAFT,), S.DRAFT,
                   "本机关年度报告编制人员（机构负责人、部门负责人、分管领导、指导科）；"
                   "区划汇总报告由该区划的指导科、网管科", can_edit_report),
        Transition("publish", "发布（冻结数据）", (S.DRAFT,), S.PUBLISHED,
                   "同上；报告数据须通过勾稽检查", can_edit_report),
        Transition("new_version", "发布新版本", (S.PUBLISHED, S.SUPERSEDED), S.DRAFT,
                   "同上；须填写原因，且没有尚未发布的新版本草稿", can_edit_report),
    ],
    notes=["新版本发布时，同一机关（区划）、年度、格式的上一已发布版本变为“已被新版本取代”。"],
)  # fmt: skip

WORKFLOWS = [REPORT_WORKFLOW]
