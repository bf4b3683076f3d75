"""Shared pieces of the interaction services: the domain error, role guards, locking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

# NON_VIEWER_ROLES: who may answer a 留言 / moderate / enter content in an agency
# (everyone but read-only staff), the one set named in accounts.models.
from gongkai.accounts.models import NON_VIEWER_ROLES, REGION_ROLES, Role

# who may pass a review (answers, interpretations): the agency's leaders
REVIEW_ROLES = frozenset({Role.APPROVER, Role.DEPT_HEAD, Role.OFFICE_HEAD})


class InteractionError(Exception):
    """A step the rules forbid; the message is Chinese and shown to the user."""


def today_of(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def now_of(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def is_coordinator(user: Any, agency_id: int | None = None) -> bool:
    """指导科/网管科 of the coordination office (region-wide); with ``agency_id`` the agency
    must also lie in their region."""
    if user is None or not getattr(user, "is_authenticated", False) or user.admin_role:
        return False
    if not any(m.role in REGION_ROLES for m in user.active_memberships):
        return False
    if agency_id is None:
        return True
    from gongkai.agencies.querysets import visible_agency_ids

    ids = visible_agency_ids(user)
    return ids is None or agency_id in ids


def require_roles(user: Any, agency_id: int | None, roles: frozenset[str], action: str) -> None:
    """Raise unless ``user`` holds one of ``roles`` in the agency (or coordinates it)."""
    if agency_id is not None and user is not None and user.roles_in(agency_id) & roles:
        return
    if is_coordinator(user, agency_id):
        return
    if roles == NON_VIEWER_ROLES:
        raise InteractionError(f"只有本机关的工作人员（只读查看岗位除外）或协调办可以{action}。")
    names = "、".join(Role(r).label for r in sorted(roles))
    raise InteractionError(f"只有本机关的{names}或协调办可以{action}。")


def locked(obj: models.Model) -> Any:
    """The row of ``obj`` locked for this transaction (SELECT … FOR UPDATE)."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def clean_text(value: Any, *, what: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if "\x00" in text:
        raise InteractionError(f"{what}含有不可识别的字符。")
    if required and not text:
        raise InteractionError(f"请填写{what}。")
    if len(text) > max_length:
        raise InteractionError(f"{what}不能超过{max_length}个字。")
    return text


def scan_for_publication(*parts: tuple[str, str]) -> list[dict[str, Any]]:
    """保密审查 of text about to be published: findings as dicts (``scanner.scan_text``)."""
    from gongkai.publishing import scanner

    out: list[dict[str, Any]] = []
    for source, text in parts:
        out += [f.as_dict() for f in scanner.scan_text(text or "", source=source)]
    return out


def findings_message(findings: list[dict[str, Any]]) -> str:
    shown = "；".join(f"{f['source']}：{f['label']}{f['context']}" for f in findings[:5])
    more = f"等{len(findings)}处" if len(findings) > 5 else ""
    return f"保密审查发现需要处理的内容{more}，不能公开：{shown}"
