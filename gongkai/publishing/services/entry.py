"""Entry and staged review: items, revisions (edit, submit, review, scan) and attachments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.audit.services import audit_log, diff
from gongkai.publishing import flows, integrity, scanner
from gongkai.publishing.models import (
    Attachment,
    CatalogItem,
    ChangeRequest,
    Review,
    ReviewStage,
    Revision,
)
from gongkai.publishing.services.common import (
    DETAIL_FIELDS,
    ENTRY_ROLES,
    REVIEWER_ROLES,
    PublishingError,
    _require_role,
    _roles,
    _validate_fields,
    field_label,
)


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
            if rev.status == Revision.Status.APPROVED:
                _reopen_if_changed(rev, by=by, why="详细信息录入修改了内容")
    return rev


def _reopen_if_changed(rev: Revision, *, by: Any, why: str, now: dt.datetime | None = None) -> None:
    """After an edit of an approved revision (inside the caller's transaction, ``rev``
    locked): if its reviews no longer cover the content, send it back to the first stage
    whose approval is void (``integrity.verify``), and cancel a scheduled publication."""
    now = now or timezone.now()
    item = CatalogItem.objects.select_for_update().get(pk=rev.item_id)
    verdict = integrity.verify(rev, ReviewStage.chain_for(item.agency_id))
    if verdict.ok or verdict.stage is None:
        return
    rev.status, rev.stage, rev.submitted_at = Revision.Status.IN_REVIEW, verdict.stage, now
    rev.save(update_fields=["status", "stage", "submitted_at"])
    if item.status == CatalogItem.Status.SCHEDULED:
        item.status, item.publish_at, item.expire_at = CatalogItem.Status.DRAFT, None, None
        item.save(update_fields=["status", "publish_at", "expire_at"])
    audit_log(
        "publishing.revision.reopened", obj=rev, actor=by, now=now,
        changes={"status": [Revision.Status.APPROVED, rev.status], "stage": [None, verdict.stage.name]},
        message=f"{why}，退回“{verdict.stage.name}”重新审核",
    )  # fmt: skip


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
        refusal = flows.review_refusal(by, rev)  # the REVISION_WORKFLOW table's predicate
        if refusal or rev.stage is None:
            raise PublishingError(refusal or "这条信息当前不在审核中。")
        stage = rev.stage
        if decision == Review.Decision.RETURN and not comment:
            raise PublishingError("退回时须填写退回意见。")
        snap = integrity.snapshot(rev)
        previous = rev.reviews.order_by("-id").values_list("chain_hash", flat=True).first()
        review = Review(
            revision=rev, stage=stage, stage_name=stage.name, reviewer=by,
            decision=decision, comment=comment, created_at=now, content=snap,
            content_hash=integrity.content_hash(snap), frame_hash=integrity.frame_hash(snap),
        )  # fmt: skip
        review.chain_hash = integrity.chain_hash(previous=previous or "", review=review)
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
        if rev.status == Revision.Status.APPROVED:
            locked = Revision.objects.select_for_update().get(pk=rev.pk)
            _reopen_if_changed(locked, by=by, why=f"终审后上传了附件“{name}”", now=now)
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
        if rev.status == Revision.Status.APPROVED:
            locked = Revision.objects.select_for_update().get(pk=rev.pk)
            why = f"终审后移除了附件“{attachment.original_name}”"
            _reopen_if_changed(locked, by=by, why=why, now=now)
