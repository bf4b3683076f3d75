"""Shared by the publishing services: the domain error, role sets, sanitising, validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import Any

import nh3

from gongkai.accounts.models import Role
from gongkai.publishing.models import (
    CONTENT_FIELDS,
    DisclosureMode,
    Revision,
    Topic,
    Validity,
)


class PublishingError(Exception):
    """A refused publishing action; the message is Chinese and shown to the user."""


# Fields a clerk completes after 终审 (详细信息录入); the frame fields are frozen by review.
DETAIL_FIELDS = ["summary", "body", "keywords"]
REVIEWER_ROLES = {Role.PROOFREADER, Role.APPROVER}
ENTRY_ROLES = {Role.CLERK}
CHANGE_REQUEST_ROLES = {Role.CLERK, Role.DEPT_HEAD, Role.APPROVER}

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4",
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a", "blockquote", "span",
}  # fmt: skip


def sanitize_body(value: str) -> str:
    """Rich text reduced to a safe subset (no scripts, styles, event handlers or javascript:)."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes={
            "a": {"href", "title"},
            "td": {"colspan", "rowspan"},
            "th": {"colspan", "rowspan", "scope"},
        },
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def field_label(name: str) -> str:
    """The Chinese label of a content field."""
    return str(Revision._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def _roles(user: Any, agency_id: int) -> set[str]:
    return set(user.roles_in(agency_id)) if user is not None and user.is_authenticated else set()


def _require_role(user: Any, agency_id: int, roles: AbstractSet[str], what: str) -> None:
    if not (_roles(user, agency_id) & roles):
        names = "、".join(sorted(Role(r).label for r in roles))
        raise PublishingError(f"只有本机关的{names}可以{what}。")


# --- entry ---------------------------------------------------------------------------------


def _validate_fields(fields: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    fields = {k: v for k, v in fields.items() if k in CONTENT_FIELDS}
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            raise PublishingError("名称不能为空。")
    if "body" in fields:
        fields["body"] = sanitize_body(fields["body"])
    formed = fields.get("formed_on")
    if "formed_on" in fields and formed is None:
        raise PublishingError("生成日期不能为空。")
    if formed is not None and formed > today:
        raise PublishingError("生成日期不能晚于今天。")
    mode = fields.get("disclosure_mode")
    if (
        mode
        and mode != DisclosureMode.PROACTIVE
        and not (fields.get("disclosure_reason") or "").strip()
    ):
        raise PublishingError("依申请公开或不予公开的信息须说明理由。")
    topic = fields.get("topic")
    if isinstance(topic, Topic) and topic.parent_id is None and topic.children.exists():
        raise PublishingError("主题分类请选择到二级分类。")
    validity = fields.get("validity")
    if validity in (Validity.EXPIRED, Validity.REPEALED) and not fields.get("invalid_on"):
        raise PublishingError("标记为失效或废止时须填写失效或废止日期。")
    if fields.get("art20_item") == "fee" and fields.get("art20_amount") is None:
        raise PublishingError("行政事业性收费须填写收费金额（万元）。")
    amount = fields.get("art20_amount")
    if amount is not None and Decimal(amount) < 0:
        raise PublishingError("收费金额不能为负数。")
    return fields
