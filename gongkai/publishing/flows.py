"""The catalog workflows as data: entry review of a revision, and change/deletion requests.

Services guard with these predicates (``REVISION_WORKFLOW.can(verb, user, revision)``), the
item and change pages show exactly the buttons ``allowed(user, obj)`` returns, and
docs/workflows.md is generated from the tables (``manage.py workflow_docs``).
"""

from __future__ import annotations

from typing import Any

from gongkai.accounts.models import (
    CATALOG_ENTRY_ROLES,
    CATALOG_REVIEWER_ROLES,
    CHANGE_REQUEST_ROLES,
    SCAN_OVERRIDE_ROLES,
    Role,
)
from gongkai.lib.flows import Transition, Workflow
from gongkai.publishing import integrity
from gongkai.publishing.models import (
    CatalogItem,
    ChangeRequest,
    ChangeStep,
    ReviewStage,
    Revision,
)

S = Revision.Status


def _roles(user: Any, agency_id: int) -> set[str]:
    return set(user.roles_in(agency_id)) if getattr(user, "is_authenticated", False) else set()


def _is_author(user: Any, rev: Revision) -> bool:
    return bool(rev.author_id == user.pk)


# --- entry review --------------------------------------------------------------------------


def previous_reviewer_id(rev: Revision) -> int | None:
    """Who took the last decision of the current round (since the last submission)."""
    qs = rev.reviews.all()
    if rev.submitted_at is not None:
        qs = qs.filter(created_at__gte=rev.submitted_at)
    return qs.order_by("-created_at", "-id").values_list("reviewer_id", flat=True).first()


def review_refusal(user: Any, rev: Revision) -> str | None:
    """Why ``user`` may not decide at the revision's current stage (Chinese), or None."""
    stage = rev.stage
    if rev.status != S.IN_REVIEW or stage is None:
        return f"这条信息当前不在审核中（{rev.get_status_display()}）。"
    if stage.role not in _roles(user, rev.item.agency_id):
        return f"“{stage.name}”须由本机关的{Role(stage.role).label}审核。"
    if _is_author(user, rev):
        return "不能审核自己录入的信息。"
    if previous_reviewer_id(rev) == user.pk:
        return "同一人不能连续审核两个环节，请由其他人员审核。"
    return None


def can_review(user: Any, rev: Revision) -> bool:
    return review_refusal(user, rev) is None


def can_edit(user: Any, rev: Revision) -> bool:
    return _is_author(user, rev) and bool(_roles(user, rev.item.agency_id) & CATALOG_ENTRY_ROLES)


def can_publish(user: Any, rev: Revision) -> bool:
    """The author, on an unpublished item, and only while every review covers the content."""
    if not can_edit(user, rev) or rev.item.status != CatalogItem.Status.DRAFT:
        return False
    return integrity.verify(rev, ReviewStage.chain_for(rev.item.agency_id)).ok


def can_unschedule(user: Any, rev: Revision) -> bool:
    return _is_author(user, rev) and rev.item.status == CatalogItem.Status.SCHEDULED


def can_scan_override(user: Any, rev: Revision) -> bool:
    return (
        not _is_author(user, rev)
        and bool(_roles(user, rev.item.agency_id) & SCAN_OVERRIDE_ROLES)
        and bool(rev.scan_findings)
        and not rev.scan_override_reason
    )


REVISION_WORKFLOW = Workflow(
    key="catalog.revision",
    title="公开目录条目的录入与审核（框架录入 → 一校 → 二校 → 终审 → 详细信息录入并发布）",
    states=[(str(v), str(label)) for v, label in S.choices],
    transitions=[
        Transition("edit", "修改录入内容 / 详细信息录入", (S.DRAFT, S.RETURNED, S.APPROVED),
                   "不变；终审后修改内容则退回须重审的环节（审核中）",
                   "本机关录入员，且是录入人本人", can_edit),
        Transition("upload", "上传或移除附件", (S.DRAFT, S.RETURNED, S.APPROVED),
                   "不变；终审后增删附件则退回须重审的环节（审核中）",
                   "本机关录入员，且是录入人本人", can_edit),
        Transition("submit", "提交审核", (S.DRAFT, S.RETURNED), S.IN_REVIEW,
                   "本机关录入员，且是录入人本人", can_edit),
        Transition("review_approve", "审核通过", (S.IN_REVIEW,), "下一环节；最后一环节后为终审通过",
                   "持有当前环节角色的本机关人员；不是录入人；不是本轮上一环节的审核人",
                   can_review),
        Transition("review_return", "退回录入人", (S.IN_REVIEW,), S.RETURNED,
                   "同“审核通过”，须填写退回意见", can_review),
        Transition("scan_override", "放行保密审查发现", (S.IN_REVIEW, S.APPROVED, S.CHANGE),
                   "不变", "本机关校对员、分管领导或指导科；不是录入人；有未放行的发现",
                   can_scan_override),
        Transition("publish", "保密审查并发布", (S.APPROVED,), S.PUBLISHED,
                   "录入人本人；条目未发布；各环节审核记录的校验值与待发布内容一致",
                   can_publish),
        Transition("unschedule", "取消定时发布", (S.APPROVED,), S.APPROVED,
                   "录入人本人；条目已设定时发布", can_unschedule),
    ],
    notes=[
        "审核环节按机构配置（`ReviewStage`，未配置时用默认的一校、二校、终审）。"
        "每条审核记录保存所审内容的校验值；终审后再修改内容，终审的校验值不再相符，"
        "信息回到“审核中”的终审环节（见上文“审核与内容绑定”）。",
    ],
)  # fmt: skip


def revision_actions(user: Any, rev: Revision | None) -> set[str]:
    return REVISION_WORKFLOW.allowed(user, rev) if rev is not None else set()


# --- change and deletion requests ----------------------------------------------------------

C = ChangeRequest.Status
# status → (the step taken there, the role that takes it, the status it leads to)
CHANGE_FLOW: dict[str, tuple[str, str, str]] = {
    C.SUBMITTED: (ChangeStep.Step.APPROVE, Role.APPROVER, C.APPROVED),
    C.APPROVED: (ChangeStep.Step.REVIEW, Role.GUIDANCE, C.REVIEWED),
    C.REVIEWED: (ChangeStep.Step.EXECUTE, Role.NETWORK, C.EXECUTED),
    C.EXECUTED: (ChangeStep.Step.VERIFY, Role.DEPT_HEAD, C.VERIFIED),
}


def change_step_refusal(user: Any, cr: ChangeRequest, *, accept: bool = True) -> str | None:
    """Why ``user`` may not take the request's next step (Chinese), or None."""
    if cr.status not in CHANGE_FLOW:
        return f"该申请已办结（{cr.get_status_display()}）。"
    step, role, _next = CHANGE_FLOW[cr.status]
    if role not in _roles(user, cr.item.agency_id):
        return f"“{ChangeStep.Step(step).label}”须由{Role(role).label}办理。"
    if user.pk == cr.requested_by_id and step != ChangeStep.Step.VERIFY:
        return "申请人不能审批自己的申请。"
    steps = integrity.current_round(list(cr.steps.order_by("id")))
    if any(s.actor_id == user.pk and s.step not in ChangeStep.ROUND_STARTS for s in steps):
        return "同一人不能办理同一申请的两个步骤。"
    if not accept and step == ChangeStep.Step.VERIFY:
        return "变更已执行，校核不通过请另行提交变更申请并在意见中说明。"
    return None


def can_step(user: Any, cr: ChangeRequest) -> bool:
    """The step's holder, and only while the steps so far cover the content (before
    execution: the 申请书 and the published item; after it: the step records)."""
    if change_step_refusal(user, cr) is not None:
        return False
    return integrity.verify_change(cr, content=cr.status in integrity.PRE_EXECUTION).ok


def can_amend(user: Any, cr: ChangeRequest) -> bool:
    """The requester, before execution (the approvals so far then no longer count)."""
    return (
        cr.status in integrity.PRE_EXECUTION
        and user.pk == cr.requested_by_id
        and bool(_roles(user, cr.item.agency_id) & CHANGE_REQUEST_ROLES)
    )


def can_refuse(user: Any, cr: ChangeRequest) -> bool:
    return change_step_refusal(user, cr, accept=False) is None


def _step_who(status: str) -> str:
    step, role, _next = CHANGE_FLOW[status]
    return f"{Role(role).label}（{ChangeStep.Step(step).label}）"


CHANGE_WORKFLOW = Workflow(
    key="catalog.change_request",
    title="已发布信息的变更与删除（申请书 → 分管领导审批 → 指导科审核 → 网管科执行 → 部门负责人校核）",
    states=[(str(v), str(label)) for v, label in C.choices],
    transitions=[
        *(
            Transition("step", f"同意：{ChangeStep.Step(CHANGE_FLOW[s][0]).label}", (s,),
                       CHANGE_FLOW[s][2],
                       _step_who(s) + "；不是申请人（校核除外）；同一人不办理同一申请的两个步骤",
                       can_step)
            for s in CHANGE_FLOW
        ),
        Transition("refuse", "不同意（驳回）", (C.SUBMITTED, C.APPROVED, C.REVIEWED), C.REFUSED,
                   "当前步骤的办理人，须填写意见", can_refuse),
        Transition("amend", "修改申请书", (C.SUBMITTED, C.APPROVED, C.REVIEWED), C.SUBMITTED,
                   "申请人本人（仍持有提交申请的角色）；此前的审批不再有效", can_amend),
    ],
    notes=[
        "网管科执行时再做一次保密审查；执行变更即发布变更后的内容，执行删除即撤回条目。",
        "每个步骤记录所办理内容的校验值（已发布内容、申请变更的内容及附件、申请理由），"
        "前后步骤链式校验；申请书被修改或已发布内容经其他途径变化后，申请退回分管领导审批，"
        "校验值与当前内容不符时不能办理（见上文“变更与删除的内容绑定”）。",
    ],
)  # fmt: skip


def change_actions(user: Any, cr: ChangeRequest) -> set[str]:
    """``step`` and ``refuse`` as allowed now (the change page's buttons)."""
    return CHANGE_WORKFLOW.allowed(user, cr)


WORKFLOWS = [REVISION_WORKFLOW, CHANGE_WORKFLOW]

__all__ = [
    "CATALOG_ENTRY_ROLES",
    "CATALOG_REVIEWER_ROLES",
    "CHANGE_FLOW",
    "CHANGE_REQUEST_ROLES",
    "CHANGE_WORKFLOW",
    "REVISION_WORKFLOW",
    "SCAN_OVERRIDE_ROLES",
    "WORKFLOWS",
    "can_amend",
    "can_review",
    "change_actions",
    "review_refusal",
]
