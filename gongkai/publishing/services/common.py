"""Shared by the publishing services: the domain error, role sets, sanitising, validation."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import Any

import nh3

from gongkai.accounts.models import Role
from gongkai.publishing.flows import CATALOG_ENTRY_ROLES, CATALOG_REVIEWER_ROLES
from gongkai.publishing.flows import CHANGE_REQUEST_ROLES as CHANGE_REQUEST_ROLES
from gongkai.publishing.integrity import DETAIL_FIELDS as DETAIL_FIELDS
from gongkai.publishing.models import (
    CONTENT_FIELDS,
    DisclosureMode,
    Revision,
    Topic,
    Validity,
)


class PublishingError(Exception):
    """A refused publishing action; the message is Chinese and shown to the user."""


# The role sets are named once, with the workflows (gongkai.publishing.flows).
REVIEWER_ROLES = CATALOG_REVIEWER_ROLES
ENTRY_ROLES = CATALOG_ENTRY_ROLES

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4",
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a", "blockquote", "span",
}  # fmt: skip


def plain_to_html(value: str) -> str:
    """Typed plain text as paragraphs: a blank line starts a new paragraph, a single line
    break stays a line break (without this a body typed with blank lines ran together)."""
    from html import escape

    text = value.replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for para in re.split(r"\n(?:[ \t\u3000]*\n)+", text):
        lines = [line.rstrip() for line in para.split("\n")]
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            out.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return "".join(out)


ALIGN_TAGS = ("p", "h2", "h3", "h4", "li", "td", "th")
ALIGN_CLASSES = {"align-center", "align-right"}
ALIGN_OPEN = re.compile(r"<(" + "|".join(ALIGN_TAGS) + r")(\s[^>]*)>")


def sanitize_body(value: str) -> str:
    """Rich text reduced to a safe subset (no scripts, styles, event handlers or javascript:).

    Paragraph alignment survives as a class (``align-right`` for a right-aligned 落款,
    ``align-center``) — the site's CSP allows no inline styles — whether it came as
    ``style="text-align:right"`` (Word, pasted HTML) or as the class (the editor). Plain
    text (no tags) is first split into paragraphs at blank lines (``plain_to_html``).
    """
    value = (value or "").replace("\ufeff", "")  # an editor's invisible caret marker
    if value and not re.search(r"<[A-Za-z!/]", value):
        value = plain_to_html(value)
    # 1. only text-align is kept of inline styles (nh3 normalises it to style="text-align:x")
    first = nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes={tag: {"style", "class"} for tag in ALIGN_TAGS},
        filter_style_properties={"text-align"},
        strip_comments=True,
    )

    # 2. text-align → class; the class list of the editor is kept as it is
    def to_class(m: re.Match[str]) -> str:
        tag, attrs = m[1], m[2]
        # an explicit text-align decides (the editor sets it over an older class: a
        # right-aligned paragraph made left again keeps class="align-right" otherwise)
        align = re.search(r'style="text-align:\s*([a-z-]+)', attrs)
        classes = set(re.findall(r"align-(?:right|center)", attrs))
        if align:
            classes = {
                "right": {"align-right"}, "end": {"align-right"}, "center": {"align-center"}
            }.get(align[1], set())  # fmt: skip
        attrs = re.sub(r'\s(style|class)="[^"]*"', "", attrs)
        return (
            f'<{tag}{attrs} class="{" ".join(sorted(classes))}">' if classes else f"<{tag}{attrs}>"
        )

    first = ALIGN_OPEN.sub(to_class, first)
    return nh3.clean(
        first,
        tags=ALLOWED_TAGS,
        attributes={
            "a": {"href", "title"},
            "td": {"colspan", "rowspan"},
            "th": {"colspan", "rowspan", "scope"},
        },
        allowed_classes={tag: ALIGN_CLASSES for tag in ALIGN_TAGS},
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
