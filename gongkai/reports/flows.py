"""Annual report publication as data: a draft is edited and published (frozen); a published
report is corrected only by a new version, which supersedes it when published.

The services guard with this table (``REPORT_WORKFLOW.require``; ``require_state`` for the
demo loader, which acts without a user), the report page shows the buttons ``allowed()``
returns, and docs/workflows.md is generated from it. Whether the figures pass the
consistency checks is the data's matter, checked by ``report_publish`` (the page shows the
failed checks instead of the publish button)."""

from __future__ import annotations

from typing import Any

from gongkai.lib.flows import Rule, Transition, Workflow
from gongkai.reports.models import AnnualReport
from gongkai.reports.permissions import can_edit_report

S = AnnualReport.Status


def _editor(user: Any, report: AnnualReport) -> bool:
    return getattr(user, "is_authenticated", False) and can_edit_report(user, report)


def _no_draft_sibling(user: Any, report: AnnualReport) -> bool:
    """No unpublished version of the same scope, year and format exists."""
    return not AnnualReport.objects.filter(
        agency=report.agency, region=report.region, year=report.year,
        style=report.style, status=S.DRAFT,
    ).exists()  # fmt: skip


EDITOR = (_editor, "您无权编辑或发布该年度报告。")
can_edit = Rule("can_edit_report", who=[EDITOR])
can_new_version = Rule(
    "can_new_version", who=[EDITOR], when=[(_no_draft_sibling, "已有尚未发布的新版本草稿。")]
)

REPORT_WORKFLOW = Workflow(
    key="reports.annual_report",
    title="政府信息公开工作年度报告的发布",
    states=[(str(v), str(label)) for v, label in S.choices],
    transitions=[
        Transition("update_narrative", "编辑叙述文字", (S.DRAFT,), S.DRAFT,
                   "本机关年度报告编制人员（机构负责人、部门负责人、分管领导、指导科）；"
                   "区划汇总报告由该区划的指导科、网管科", can_edit,
                   status_message="已发布的报告不能修改；如需更正，请发布新版本。"),
        Transition("publish", "发布（冻结数据）", (S.DRAFT,), S.PUBLISHED,
                   "同上；报告数据须通过勾稽检查", can_edit, status_message="该报告已发布。"),
        Transition("new_version", "发布新版本", (S.PUBLISHED, S.SUPERSEDED), S.DRAFT,
                   "同上；须填写原因，且没有尚未发布的新版本草稿", can_new_version,
                   status_message="草稿可直接修改，无需新版本。"),
    ],
    notes=["新版本发布时，同一机关（区划）、年度、格式的上一已发布版本变为“已被新版本取代”。"],
)  # fmt: skip

WORKFLOWS = [REPORT_WORKFLOW]
