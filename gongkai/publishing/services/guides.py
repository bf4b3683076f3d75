"""The disclosure guide (公开指南) of an agency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.audit.services import audit_log, diff
from gongkai.publishing.models import (
    Guide,
)
from gongkai.publishing.services.common import PublishingError, _roles

# --- guide ---------------------------------------------------------------------------------

GUIDE_FIELDS = [
    "classification", "arrangement", "access_methods", "office_name", "office_address", "office_hours",
    "office_phone", "office_fax", "office_internet", "office_postcode", "other",
]  # fmt: skip
GUIDE_ROLES = {Role.OFFICE_HEAD, Role.DEPT_HEAD, Role.CLERK, Role.GUIDANCE}

_change_hooks: list[Callable[[list[str]], None]] = []


def register_guide_change_hook(fn: Callable[[list[str]], None]) -> None:
    """Call ``fn(["guide:<agency code>"])`` after every commit that saved a new guide version.
    Guides are not in the search index, so ``search.api.register_change_hook`` does not hear
    of them; the portal registers the same function with both (page cache, nginx purge)."""
    if fn not in _change_hooks:
        _change_hooks.append(fn)


def can_edit_guide(user: Any, agency: Any) -> bool:
    """The agency's 办公室/部门负责人/录入员 or 指导科; never an administrator (三员分立)."""
    if getattr(user, "admin_role", ""):
        return False
    return bool(_roles(user, agency.pk) & GUIDE_ROLES)


def guide_save(
    *, agency: Any, by: Any, fields: dict[str, Any], now: dt.datetime | None = None
) -> Guide:
    """Save the agency's 公开指南 as a new version (earlier versions stay)."""
    now = now or timezone.now()
    if not can_edit_guide(by, agency):
        raise PublishingError("您无权编辑该机构的公开指南。")
    fields = {k: (fields.get(k) or "").strip() for k in GUIDE_FIELDS}
    missing = [
        str(Guide._meta.get_field(k).verbose_name)  # type: ignore[union-attr]
        for k in (
            "classification",
            "arrangement",
            "access_methods",
            "office_name",
            "office_address",
            "office_hours",
            "office_phone",
        )
        if not fields[k]
    ]
    if missing:
        raise PublishingError("公开指南缺少：" + "、".join(missing) + "。")
    with transaction.atomic():
        current = (
            Guide.objects.select_for_update().filter(agency=agency).order_by("-version").first()
        )
        if current is not None and all(getattr(current, k) == v for k, v in fields.items()):
            raise PublishingError("内容没有变化，未生成新版本。")
        guide = Guide.objects.create(
            agency=agency,
            version=(current.version + 1) if current else 1,
            created_at=now,
            created_by=by,
            **fields,
        )
        audit_log("publishing.guide.saved", obj=guide, actor=by, now=now,
                  changes=diff({k: getattr(current, k) for k in GUIDE_FIELDS} if current else {}, fields))  # fmt: skip
        for fn in _change_hooks:
            transaction.on_commit(partial(fn, [f"guide:{agency.code}"]))
    return guide
