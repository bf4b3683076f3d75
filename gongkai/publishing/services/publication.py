"""Publication and numbering: index numbers, publishing, scheduling and unscheduling."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_log, diff
from gongkai.numbering.services import counter_next
from gongkai.publishing import integrity, scanner
from gongkai.publishing.models import (
    CONTENT_FIELDS,
    CatalogItem,
    ReviewStage,
    Revision,
)
from gongkai.publishing.services.common import PublishingError
from gongkai.publishing.services.entry import _editable_revision, revision_scan
from gongkai.publishing.services.indexing import _on_commit_sync

# --- 索引号 ----------------------------------------------------------------------------


def index_prefix_period(agency: Any, when: dt.datetime) -> tuple[str, str]:
    """The 前段码 (organisation code or USCC) and the serial period (year or month)."""
    prefix_kind = getattr(settings, "INDEX_NUMBER_PREFIX", "org_code")
    serial_kind = getattr(settings, "INDEX_NUMBER_SERIAL", "YYYY-NNNNN")
    prefix = agency.uscc if prefix_kind == "uscc" else agency.identifier_code
    if not prefix:
        kind = "统一社会信用代码" if prefix_kind == "uscc" else "组织机构代码"
        raise PublishingError(f"{agency.name}没有登记{kind}，无法生成索引号。")
    local = timezone.localtime(when)
    return prefix, local.strftime("%Y%m") if serial_kind == "YYYYMM-NNNNN" else local.strftime("%Y")


def index_number_make(*, agency: Any, when: dt.datetime) -> str:
    """Allocate the next 索引号 of ``agency`` (call inside the publishing transaction).

    Prefix: settings ``INDEX_NUMBER_PREFIX`` = "org_code" (组织机构代码, default) or "uscc".
    Serial: ``INDEX_NUMBER_SERIAL`` = "YYYY-NNNNN" (default, per year) or "YYYYMM-NNNNN"
    (per month); the serial comes from the gap-free counter of that agency and period.
    """
    prefix, period = index_prefix_period(agency, when)
    serial = counter_next(scope="catalog_index", period=period, agency=agency)
    if serial > 99999:
        raise PublishingError("本期索引号流水号已用尽（超过99999）。")
    return f"{prefix}/{period}-{serial:05d}"


def _review_guard(rev: Revision, agency_id: int) -> None:
    """Publish only what the reviews approved: the hash chain and every stage's hash must
    match the content being published (``integrity.verify``)."""
    verdict = integrity.verify(rev, ReviewStage.chain_for(agency_id))
    if not verdict.ok:
        raise PublishingError("审核记录与待发布内容不一致，不能发布：" + "".join(verdict.problems))


def _scan_guard(rev: Revision, now: dt.datetime) -> None:
    findings = revision_scan(revision=rev, now=now)
    if findings and not rev.scan_override_reason:
        kinds = "、".join(dict.fromkeys(f"{f['label']}·{f['source']}" for f in findings))
        raise PublishingError(
            f"保密审查发现{len(findings)}处疑似问题（{kinds}），请修改后再发布，或请审核人员填写理由放行。"
        )


# --- publication ---------------------------------------------------------------------------


def _formation_workdays(formed_on: dt.date, published_on: dt.date) -> int | None:
    try:
        from gongkai.workdays.calendar import CalendarMissingError, workdays_between
    except ImportError:  # pragma: no cover - the calendar app is always installed
        return None
    try:
        return int(workdays_between(formed_on, published_on))
    except CalendarMissingError:
        return None


def _copy_to_item(item: CatalogItem, rev: Revision) -> dict[str, list[Any]]:
    old = {k: getattr(item, k) for k in CONTENT_FIELDS}
    new = {k: getattr(rev, k) for k in CONTENT_FIELDS}
    for k, v in new.items():
        setattr(item, k, v)
    return diff(old, new)


def _publish_locked(item: CatalogItem, rev: Revision, by: Any, now: dt.datetime) -> None:
    """Copy ``rev`` onto the locked ``item`` and make it live (first publication numbers it)."""
    changes = _copy_to_item(item, rev)
    first = not item.index_number
    if first:
        item.index_number = index_number_make(agency=item.agency, when=now)
        item.published_at = now
        item.publish_workdays = _formation_workdays(item.formed_on, timezone.localtime(now).date())
        changes["index_number"] = [None, item.index_number]
    item.status = CatalogItem.Status.PUBLISHED
    item.updated_at = now
    item.save(
        update_fields=[
            *CONTENT_FIELDS,
            "index_number",
            "published_at",
            "publish_workdays",
            "status",
            "updated_at",
        ]
    )
    rev.status, rev.published_at = Revision.Status.PUBLISHED, now
    rev.save(update_fields=["status", "published_at"])
    audit_log(
        "publishing.item.published" if first else "publishing.item.changed",
        obj=item, actor=by, changes=changes, now=now, message=f"第{rev.number}版",
    )  # fmt: skip
    _on_commit_sync(item.pk)


def item_publish(
    *,
    revision: Revision,
    by: Any,
    publish_at: dt.datetime | None = None,
    expire_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> CatalogItem:
    """详细信息录入并发布: publish an approved revision now, or schedule it.

    1. The revision passed every configured stage (APPROVED) and the publisher is its author;
    2. the confidentiality scan has no findings, or a reviewer overrode them;
    3. a future ``publish_at`` schedules it (``catalog_run_schedule`` publishes it then);
       otherwise the 索引号 is allocated and the fields are copied onto the item.
    """
    now = now or timezone.now()
    if expire_at is not None and expire_at <= (publish_at or now):
        raise PublishingError("定时下线时间须晚于发布时间。")
    revision_scan(
        revision=Revision.objects.select_related("item").get(pk=revision.pk), now=now
    )  # committed, so the findings stay visible
    with transaction.atomic():
        rev = (
            Revision.objects.select_for_update(of=("self",))
            .select_related("item")
            .get(pk=revision.pk)
        )
        item = (
            CatalogItem.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=rev.item_id)
        )
        if rev.status != Revision.Status.APPROVED:
            raise PublishingError(
                f"只有终审通过的信息可以发布（当前：{rev.get_status_display()}）。"
            )
        if by.pk != rev.author_id:
            raise PublishingError("详细信息录入并发布由录入人本人完成。")
        if (
            not scanner.html_to_text(rev.body).strip()
            and not item.attachments.filter(removed_at__isnull=True).exists()
        ):
            raise PublishingError("请先录入正文或上传附件再发布。")
        _review_guard(rev, item.agency_id)
        _scan_guard(rev, now)
        item.expire_at = expire_at
        if publish_at is not None and publish_at > now:
            item.status, item.publish_at = CatalogItem.Status.SCHEDULED, publish_at
            item.save(update_fields=["status", "publish_at", "expire_at"])
            audit_log(
                "publishing.item.scheduled", obj=item, actor=by, now=now,
                changes={"publish_at": [None, publish_at], "expire_at": [None, expire_at]},
            )  # fmt: skip
            return item
        item.publish_at = None
        item.save(update_fields=["publish_at", "expire_at"])
        _publish_locked(item, rev, by, now)
    return item


def item_unschedule(*, item: CatalogItem, by: Any, now: dt.datetime | None = None) -> CatalogItem:
    """Cancel a scheduled publication (the approved revision stays, ready to publish)."""
    now = now or timezone.now()
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        if item.status != CatalogItem.Status.SCHEDULED:
            raise PublishingError("这条信息没有设置定时发布。")
        rev = _editable_revision(item)
        if rev is None or rev.author_id != by.pk:
            raise PublishingError("只有录入人本人可以取消定时发布。")
        old = item.publish_at
        item.status, item.publish_at, item.expire_at = CatalogItem.Status.DRAFT, None, None
        item.save(update_fields=["status", "publish_at", "expire_at"])
        audit_log(
            "publishing.item.unscheduled",
            obj=item,
            actor=by,
            now=now,
            changes={"publish_at": [old, None]},
        )
    return item


def catalog_run_schedule(
    *, now: dt.datetime | None = None, dry_run: bool = False
) -> dict[str, int]:
    """Publish scheduled items that are due and take expired items off the portal.

    Idempotent: a published item is not republished and an expired one not re-expired.
    A scheduled item whose scan now has unreleased findings stays scheduled (and audited).
    """
    now = now or timezone.now()
    due = list(
        CatalogItem.objects.filter(
            status=CatalogItem.Status.SCHEDULED, publish_at__lte=now
        ).values_list("pk", flat=True)
    )
    expiring = list(
        CatalogItem.objects.filter(
            status=CatalogItem.Status.PUBLISHED, expire_at__lte=now, expired_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if dry_run:
        return {"published": len(due), "expired": len(expiring), "blocked": 0}
    published = blocked = 0
    for pk in due:
        try:
            with transaction.atomic():
                item = (
                    CatalogItem.objects.select_for_update(of=("self",))
                    .select_related("agency")
                    .get(pk=pk)
                )
                if item.status != CatalogItem.Status.SCHEDULED:
                    continue
                rev = (
                    item.revisions.select_for_update()
                    .filter(status=Revision.Status.APPROVED)
                    .order_by("-number")
                    .first()
                )
                if rev is None:
                    continue
                _review_guard(rev, item.agency_id)
                _scan_guard(rev, now)
                item.publish_at = None
                item.save(update_fields=["publish_at"])
                _publish_locked(item, rev, rev.author, now)
                published += 1
        except PublishingError as exc:
            blocked += 1
            audit_log(
                "publishing.item.schedule_blocked",
                object_type="publishing.catalogitem",
                object_id=str(pk),
                message=str(exc),
            )
    for pk in expiring:
        with transaction.atomic():
            item = CatalogItem.objects.select_for_update().get(pk=pk)
            if item.expired_at is not None:
                continue
            item.expired_at = now
            item.save(update_fields=["expired_at"])
            audit_log(
                "publishing.item.expired", obj=item, now=now, changes={"expired_at": [None, now]}
            )
            _on_commit_sync(item.pk)
    return {"published": published, "expired": len(expiring), "blocked": blocked}
