"""Catalog cleanup: validity changes and the review of withheld information."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.audit.services import audit_log
from gongkai.publishing.models import (
    CatalogItem,
    DisclosureMode,
    Validity,
    WithheldReview,
)
from gongkai.publishing.services.changes import _republish_with
from gongkai.publishing.services.common import PublishingError, _require_role

CLEANUP_ROLES = {Role.CLERK, Role.DEPT_HEAD, Role.OFFICE_HEAD, Role.APPROVER}


def item_set_validity(
    *,
    item: CatalogItem,
    by: Any,
    validity: str,
    invalid_on: dt.date | None,
    now: dt.datetime | None = None,
) -> CatalogItem:
    """信息清理: mark a published item 失效 or 废止 (with the date) or 有效 again."""
    now = now or timezone.now()
    if validity not in Validity.values:
        raise PublishingError("有效性取值无效。")
    if validity != Validity.VALID and invalid_on is None:
        raise PublishingError("请填写失效或废止日期。")
    if invalid_on is not None and invalid_on > timezone.localdate(now) + dt.timedelta(days=3650):
        raise PublishingError("失效或废止日期不合理。")
    _require_role(by, item.agency_id, CLEANUP_ROLES, "清理信息")
    if item.status != CatalogItem.Status.PUBLISHED:
        raise PublishingError("只有已发布的信息需要清理。")
    with transaction.atomic():
        return _republish_with(
            item, by, {"validity": validity, "invalid_on": invalid_on if validity != Validity.VALID else None},
            now, "publishing.item.validity", Validity(validity).label,
        )  # fmt: skip


WITHHELD_ROLES = {Role.OFFICE_HEAD, Role.APPROVER, Role.DEPT_HEAD, Role.GUIDANCE}


def withheld_review_record(
    *,
    item: CatalogItem,
    by: Any,
    convert: bool,
    comment: str,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> WithheldReview:
    """Art 18 re-assessment of a withheld (or on-request) item; ``convert`` makes it 主动公开
    (also Art 44: information many applicants ask for)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    comment = (comment or "").strip()
    if len(comment) < 4:
        raise PublishingError("请填写评估意见（至少4个字）。")
    _require_role(by, item.agency_id, WITHHELD_ROLES, "评估不予公开的信息")
    if item.disclosure_mode == DisclosureMode.PROACTIVE:
        raise PublishingError("这条信息已经是主动公开。")
    if item.status != CatalogItem.Status.PUBLISHED:
        raise PublishingError("只有已编入目录（已发布）的信息需要评估。")
    with transaction.atomic():
        review = WithheldReview(
            item=item,
            reviewer=by,
            converted=convert,
            comment=comment,
            reviewed_on=today,
            created_at=now,
        )
        review.save()
        CatalogItem.objects.filter(pk=item.pk).update(withheld_reviewed_on=today)
        audit_log(
            "publishing.withheld.reviewed",
            obj=item,
            actor=by,
            now=now,
            message=comment,
            changes={"converted": [None, convert]},
        )
        if convert:
            _republish_with(
                item, by, {"disclosure_mode": DisclosureMode.PROACTIVE, "disclosure_reason": ""},
                now, "publishing.item.converted_to_proactive", comment,
            )  # fmt: skip
    return review
