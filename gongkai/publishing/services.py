"""Writes of the publishing app: entry, review, scan, publication, change/deletion, cleanup.

Every transition has the house shape: guard → ``PublishingError`` (Chinese) → atomic +
``select_for_update`` → ``save(update_fields)`` → ``audit_log`` → search (re)indexing in
``transaction.on_commit``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Set as AbstractSet
from decimal import Decimal
from typing import Any

import nh3
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.audit.services import audit_log, diff
from gongkai.numbering.services import counter_next
from gongkai.publishing import scanner
from gongkai.publishing.models import (
    CONTENT_FIELDS,
    Attachment,
    CatalogItem,
    ChangeAttachment,
    ChangeRequest,
    ChangeStep,
    DisclosureMode,
    Guide,
    Review,
    ReviewStage,
    Revision,
    Topic,
    Validity,
    WithheldReview,
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


# --- search ------------------------------------------------------------------------------


def item_url(item: CatalogItem) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("portal:item", kwargs={"pk": item.pk})
    except NoReverseMatch:
        return f"/xxgk/{item.pk}/"


def search_doc_for(item: CatalogItem) -> Any:
    """The item as a ``SearchDoc``, personal data masked (never indexed in clear)."""
    from gongkai.search.api import SearchDoc

    texts = [item.summary, scanner.html_to_text(item.body)]
    texts += [a.extracted_text for a in item.attachments.all() if a.removed_at is None]
    return SearchDoc(
        key=f"catalog:{item.pk}",
        kind="catalog",
        agency_id=item.agency_id,
        title=scanner.mask_personal(item.title),
        body_text=scanner.mask_personal("\n".join(t for t in texts if t)),
        doc_number=item.doc_number,
        index_number=item.index_number,
        topic_code=item.topic.code if item.topic_id else "",  # type: ignore[union-attr]
        genre=item.genre,
        validity=item.validity,
        published_at=item.published_at,
        url=item_url(item),
    )


def _sync_search(item_ids: list[int]) -> None:
    """Index the public ones of ``item_ids`` and remove the others (after commit)."""
    from gongkai.search import api

    public = list(
        CatalogItem.objects.public()
        .filter(pk__in=item_ids)
        .select_related("topic")
        .prefetch_related("attachments")
    )
    public_ids = {i.pk for i in public}
    if public:
        api.index_documents([search_doc_for(i) for i in public])
    gone = [f"catalog:{pk}" for pk in item_ids if pk not in public_ids]
    if gone:
        api.remove_documents(gone)


def _on_commit_sync(*item_ids: int) -> None:
    ids = list(item_ids)
    transaction.on_commit(lambda: _sync_search(ids))


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


def item_create(
    *, agency: Any, by: Any, fields: dict[str, Any], today: dt.date | None = None
) -> Revision:
    """框架录入: a new (unpublished) item with its first revision, owned by the clerk."""
    _require_role(by, agency.pk, ENTRY_ROLES, "录入信息")
    today = today or timezone.localdate()
    if not fields.get("title"):
        raise PublishingError("名称不能为空。")
    if not fields.get("formed_on"):
        raise PublishingError("生成日期不能为空。")
    fields = _validate_fields(fields, today=today)
    with transaction.atomic():
        item = CatalogItem.objects.create(agency=agency, created_by=by, **fields)
        revision = Revision.objects.create(item=item, number=1, author=by, **fields)
        audit_log(
            "publishing.item.created", obj=item, actor=by, changes={"title": [None, item.title]}
        )
    return revision


def revision_update(
    *, revision: Revision, by: Any, fields: dict[str, Any], today: dt.date | None = None
) -> Revision:
    """Edit a draft, returned or approved revision. After 终审 only the detail fields
    (内容概述、正文、主题词) may change; a change of content clears a scan override."""
    today = today or timezone.localdate()
    with transaction.atomic():
        rev = Revision.objects.select_for_update().get(pk=revision.pk)
        if rev.status == Revision.Status.CHANGE:
            raise PublishingError("变更申请已提交，内容不能再修改；如需修改请驳回后重新申请。")
        if not rev.editable:
            raise PublishingError(f"当前状态（{rev.get_status_display()}）下不能修改。")
        if by.pk != rev.author_id:
            raise PublishingError("只有录入人本人可以修改这条信息。")
        fields = _validate_fields(fields, today=today)
        old = {k: getattr(rev, k) for k in fields}
        changed = {k: v for k, v in fields.items() if old[k] != v}
        if rev.status == Revision.Status.APPROVED:
            frozen = [k for k in changed if k not in DETAIL_FIELDS]
            if frozen:
                labels = "、".join(field_label(k) for k in frozen)
                raise PublishingError(
                    f"终审通过后只能录入正文、内容概述和主题词；{labels}不能再修改。"
                )
        for k, v in changed.items():
            setattr(rev, k, v)
        update = list(changed)
        if changed and (rev.scan_override_reason or rev.scan_findings):
            rev.scan_override_reason, rev.scan_override_by, rev.scan_findings, rev.scanned_at = (
                "",
                None,
                [],
                None,
            )
            update += ["scan_override_reason", "scan_override_by", "scan_findings", "scanned_at"]
        if update:
            rev.save(update_fields=update)
            audit_log("publishing.revision.updated", obj=rev, actor=by, changes=diff(old, fields))
    return rev


def revision_submit(*, revision: Revision, by: Any, now: dt.datetime | None = None) -> Revision:
    """Send a draft (or a returned revision) into the first configured review stage."""
    now = now or timezone.now()
    with transaction.atomic():
        rev = (
            Revision.objects.select_for_update(of=("self",))
            .select_related("item")
            .get(pk=revision.pk)
        )
        if rev.status not in (Revision.Status.DRAFT, Revision.Status.RETURNED):
            raise PublishingError(f"当前状态（{rev.get_status_display()}）下不能提交审核。")
        if by.pk != rev.author_id:
            raise PublishingError("只有录入人本人可以提交审核。")
        chain = ReviewStage.chain_for(rev.item.agency_id)
        old = rev.status
        rev.status = Revision.Status.IN_REVIEW if chain else Revision.Status.APPROVED
        rev.stage = chain[0] if chain else None
        rev.submitted_at = now
        rev.return_comment = ""
        rev.save(update_fields=["status", "stage", "submitted_at", "return_comment"])
        audit_log(
            "publishing.revision.submitted",
            obj=rev,
            actor=by,
            changes={"status": [old, rev.status]},
            now=now,
        )
    return rev


def review_record(
    *, revision: Revision, by: Any, decision: str, comment: str = "", now: dt.datetime | None = None
) -> Review:
    """Record one review decision at the revision's current stage (an immutable row).

    Guards: the revision is in review; the reviewer holds the stage's role in the agency;
    nobody reviews their own entry, and nobody reviews twice in a row (the previous
    approval of this round was not theirs). A return needs a comment and sends the
    revision back to its author; the last approval makes it ready for 详细信息录入并发布.
    """
    now = now or timezone.now()
    comment = (comment or "").strip()
    if decision not in Review.Decision.values:
        raise PublishingError("审核结论无效。")
    with transaction.atomic():
        rev = (
            Revision.objects.select_for_update(of=("self",))
            .select_related("item", "stage")
            .get(pk=revision.pk)
        )
        if rev.status != Revision.Status.IN_REVIEW or rev.stage is None:
            raise PublishingError(f"这条信息当前不在审核中（{rev.get_status_display()}）。")
        stage = rev.stage
        if stage.role not in _roles(by, rev.item.agency_id):
            raise PublishingError(f"“{stage.name}”须由本机关的{Role(stage.role).label}审核。")
        if by.pk == rev.author_id:
            raise PublishingError("不能审核自己录入的信息。")
        last = (
            rev.reviews.filter(created_at__gte=rev.submitted_at)
            .order_by("-created_at", "-id")
            .first()
        )
        if last is not None and last.reviewer_id == by.pk:
            raise PublishingError("同一人不能连续审核两个环节，请由其他人员审核。")
        if decision == Review.Decision.RETURN and not comment:
            raise PublishingError("退回时须填写退回意见。")
        review = Review(
            revision=rev, stage=stage, stage_name=stage.name, reviewer=by,
            decision=decision, comment=comment, created_at=now,
        )  # fmt: skip
        review.save()
        old = rev.status
        if decision == Review.Decision.RETURN:
            rev.status, rev.stage, rev.return_comment = Revision.Status.RETURNED, None, comment
        else:
            chain = ReviewStage.chain_for(rev.item.agency_id)
            later = [s for s in chain if s.order > stage.order]
            rev.stage = later[0] if later else None
            rev.status = Revision.Status.IN_REVIEW if later else Revision.Status.APPROVED
        rev.save(update_fields=["status", "stage", "return_comment"])
        audit_log(
            f"publishing.review.{decision}", obj=rev, actor=by, now=now,
            changes={"status": [old, rev.status], "stage": [stage.name, rev.stage.name if rev.stage else None]},
            message=comment,
        )  # fmt: skip
    return review


# --- confidentiality scan ------------------------------------------------------------------


def revision_scan(*, revision: Revision, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Scan the revision's text and its item's attachments; store and return the findings."""
    now = now or timezone.now()
    findings = []
    for field in ("title", "summary", "keywords", "doc_number"):
        findings += scanner.scan_text(getattr(revision, field), source=field_label(field))
    findings += scanner.scan_text(scanner.html_to_text(revision.body), source="正文")
    attachments: list[Any] = list(revision.item.attachments.filter(removed_at__isnull=True))
    cr = ChangeRequest.objects.filter(revision_id=revision.pk).first()
    if cr is not None:  # a change revision: the attachments as they will be after execution
        attachments = [a for a in attachments if a.pk not in cr.remove_attachment_ids]
        attachments += list(cr.new_attachments.all())
    for att in attachments:
        findings += scanner.scan_text(att.extracted_text, source=f"附件《{att.original_name}》")
    result = [f.as_dict() for f in findings]
    Revision.objects.filter(pk=revision.pk).update(scan_findings=result, scanned_at=now)
    revision.scan_findings, revision.scanned_at = result, now
    return result


def scan_override(
    *, revision: Revision, by: Any, reason: str, now: dt.datetime | None = None
) -> Revision:
    """A reviewer releases the scan findings with a written reason (audited)."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise PublishingError("请写明放行理由（至少4个字）。")
    with transaction.atomic():
        rev = (
            Revision.objects.select_for_update(of=("self",))
            .select_related("item")
            .get(pk=revision.pk)
        )
        roles = _roles(by, rev.item.agency_id)
        if not roles & (REVIEWER_ROLES | {Role.GUIDANCE}):
            raise PublishingError("只有校对员、分管领导或指导科可以放行保密审查发现。")
        if by.pk == rev.author_id:
            raise PublishingError("不能放行自己录入的信息。")
        if rev.status not in (
            Revision.Status.APPROVED,
            Revision.Status.CHANGE,
            Revision.Status.IN_REVIEW,
        ):
            raise PublishingError("只有审核中、待发布或变更中的信息可以放行。")
        findings = revision_scan(revision=rev, now=now)
        if not findings:
            raise PublishingError("没有需要放行的保密审查发现。")
        rev.scan_override_reason, rev.scan_override_by = reason, by
        rev.save(update_fields=["scan_override_reason", "scan_override_by"])
        audit_log(
            "publishing.scan.overridden", obj=rev, actor=by, message=reason, now=now,
            changes={"findings": [None, [f"{f['label']} {f['match']}" for f in findings]]},
        )  # fmt: skip
    return rev


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


# --- attachments ---------------------------------------------------------------------------


def _editable_revision(item: CatalogItem) -> Revision | None:
    return (
        item.revisions.filter(
            status__in=[Revision.Status.DRAFT, Revision.Status.RETURNED, Revision.Status.APPROVED]
        )
        .order_by("-number")
        .first()
    )


def attachment_add(
    *, item: CatalogItem, by: Any, name: str, data: bytes, now: dt.datetime | None = None
) -> Attachment:
    """Attach a checked file (type sniffed, size limited) to an item being entered."""
    now = now or timezone.now()
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    try:
        content_type = scanner.check_upload(name, data)
    except scanner.UploadError as exc:
        raise PublishingError(str(exc)) from exc
    rev = _editable_revision(item)
    if rev is None or rev.author_id != by.pk:
        raise PublishingError("只有录入人可以在录入或详细信息录入阶段上传附件。")
    digest = scanner.sha256_hex(data)
    with transaction.atomic():
        CatalogItem.objects.select_for_update().get(pk=item.pk)
        att = Attachment(
            item=item, original_name=name, size=len(data), sha256=digest, content_type=content_type,
            extracted_text=scanner.extract_text(name, data), uploaded_at=now, uploaded_by=by,
        )  # fmt: skip
        att.file.save(name, ContentFile(data), save=False)
        att.save()
        Revision.objects.filter(pk=rev.pk).update(
            scan_findings=[], scanned_at=None, scan_override_reason="", scan_override_by=None
        )
        audit_log(
            "publishing.attachment.added",
            obj=item,
            actor=by,
            now=now,
            changes={"attachment": [None, name]},
            message=digest,
        )
    return att


def attachment_remove(*, attachment: Attachment, by: Any, now: dt.datetime | None = None) -> None:
    """Take an attachment off an item being entered (the file stays for the record)."""
    now = now or timezone.now()
    rev = _editable_revision(attachment.item)
    if rev is None or rev.author_id != by.pk:
        raise PublishingError("只有录入人可以在录入阶段移除附件。")
    if attachment.item.status == CatalogItem.Status.PUBLISHED:
        raise PublishingError("已发布信息的附件须通过变更申请修改。")
    with transaction.atomic():
        Attachment.objects.filter(pk=attachment.pk).update(removed_at=now)
        audit_log(
            "publishing.attachment.removed",
            obj=attachment.item,
            actor=by,
            now=now,
            changes={"attachment": [attachment.original_name, None]},
        )


# --- change and deletion -------------------------------------------------------------------

CHANGE_FLOW = {
    ChangeRequest.Status.SUBMITTED: (
        ChangeStep.Step.APPROVE,
        Role.APPROVER,
        ChangeRequest.Status.APPROVED,
    ),
    ChangeRequest.Status.APPROVED: (
        ChangeStep.Step.REVIEW,
        Role.GUIDANCE,
        ChangeRequest.Status.REVIEWED,
    ),
    ChangeRequest.Status.REVIEWED: (
        ChangeStep.Step.EXECUTE,
        Role.NETWORK,
        ChangeRequest.Status.EXECUTED,
    ),
    ChangeRequest.Status.EXECUTED: (
        ChangeStep.Step.VERIFY,
        Role.DEPT_HEAD,
        ChangeRequest.Status.VERIFIED,
    ),
}


def change_request_create(
    *, item: CatalogItem, by: Any, kind: str, reason: str, fields: dict[str, Any] | None = None,
    add_files: list[tuple[str, bytes]] | None = None, remove_attachment_ids: list[int] | None = None,
    now: dt.datetime | None = None,
) -> ChangeRequest:  # fmt: skip
    """部门填写《申请书》: request a change (with the proposed new content, files to add and
    attachments to remove) or a deletion."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    add_files = add_files or [] if kind == ChangeRequest.Kind.CHANGE else []
    remove_ids = (
        sorted(set(remove_attachment_ids or [])) if kind == ChangeRequest.Kind.CHANGE else []
    )
    checked = []
    for name, data in add_files:
        name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
        try:
            checked.append((name, data, scanner.check_upload(name, data)))
        except scanner.UploadError as exc:
            raise PublishingError(str(exc)) from exc
    if kind not in ChangeRequest.Kind.values:
        raise PublishingError("申请类型无效。")
    if len(reason) < 4:
        raise PublishingError("请在申请书中写明理由（至少4个字）。")
    _require_role(by, item.agency_id, CHANGE_REQUEST_ROLES, "提交变更或删除申请")
    with transaction.atomic():
        item = CatalogItem.objects.select_for_update().get(pk=item.pk)
        if item.status != CatalogItem.Status.PUBLISHED:
            raise PublishingError("只有已发布的信息可以申请变更或删除。")
        if item.change_requests.open().exists():
            raise PublishingError("这条信息已有办理中的变更或删除申请。")
        revision = None
        if kind == ChangeRequest.Kind.CHANGE:
            proposed = {k: getattr(item, k) for k in CONTENT_FIELDS}
            proposed.update(_validate_fields(fields or {}, today=timezone.localdate(now)))
            live = set(
                item.attachments.filter(removed_at__isnull=True).values_list("pk", flat=True)
            )
            if set(remove_ids) - live:
                raise PublishingError("申请移除的附件不属于这条信息。")
            unchanged = all(proposed[k] == getattr(item, k) for k in CONTENT_FIELDS)
            if unchanged and not checked and not remove_ids:
                raise PublishingError("申请变更的内容与现有内容相同。")
            number = (
                item.revisions.order_by("-number").values_list("number", flat=True).first() or 0
            ) + 1
            revision = Revision.objects.create(
                item=item,
                number=number,
                author=by,
                status=Revision.Status.CHANGE,
                created_at=now,
                **proposed,
            )
        cr = ChangeRequest.objects.create(
            item=item, kind=kind, reason=reason, revision=revision, requested_by=by, created_at=now,
            remove_attachment_ids=remove_ids,
        )  # fmt: skip
        for name, data, content_type in checked:
            att = ChangeAttachment(
                request=cr, original_name=name, size=len(data), sha256=scanner.sha256_hex(data),
                content_type=content_type, extracted_text=scanner.extract_text(name, data), uploaded_at=now,
            )  # fmt: skip
            att.file.save(name, ContentFile(data), save=False)
            att.save()
        ChangeStep(
            request=cr, step=ChangeStep.Step.SUBMIT, actor=by, comment=reason, created_at=now
        ).save()
        audit_log(f"publishing.change.{kind}.submitted", obj=cr, actor=by, now=now, message=reason,
                  changes=diff({k: getattr(item, k) for k in CONTENT_FIELDS}, {k: getattr(revision, k) for k in CONTENT_FIELDS}) if revision else {})  # fmt: skip
    return cr


def change_request_step(
    *,
    request: ChangeRequest,
    by: Any,
    accept: bool,
    comment: str = "",
    now: dt.datetime | None = None,
) -> ChangeRequest:
    """One step of the five-step flow; the role needed follows the request's status.

    分管领导 approves → 指导科 reviews → 网管科 executes (a change publishes the new revision,
    a deletion withdraws the item from portal and search) → 部门负责人 verifies. A refusal
    needs a comment and closes the request (a change revision is kept as 未采用).
    """
    now = now or timezone.now()
    comment = (comment or "").strip()
    if request.revision_id and request.status == ChangeRequest.Status.REVIEWED:
        revision_scan(
            revision=Revision.objects.select_related("item").get(pk=request.revision_id), now=now
        )  # committed, so the findings stay visible
    with transaction.atomic():
        cr = (
            ChangeRequest.objects.select_for_update(of=("self",))
            .select_related("item", "revision")
            .get(pk=request.pk)
        )
        if cr.status not in CHANGE_FLOW:
            raise PublishingError(f"该申请已办结（{cr.get_status_display()}）。")
        step, role, next_status = CHANGE_FLOW[ChangeRequest.Status(cr.status)]
        if role not in _roles(by, cr.item.agency_id):
            raise PublishingError(f"“{ChangeStep.Step(step).label}”须由{Role(role).label}办理。")
        if by.pk == cr.requested_by_id and step != ChangeStep.Step.VERIFY:
            raise PublishingError("申请人不能审批自己的申请。")
        if cr.steps.filter(actor=by).exclude(step=ChangeStep.Step.SUBMIT).exists():
            raise PublishingError("同一人不能办理同一申请的两个步骤。")
        if not accept and not comment:
            raise PublishingError("不同意时须填写意见。")
        if not accept and step == ChangeStep.Step.VERIFY:
            raise PublishingError("变更已执行，校核不通过请另行提交变更申请并在意见中说明。")
        ChangeStep(
            request=cr, step=step, accepted=accept, actor=by, comment=comment, created_at=now
        ).save()
        old = cr.status
        if not accept:
            cr.status, cr.closed_at = ChangeRequest.Status.REFUSED, now
            if cr.revision is not None:
                Revision.objects.filter(pk=cr.revision.pk).update(status=Revision.Status.DISCARDED)
        else:
            cr.status = next_status
            if step == ChangeStep.Step.EXECUTE:
                _execute_change(cr, by, now, comment)
            if next_status == ChangeRequest.Status.VERIFIED:
                cr.closed_at = now
        cr.save(update_fields=["status", "closed_at"])
        audit_log(
            f"publishing.change.{cr.kind}.{step}" + ("" if accept else ".refused"),
            obj=cr, actor=by, now=now, message=comment, changes={"status": [old, cr.status]},
        )  # fmt: skip
    return cr


def _execute_change(cr: ChangeRequest, by: Any, now: dt.datetime, comment: str) -> None:
    item = (
        CatalogItem.objects.select_for_update(of=("self",))
        .select_related("agency")
        .get(pk=cr.item_id)
    )
    if cr.kind == ChangeRequest.Kind.DELETE:
        item.status, item.withdrawn_at, item.withdrawal_reason = (
            CatalogItem.Status.WITHDRAWN,
            now,
            cr.reason,
        )
        item.save(update_fields=["status", "withdrawn_at", "withdrawal_reason"])
        audit_log("publishing.item.withdrawn", obj=item, actor=by, now=now, message=cr.reason,
                  changes={"status": [CatalogItem.Status.PUBLISHED, item.status]})  # fmt: skip
        _on_commit_sync(item.pk)
        return
    rev = Revision.objects.select_for_update().get(pk=cr.revision.pk)  # type: ignore[union-attr]
    _scan_guard(rev, now)
    for new in cr.new_attachments.all():
        Attachment.objects.create(
            item=item, file=new.file.name, original_name=new.original_name, size=new.size,
            sha256=new.sha256, content_type=new.content_type, extracted_text=new.extracted_text,
            uploaded_at=now, uploaded_by=cr.requested_by,
        )  # fmt: skip
    if cr.remove_attachment_ids:
        item.attachments.filter(pk__in=cr.remove_attachment_ids).update(removed_at=now)
    _publish_locked(item, rev, by, now)


# --- cleanup, Art 18 and Art 44 ------------------------------------------------------------


def _republish_with(
    item: CatalogItem, by: Any, changes: dict[str, Any], now: dt.datetime, action: str, message: str
) -> CatalogItem:
    """Make a new revision of a published item with ``changes`` and copy it on (the earlier
    revisions stay as history)."""
    item = (
        CatalogItem.objects.select_for_update(of=("self",)).select_related("agency").get(pk=item.pk)
    )
    if item.status != CatalogItem.Status.PUBLISHED:
        raise PublishingError("只有已发布（已编入目录）的信息可以这样修改。")
    old = {k: getattr(item, k) for k in changes}
    fields = {k: getattr(item, k) for k in CONTENT_FIELDS}
    fields.update(changes)
    number = (item.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    rev = Revision.objects.create(
        item=item,
        number=number,
        author=by,
        status=Revision.Status.APPROVED,
        created_at=now,
        **fields,
    )
    _publish_locked(item, rev, by, now)
    audit_log(action, obj=item, actor=by, now=now, changes=diff(old, changes), message=message)
    return item


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


# --- guide ---------------------------------------------------------------------------------

GUIDE_FIELDS = [
    "classification", "arrangement", "access_methods", "office_name", "office_address", "office_hours",
    "office_phone", "office_fax", "office_internet", "office_postcode", "other",
]  # fmt: skip
GUIDE_ROLES = {Role.OFFICE_HEAD, Role.DEPT_HEAD, Role.CLERK, Role.GUIDANCE}


def can_edit_guide(user: Any, agency: Any) -> bool:
    return bool(getattr(user, "is_system_admin", False) or _roles(user, agency.pk) & GUIDE_ROLES)


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
    return guide
