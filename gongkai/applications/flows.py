"""The 依申请公开 processing workflow as data: states, transitions, who may take each.

This table is THE guard: every application service whose verb is listed here calls
``APPLICATION_WORKFLOW.require(verb, by, app, ApplicationError)`` (or ``require_state`` when
the applicant acts on the tracking page, without a staff user) and refuses with the reason
the table gives; the application page shows exactly the buttons
``APPLICATION_WORKFLOW.allowed(user, app)`` returns; docs/workflows.md is generated from this
table (``manage.py workflow_docs``). Each predicate is a ``Rule`` whose conditions carry the
Chinese reason shown when they fail, so the decision and the message are one line. What
the table does not decide is input (dates, amounts, the reply's outcome cell) and facts
that depend on it, which the services still check.
"""

from __future__ import annotations

from typing import Any

from gongkai.accounts.models import APPLICATION_DESK_ROLES, Role
from gongkai.applications.models import Application, Era
from gongkai.lib.flows import Condition, Rule, Transition, Workflow

S = Application.Status
OPEN = tuple(Application.OPEN_STATUSES)


def _roles(user: Any, app: Application) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(user.roles_in(app.agency_id))


def is_desk(user: Any, app: Application) -> bool:
    """录入员, 承办人 or 信息公开工作机构负责人 of the agency."""
    return bool(_roles(user, app) & APPLICATION_DESK_ROLES)


def is_handler(user: Any, app: Application) -> bool:
    """The assigned 承办人, or the office head (who may handle any application)."""
    return Role.OFFICE_HEAD in _roles(user, app) or (
        app.handler_id is not None and app.handler_id == getattr(user, "pk", None)
    )


def is_office_head(user: Any, app: Application) -> bool:
    return Role.OFFICE_HEAD in _roles(user, app)


def _pending_draft(app: Application) -> Any:
    from gongkai.applications.services.signoff import pending_draft

    return pending_draft(app)


def _signoff(app: Application) -> bool:
    from gongkai.applications.services.signoff_rules import signoff_required

    return signoff_required(app.agency_id)


def _labels(roles: Any) -> str:
    return "、".join(Role(r).label for r in sorted(roles))


# --- the conditions, each with the reason shown when it fails ------------------------------


def desk(action: str) -> Condition:
    return (is_desk, f"只有本机关的{_labels(APPLICATION_DESK_ROLES)}可以{action}。")


def handler(action: str) -> Condition:
    return (is_handler, f"只有本件的承办人或信息公开工作机构负责人可以{action}。")


def office_head(action: str) -> Condition:
    return (is_office_head, f"只有本机关的{Role.OFFICE_HEAD.label}可以{action}。")


def _obj(test: Any, message: str) -> Condition:
    """A condition on the application alone (``test(app)``)."""
    return (lambda user, app: bool(test(app)), message)


ERA_2019 = "2008年版条例没有{what}的规定。"


def signoff_refusal(user: Any, app: Application) -> str | None:
    from gongkai.applications.services.signoff import signoff_refusal as refusal

    return refusal(user, app, _pending_draft(app))


can_confirm = Rule("is_desk", who=[desk("确认收到")])
can_assign = Rule("is_desk", who=[desk("分办")])
can_request_correction = Rule(
    "can_request_correction",
    who=[handler("要求补正")],
    when=[_obj(lambda a: not a.correction_requested_on,
               "补正告知只能一次性发出，本件已经告知过补正。")],
)  # fmt: skip
can_receive_correction = Rule("is_desk", who=[desk("登记补正")])
can_consult = Rule("is_handler", who=[handler("征求意见")])
can_request_extension = Rule(
    "can_request_extension",
    who=[handler("申请延期")],
    when=[_obj(lambda a: not (a.extension_requested_by_id or a.extension_approved_at),
               "答复期限只能延长一次，本件已经申请过延期。")],
)  # fmt: skip
can_approve_extension = Rule(
    "can_approve_extension",
    who=[office_head("批准延期")],
    when=[_obj(lambda a: a.extension_requested_by_id and not a.extension_approved_at,
               "没有待批准的延期申请。")],
)  # fmt: skip
can_set_delayed_due = Rule(
    "can_set_delayed_due",
    who=[office_head("确定延迟答复期限")],
    when=[_obj(lambda a: a.era != Era.R2008, ERA_2019.format(what="延迟答复期限"))],
)
can_request_reasons = Rule(
    "can_request_reasons",
    who=[handler("要求说明理由")],
    when=[
        _obj(lambda a: a.era != Era.R2008, ERA_2019.format(what="要求申请人说明理由")),
        _obj(lambda a: not a.reasons_requested_on, "本件已经要求申请人说明过理由。"),
    ],
)
can_receive_reasons = Rule(
    "can_receive_reasons",
    who=[desk("登记申请人说明的理由")],
    when=[
        _obj(lambda a: a.reasons_requested_on, "本件没有要求说明理由。"),
        _obj(lambda a: not a.reasons_received_on, "已经收到申请人说明的理由，不能重复提交。"),
    ],
)
can_accept_reasons = Rule(
    "can_accept_reasons",
    who=[handler("认可申请理由")],
    when=[
        _obj(lambda a: a.reasons_received_on, "尚未收到申请人说明的理由。"),
        _obj(lambda a: not a.reasons_accepted_on, "已经认可过申请人说明的理由。"),
    ],
)
can_fee_notify = Rule(
    "can_fee_notify",
    who=[handler("发出收费通知")],
    when=[_obj(lambda a: not a.fee_method,
               "每件申请只能选择一种计收方式并收费一次，本件已发出过收费通知。")],
)  # fmt: skip
can_record_payment = Rule("is_desk", who=[desk("登记缴费")])
can_reply = Rule(
    "can_reply",
    who=[handler("答复")],
    when=[_obj(lambda a: not _signoff(a),
               "本机关的答复须经审签：请提交审签，由信息公开工作机构负责人审签后制发告知书。")],
)  # fmt: skip
can_submit_reply = Rule(
    "can_submit_reply",
    who=[handler("提交审签")],
    when=[
        _obj(_signoff, "本机关未设置答复审签，请直接作出答复。"),
        _obj(lambda a: _pending_draft(a) is None, "已有待审签的答复，请等待审签结果。"),
    ],
)
can_sign_reply = Rule("can_sign_reply", who=[signoff_refusal])
can_withdraw = Rule("is_desk", who=[desk("登记撤回申请")])
can_record_service = Rule("is_desk", who=[desk("登记送达")])


APPLICATION_WORKFLOW = Workflow(
    key="applications.application",
    title="依申请公开的办理（登记 → 分办 → 办理 → 答复 → 送达办结）",
    states=[(str(v), str(label)) for v, label in S.choices],
    status_message="申请{obj.number}当前状态为“{status}”，不能{action}（仅限{sources}）。",
    transitions=[
        Transition("confirm", "确认收到并出具登记回执", (S.PENDING,), S.RECEIVED,
                   "本机关录入员、承办人或信息公开工作机构负责人", can_confirm,
                   action="确认收到"),
        Transition("assign", "分办 / 改派", (S.RECEIVED, S.PROCESSING, S.CORRECTION, S.FEE),
                   S.PROCESSING, "本机关录入员、承办人或信息公开工作机构负责人", can_assign,
                   action="分办"),
        Transition("request_correction", "要求补正", (S.RECEIVED, S.PROCESSING), S.CORRECTION,
                   "本件承办人或机构负责人；尚未要求过补正", can_request_correction),
        Transition("receive_correction", "登记补正", (S.CORRECTION,), S.PROCESSING,
                   "本机关录入员、承办人或机构负责人（申请人也可在网上补正）",
                   can_receive_correction, action="补正"),
        Transition("consult", "征求第三方或其他机关意见", (S.PROCESSING,), S.PROCESSING,
                   "本件承办人或机构负责人", can_consult, action="征求意见"),
        Transition("request_extension", "申请延期答复", (S.PROCESSING,), S.PROCESSING,
                   "本件承办人或机构负责人；尚未申请过延期", can_request_extension,
                   action="申请延期"),
        Transition("approve_extension", "批准延期", (S.PROCESSING, S.FEE), S.PROCESSING,
                   "信息公开工作机构负责人；有待批准的延期申请", can_approve_extension),
        Transition("set_delayed_due", "确定延迟答复期限（第三十五条）", (S.PROCESSING,),
                   S.PROCESSING, "信息公开工作机构负责人；2019年条例的申请", can_set_delayed_due,
                   action="确定延迟答复期限"),
        Transition("request_reasons", "要求说明理由（第三十五条）", (S.PROCESSING,), S.PROCESSING,
                   "本件承办人或机构负责人；2019年条例的申请，尚未要求过", can_request_reasons,
                   action="要求说明理由"),
        Transition("receive_reasons", "登记申请人说明的理由", (S.PROCESSING,), S.PROCESSING,
                   "本机关录入员、承办人或机构负责人（申请人也可在网上说明）；"
                   "已要求说明理由而尚未收到", can_receive_reasons, action="说明理由"),
        Transition("accept_reasons", "认可理由，继续办理", (S.PROCESSING,), S.PROCESSING,
                   "本件承办人或机构负责人；已收到理由而尚未认可", can_accept_reasons,
                   action="认可申请理由"),
        Transition("fee_notify", "收取信息处理费", (S.PROCESSING,), S.FEE,
                   "本件承办人或机构负责人；尚未发出收费通知", can_fee_notify,
                   action="发出收费通知"),
        Transition("record_payment", "登记已缴费", (S.FEE,), S.PROCESSING,
                   "本机关录入员、承办人或机构负责人", can_record_payment, action="登记缴费"),
        Transition("reply", "作出答复并制发告知书", (S.PROCESSING,), S.REPLIED,
                   "本件承办人或机构负责人；本机关未设置答复审签", can_reply, action="答复"),
        Transition("submit_reply", "提交审签", (S.PROCESSING,), S.PROCESSING,
                   "本件承办人或机构负责人；本机关设置了答复审签，且没有待审签的答复",
                   can_submit_reply),
        Transition("sign_reply", "审签通过并制发告知书", (S.PROCESSING,), S.REPLIED,
                   "信息公开工作机构负责人；不是拟稿人；有待审签的答复", can_sign_reply,
                   action="审签答复"),
        Transition("return_reply", "审签退回", (S.PROCESSING,), S.PROCESSING,
                   "同“审签通过”，须填写意见", can_sign_reply, action="退回答复"),
        Transition("withdraw", "登记撤回申请", OPEN, S.CLOSED,
                   "本机关录入员、承办人或机构负责人（申请人也可在网上撤回）", can_withdraw,
                   action="撤回"),
        Transition("record_service", "登记送达并办结", (S.REPLIED,), S.CLOSED,
                   "本机关录入员、承办人或机构负责人", can_record_service, action="登记送达"),
    ],
    notes=[
        "逾期不补正、逾期未缴费由定时任务 `applications_lapse` 按期限办结，不由人操作。"
        "答复审签按机关设置（`ReplySignoffPolicy`，由本机关信息公开工作机构负责人开启）；"
        "审签期间答复期限照常计算。",
        "每项操作的服务以本表为唯一的办理条件（`APPLICATION_WORKFLOW.require`），拒绝的理由"
        "取自表内条件；日期、金额、办理结果等输入另行校验。",
    ],
)  # fmt: skip

WORKFLOWS = [APPLICATION_WORKFLOW]
