"""The certificate workflows as data, and who may take their next step."""

from __future__ import annotations

from typing import Any

from gongkai.accounts.models import Role
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


def can_do_next(user: Any, application: CertApplication) -> bool:
    nxt = next_status(application)
    if nxt is None or nxt == Status.LOGIN_TESTED:
        return False
    if nxt in NOT_BY_PERSON and application.person_id == user.pk:
        return False
    if nxt == Status.NETWORK_REVIEWED and _issuer_id(application) == user.pk:
        return False
    return bool(step_roles_for(user, application, nxt))


def _issuer_id(application: CertApplication) -> int | None:
    return application.steps.filter(status=Status.ISSUED).values_list("actor_id", flat=True).first()


def can_reject(user: Any, application: CertApplication) -> bool:
    if application.status not in REJECTABLE or application.emergency:
        return False
    if application.status == Status.ISSUED and _issuer_id(application) == user.pk:
        return False
    nxt = next_status(application)
    return nxt is not None and bool(step_roles_for(user, application, nxt))


# --- the same tables as ``gongkai.lib.flows`` workflows (for docs/workflows.md) -----------


def _who(status: str) -> str:
    from gongkai.accounts.models import Role as R

    names = "或".join(R(r).label for r in sorted(STEP_ROLES.get(status, frozenset())))
    if status == Status.LOGIN_TESTED:
        return "证书持有人本人（以新证书登录）"
    extra = "；不是证书持有人" if status in NOT_BY_PERSON else ""
    if status == Status.NETWORK_REVIEWED:
        extra += "；不是制证人"
    return names + extra


def _workflow(key: str, title: str, flow: list[str]) -> Any:
    from gongkai.lib.flows import Transition, Workflow

    steps = [
        Transition(
            "do_next",
            Status(nxt).label,
            (cur,),
            nxt,
            _who(nxt),
            can_do_next,
        )  # fmt: skip
        for cur, nxt in zip(flow, flow[1:], strict=False)
    ]
    rejectable = tuple(s for s in flow if s in REJECTABLE)
    if rejectable:
        steps.append(
            Transition(
                "reject",
                "退回",
                rejectable,
                Status.REJECTED,
                "下一步骤的办理人（制证人不退回自己制的证；紧急吊销不可退回）",
                can_reject,
            )  # fmt: skip
        )
    states = [(s, Status(s).label) for s in flow] + (
        [(Status.REJECTED, Status.REJECTED.label)] if rejectable else []
    )
    return Workflow(key=key, title=title, states=states, transitions=steps)


WORKFLOWS = [
    _workflow("pki.new", "数字证书新办与更换（登记表 → … → 协调办备案）", NEW_FLOW),
    _workflow("pki.revoke", "数字证书吊销", FLOWS[(Kind.REVOKE, False)]),
    _workflow("pki.revoke_emergency", "数字证书紧急吊销（密钥泄露，先吊销后补审批）",
              FLOWS[(Kind.REVOKE, True)]),
]  # fmt: skip
