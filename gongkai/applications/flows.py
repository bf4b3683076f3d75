"""The 依申请公开 processing workflow as data: states, transitions, who may take each.

The application page shows exactly the buttons ``APPLICATION_WORKFLOW.allowed(user, app)``
returns; the services keep their own guards (status, role, handler) which these predicates
mirror, and docs/workflows.md is generated from this table (``manage.py workflow_docs``).
"""

from __future__ import annotations

from typing import Any

from gongkai.accounts.models import APPLICATION_DESK_ROLES, Role
from gongkai.applications.models import Application
from gongkai.lib.flows import Transition, Workflow

S = Application.Status
OPEN = tuple(Application.OPEN_STATUSES)


def _roles(user: Any, app: Application) -> set[str]:
    return set(user.roles_in(app.agency_id))


def is_desk(user: Any, app: Application) -> bool:
    """录入员, 承办人 or 信息公开工作机构负责人 of the agency."""
    return bool(_roles(user, app) & APPLICATION_DESK_ROLES)


def is_handler(user: Any, app: Application) -> bool:
    """The assigned 承办人, or the office head (who may handle any application)."""
    return Role.OFFICE_HEAD in _roles(user, app) or (
        app.handler_id is not None and app.handler_id == user.pk
    )


def is_office_head(user: Any, app: Application) -> bool:
    return Role.OFFICE_HEAD in _roles(user, app)


def _pending_draft(app: Application) -> Any:
    from gongkai.applications.services.signoff import pending_draft

    return pending_draft(app)


def _signoff(app: Application) -> bool:
    from gongkai.applications.services.signoff_rules import signoff_required

    return signoff_required(app.agency_id)


def can_reply(user: Any, app: Application) -> bool:
    return is_handler(user, app) and not _signoff(app)


def can_submit_reply(user: Any, app: Application) -> bool:
    return is_handler(user, app) and _signoff(app) and _pending_draft(app) is None


def can_sign_reply(user: Any, app: Application) -> bool:
    from gongkai.applications.services.signoff import signoff_refusal

    return signoff_refusal(user, app, _pending_draft(app)) is None


def can_request_correction(user: Any, app: Application) -> bool:
    return is_handler(user, app) and not app.correction_requested_on


def can_request_extension(user: Any, app: Application) -> bool:
    return is_handler(user, app) and not app.extension_requested_by_id


def can_approve_extension(user: Any, app: Application) -> bool:
    return (
        is_office_head(user, app)
        and bool(app.extension_requested_by_id)
        and not app.extension_approved_at
    )


def can_set_delayed_due(user: Any, app: Application) -> bool:
    return is_office_head(user, app) and app.era == "2019"


def can_request_reasons(user: Any, app: Application) -> bool:
    return is_handler(user, app) and app.era == "2019" and not app.reasons_requested_on


def can_receive_reasons(user: Any, app: Application) -> bool:
    return is_desk(user, app) and bool(app.reasons_requested_on) and not app.reasons_received_on


def can_accept_reasons(user: Any, app: Application) -> bool:
    return is_handler(user, app) and bool(app.reasons_received_on) and not app.reasons_accepted_on


def can_fee_notify(user: Any, app: Application) -> bool:
    return is_handler(user, app) and not app.fee_method


APPLICATION_WORKFLOW = Workflow(
    key="applications.application",
    title="依申请公开的办理（登记 → 分办 → 办理 → 答复 → 送达办结）",
    states=[(str(v), str(label)) for v, label in S.choices],
    transitions=[
        Transition("confirm", "确认收到并出具登记回执", (S.PENDING,), S.RECEIVED,
                   "本机关录入员、承办人或信息公开工作机构负责人", is_desk),
        Transition("assign", "分办 / 改派", (S.RECEIVED, S.PROCESSING, S.CORRECTION, S.FEE),
                   S.PROCESSING, "本机关录入员、承办人或信息公开工作机构负责人", is_desk),
        Transition("request_correction", "要求补正", (S.RECEIVED, S.PROCESSING), S.CORRECTION,
                   "本件承办人或机构负责人；尚未要求过补正", can_request_correction),
        Transition("receive_correction", "登记补正", (S.CORRECTION,), S.PROCESSING,
                   "本机关录入员、承办人或机构负责人", is_desk),
        Transition("consult", "征求第三方或其他机关意见", (S.PROCESSING,), S.PROCESSING,
                   "本件承办人或机构负责人", is_handler),
        Transition("request_extension", "申请延期答复", (S.PROCESSING,), S.PROCESSING,
                   "本件承办人或机构负责人；尚未申请过延期", can_request_extension),
        Transition("approve_extension", "批准延期", (S.PROCESSING,), S.PROCESSING,
                   "信息公开工作机构负责人；有待批准的延期申请", can_approve_extension),
        Transition("set_delayed_due", "确定延迟答复期限（第三十五条）", (S.PROCESSING,),
                   S.PROCESSING, "信息公开工作机构负责人；2019年条例的申请", can_set_delayed_due),
        Transition("request_reasons", "要求说明理由（第三十五条）", (S.PROCESSING,), S.PROCESSING,
                   "本件承办人或机构负责人；2019年条例的申请，尚未要求过", can_request_reasons),
        Transition("receive_reasons", "登记申请人说明的理由", (S.PROCESSING,), S.PROCESSING,
                   "本机关录入员、承办人或机构负责人；已要求说明理由而尚未收到", can_receive_reasons),
        Transition("accept_reasons", "认可理由，继续办理", (S.PROCESSING,), S.PROCESSING,
                   "本件承办人或机构负责人；已收到理由而尚未认可", can_accept_reasons),
        Transition("fee_notify", "收取信息处理费", (S.PROCESSING,), S.FEE,
                   "本件承办人或机构负责人；尚未发出收费通知", can_fee_notify),
        Transition("record_payment", "登记已缴费", (S.FEE,), S.PROCESSING,
                   "本机关录入员、承办人或机构负责人", is_desk),
        Transition("reply", "作出答复并制发告知书", (S.PROCESSING,), S.REPLIED,
                   "本件承办人或机构负责人；本机关未设置答复审签", can_reply),
        Transition("submit_reply", "提交审签", (S.PROCESSING,), S.PROCESSING,
                   "本件承办人或机构负责人；本机关设置了答复审签，且没有待审签的答复",
                   can_submit_reply),
        Transition("sign_reply", "审签通过并制发告知书", (S.PROCESSING,), S.REPLIED,
                   "信息公开工作机构负责人；不是拟稿人；有待审签的答复", can_sign_reply),
        Transition("return_reply", "审签退回", (S.PROCESSING,), S.PROCESSING,
                   "同“审签通过”，须填写意见", can_sign_reply),
        Transition("withdraw", "登记撤回申请", OPEN, S.CLOSED,
                   "本机关录入员、承办人或机构负责人", is_desk),
        Transition("record_service", "登记送达并办结", (S.REPLIED,), S.CLOSED,
                   "本机关录入员、承办人或机构负责人", is_desk),
    ],
    notes=[
        "逾期不补正、逾期未缴费由定时任务 `applications_lapse` 按期限办结，不由人操作。"
        "答复审签按机关设置（`ReplySignoffPolicy`，由本机关信息公开工作机构负责人开启）；"
        "审签期间答复期限照常计算。",
    ],
)  # fmt: skip

WORKFLOWS = [APPLICATION_WORKFLOW]
