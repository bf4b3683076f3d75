"""The certificate workflows as data, and who may take their next step.

One ``gongkai.lib.flows`` workflow per kind of application (new/replace, revoke, emergency
revoke), chosen by ``workflow_for(app)``. The services guard with it
(``workflow_for(app).require(verb, by, app, PkiError)``), the application page shows the
buttons ``cert_actions(user, app)`` returns (the table's ``allowed()``), and
docs/workflows.md is generated from it. Verbs: ``advance`` (an approval step, service
``cert_application_advance``), ``issue``, ``revoke``, ``reject`` and ``login_test`` (recorded
by the system at the holder's first certificate login, never a button).
"""

from __future__ import annotations

from typing import Any

from gongkai.accounts.models import Role
from gongkai.lib.flows import Rule, Transition, Workflow
from gongkai.pki.models import (
    CertApplication,
    Kind,
    Status,
)

# --- the workflows as data ---------------------------------------------------------------
NEW_FLOW: list[str] = [
    Status.SUBMITTED,
    Status.DEPT_APPROVED,
    Status.GUIDANCE_REVIEWED,
    Status.ISSUED,
    Status.NETWORK_REVIEWED,
    Status.DEPT_CHECKED,
    Status.LOGIN_TESTED,
    Status.HANDED_OVER,
    Status.ARCHIVED,
]
FLOWS: dict[tuple[str, bool], list[str]] = {
    (Kind.NEW, False): NEW_FLOW,
    (Kind.REPLACE, False): NEW_FLOW,
    (Kind.REVOKE, False): [
        Status.SUBMITTED,
        Status.DEPT_APPROVED,
        Status.GUIDANCE_REVIEWED,
        Status.REVOKED,
        Status.ARCHIVED,
    ],
    # emergency (keyCompromise): 网管科 revokes first, the approvals are recorded afterwards
    (Kind.REVOKE, True): [
        Status.REVOKED,
        Status.DEPT_APPROVED,
        Status.GUIDANCE_REVIEWED,
        Status.ARCHIVED,
    ],
}
DEPT_ROLES = frozenset(
    {Role.CLERK, Role.PROOFREADER, Role.APPROVER, Role.DEPT_HEAD, Role.OFFICE_HEAD, Role.HANDLER}
)
STEP_ROLES: dict[str, frozenset[str]] = {
    Status.DEPT_APPROVED: frozenset({Role.APPROVER, Role.DEPT_HEAD}),
    Status.GUIDANCE_REVIEWED: frozenset({Role.GUIDANCE}),
    Status.ISSUED: frozenset({Role.NETWORK}),
    Status.NETWORK_REVIEWED: frozenset({Role.NETWORK}),
    Status.DEPT_CHECKED: frozenset({Role.DEPT_HEAD}),
    Status.HANDED_OVER: frozenset({Role.DEPT_HEAD}),
    Status.REVOKED: frozenset({Role.NETWORK}),
    Status.ARCHIVED: frozenset({Role.GUIDANCE, Role.NETWORK}),
}
# Steps done through their own service (not the generic "advance").
SPECIAL_STEPS = frozenset({Status.ISSUED, Status.REVOKED, Status.LOGIN_TESTED})
# Steps that the certificate holder may not do on their own application.
NOT_BY_PERSON = frozenset(
    {Status.DEPT_APPROVED, Status.GUIDANCE_REVIEWED, Status.ISSUED, Status.NETWORK_REVIEWED}
)
# Steps at which an application may be sent back (rejected).
REJECTABLE = frozenset(
    {Status.SUBMITTED, Status.DEPT_APPROVED, Status.GUIDANCE_REVIEWED, Status.ISSUED}
)


def flow_of(application: CertApplication) -> list[str]:
    return FLOWS[(application.kind, application.emergency)]


def next_status(application: CertApplication) -> str | None:
    """The step that comes after the application's current one (``None`` when finished)."""
    flow = flow_of(application)
    if application.status not in flow:
        return None
    i = flow.index(application.status)
    return flow[i + 1] if i + 1 < len(flow) else None


def step_roles_for(user: Any, application: CertApplication, status: str) -> set[str]:
    """The roles by which ``user`` may do ``status`` on the application (empty: may not)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return user.roles_in(application.agency_id) & STEP_ROLES.get(status, frozenset())


def _issuer_id(application: CertApplication) -> int | None:
    return application.steps.filter(status=Status.ISSUED).values_list("actor_id", flat=True).first()


# --- the conditions of a step, each with the reason shown when it fails --------------------


def _step_roles(target: str) -> Any:
    def check(user: Any, app: CertApplication) -> str | None:
        if not step_roles_for(user, app, target):
            return f"您无权办理“{Status(target).label}”这一步。"
        return None

    return check


def _not_holder(user: Any, app: CertApplication) -> str | None:
    if app.person_id == user.pk:
        return "证书持有人不能审核或签发自己的证书申请。"
    return None


def _not_issuer(user: Any, app: CertApplication) -> str | None:
    if _issuer_id(app) == user.pk:
        return "复核须由制证人以外的另一名网管科人员办理（双人复核）。"
    return None


def _reject_roles(user: Any, app: CertApplication) -> str | None:
    nxt = next_status(app)
    if nxt is None or not step_roles_for(user, app, nxt):
        return "您无权退回该申请单。"
    return None


def _reject_issued(user: Any, app: CertApplication) -> str | None:
    return _not_issuer(user, app) if app.status == Status.ISSUED else None


def _holder(user: Any, app: CertApplication) -> str | None:
    if app.person_id != user.pk:
        return "登录测试由证书持有人本人以新证书登录完成。"
    return None


def step_rule(target: str) -> Rule:
    """Who may take the step that leads to ``target``."""
    if target == Status.LOGIN_TESTED:
        return Rule("is_holder", who=[_holder])
    who = [_step_roles(target)]
    if target in NOT_BY_PERSON:
        who.append(_not_holder)
    if target == Status.NETWORK_REVIEWED:
        who.append(_not_issuer)
    return Rule("can_do_next", who=who)


REJECT_RULE = Rule("can_reject", who=[_reject_roles, _reject_issued])

# the verb of the step leading to a status (the service that takes it)
VERB_OF: dict[str, str] = {
    Status.ISSUED: "issue",
    Status.REVOKED: "revoke",
    Status.LOGIN_TESTED: "login_test",
}


def verb_for(target: str) -> str:
    return VERB_OF.get(target, "advance")


# --- the same tables as ``gongkai.lib.flows`` workflows (for docs/workflows.md) -----------


def _who(status: str) -> str:
    from gongkai.accounts.models import Role as R

    names = "或".join(R(r).label for r in sorted(STEP_ROLES.get(status, frozenset())))
    if status == Status.LOGIN_TESTED:
        return "证书持有人本人（以新证书登录，由系统自动记录）"
    extra = "；不是证书持有人" if status in NOT_BY_PERSON else ""
    if status == Status.NETWORK_REVIEWED:
        extra += "；不是制证人"
    return names + extra


def _workflow(key: str, title: str, flow: list[str], *, emergency: bool = False) -> Workflow:
    steps = [
        Transition(verb_for(nxt), Status(nxt).label, (cur,), nxt, _who(nxt), step_rule(nxt),
                   action=f"办理“{Status(nxt).label}”")
        for cur, nxt in zip(flow, flow[1:], strict=False)
    ]  # fmt: skip
    rejectable = () if emergency else tuple(s for s in flow if s in REJECTABLE)
    if rejectable:
        steps.append(
            Transition("reject", "退回", rejectable, Status.REJECTED,
                       "下一步骤的办理人（制证人不退回自己制的证）", REJECT_RULE,
                       status_message="申请单处于“{status}”，不能退回。")
        )  # fmt: skip
    states = [(s, Status(s).label) for s in flow] + (
        [(Status.REJECTED, Status.REJECTED.label)] if rejectable else []
    )
    notes = ["紧急吊销的申请单不可退回。"] if emergency else []
    return Workflow(
        key=key, title=title, states=states, transitions=steps, notes=notes,
        status_message="该申请单已{status}，不能再{action}。",
    )  # fmt: skip


NEW_WORKFLOW = _workflow("pki.new", "数字证书新办与更换（登记表 → … → 协调办备案）", NEW_FLOW)
REVOKE_WORKFLOW = _workflow("pki.revoke", "数字证书吊销", FLOWS[(Kind.REVOKE, False)])
EMERGENCY_WORKFLOW = _workflow(
    "pki.revoke_emergency", "数字证书紧急吊销（密钥泄露，先吊销后补审批）",
    FLOWS[(Kind.REVOKE, True)], emergency=True,
)  # fmt: skip
WORKFLOW_OF: dict[tuple[str, bool], Workflow] = {
    (Kind.NEW, False): NEW_WORKFLOW,
    (Kind.REPLACE, False): NEW_WORKFLOW,
    (Kind.REVOKE, False): REVOKE_WORKFLOW,
    (Kind.REVOKE, True): EMERGENCY_WORKFLOW,
}
WORKFLOWS = [NEW_WORKFLOW, REVOKE_WORKFLOW, EMERGENCY_WORKFLOW]


def workflow_for(application: CertApplication) -> Workflow:
    return WORKFLOW_OF[(application.kind, application.emergency)]


def cert_actions(user: Any, application: CertApplication) -> set[str]:
    """The verbs ``user`` may take on the application now (the page's buttons)."""
    return workflow_for(application).allowed(user, application) - {"login_test"}


def can_do_next(user: Any, application: CertApplication) -> bool:
    """Whether ``user`` may take the application's next step by hand (not the login test)."""
    nxt = next_status(application)
    if nxt is None or nxt == Status.LOGIN_TESTED:
        return False
    return workflow_for(application).can(verb_for(nxt), user, application)


def can_reject(user: Any, application: CertApplication) -> bool:
    return workflow_for(application).can("reject", user, application)


def require_step(
    user: Any, application: CertApplication, to_status: str, error: type[Exception]
) -> None:
    """THE guard of a step: ``to_status`` must be the next one, and the table must allow it."""
    if not application.is_open:
        raise error(f"该申请单已{application.get_status_display()}，不能再办理。")
    expected = next_status(application)
    if expected != to_status:
        expected_label = Status(expected).label if expected else "无"
        raise error(
            f"步骤顺序不对：当前为“{application.get_status_display()}”，下一步应为“{expected_label}”。"
        )
    workflow_for(application).require(verb_for(to_status), user, application, error)


def emergency_revoke_refusal(user: Any, certificate: Any) -> str | None:
    """Why ``user`` may not revoke ``certificate`` at once (it opens an emergency-revocation
    application, the start of ``pki.revoke_emergency``), or None."""
    if not (
        getattr(user, "is_authenticated", False)
        and Role.NETWORK in user.roles_in(certificate.agency_id)
    ):
        return "只有协调办网管科可以紧急吊销证书。"
    if certificate.status == "revoked":
        return "该证书已被吊销。"
    return None
