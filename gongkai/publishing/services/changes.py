"""Change and deletion requests on published items (变更/删除申请)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_log, diff
from gongkai.publishing import integrity, scanner
from gongkai.publishing.flows import CHANGE_FLOW, can_amend, change_step_refusal
from gongkai.publishing.models import (
    CONTENT_FIELDS,
    Attachment,
    CatalogItem,
    ChangeAttachment,
    ChangeRequest,
    ChangeStep,
    Revision,
)
from gongkai.publishing.services.common import (
    CHANGE_REQUEST_ROLES,
    PublishingError,
    _require_role,
    _validate_fields,
)
from gongkai.publishing.services.entry import revision_scan
from gongkai.publishing.services.indexing import _on_commit_sync
from gongkai.publishing.services.publication import _publish_locked, _scan_guard

# --- change and deletion -------------------------------------------------------------------


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
        _record_step(cr, step=ChangeStep.Step.SUBMIT, by=by, comment=reason, now=now)
        audit_log(f"publishing.change.{kind}.submitted", obj=cr, actor=by, now=now, message=reason,
                  changes=diff({k: getattr(item, k) for k in CONTENT_FIELDS}, {k: getattr(revision, k) for k in CONTENT_FIELDS}) if revision else {})  # fmt: skip
    return cr


def _record_step(
    cr: ChangeRequest, *, step: str, by: Any, comment: str, now: dt.datetime,
    accepted: bool = True, snap: dict[str, Any] | None = None,
) -> ChangeStep:  # fmt: skip
    """Write one immutable step bound to the request's current content (``integrity``),
    chained to the previous step (inside the caller's transaction, ``cr`` locked)."""
    if snap is None:
        snap = integrity.change_snapshot(cr, proposed=cr.status in integrity.PRE_EXECUTION)
    previous = cr.steps.order_by("-id").values_list("chain_hash", flat=True).first()
    row = ChangeStep(
        request=cr, step=step, accepted=accepted, actor=by, comment=comment, created_at=now
    )
    integrity.bind_step(row, previous=previous or "", snap=snap)
    row.save()
    return row


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

    Every step records the hash of what it acts on. An approval (and above all the
    execution) is refused — and the refusal audited — unless the steps of the current round
    carry the hash of the current 申请书 and published content (``integrity.verify_change``):
    a proposal changed behind the service's back is never executed.
    """
    now = now or timezone.now()
    comment = (comment or "").strip()
    if request.revision_id and request.status == ChangeRequest.Status.REVIEWED:
        revision_scan(
            revision=Revision.objects.select_related("item").get(pk=request.revision_id), now=now
        )  # committed, so the findings stay visible
    blocked = ""
    with transaction.atomic():
        cr = (
            ChangeRequest.objects.select_for_update(of=("self",))
            .select_related("item", "revision")
            .get(pk=request.pk)
        )
        refusal = change_step_refusal(by, cr, accept=accept)  # the CHANGE_WORKFLOW table
        if refusal:
            raise PublishingError(refusal)
        step, _role, next_status = CHANGE_FLOW[cr.status]
        if not accept and not comment:
            raise PublishingError("不同意时须填写意见。")
        if accept:
            pre = cr.status in integrity.PRE_EXECUTION
            verdict = integrity.verify_change(cr, content=pre)
            if not verdict.ok:
                what = "执行" if step == ChangeStep.Step.EXECUTE else "办理"
                blocked = f"办理记录与当前内容不一致，不能{what}：" + "".join(verdict.problems)
                if pre:
                    blocked += "请申请人修改申请书后重新报批，或驳回申请。"
                audit_log(
                    f"publishing.change.{cr.kind}.blocked", obj=cr, actor=by, now=now,
                    message=blocked, changes={"status": [cr.status, cr.status]},
                )  # fmt: skip
        if not blocked:
            _take_step(cr, step=step, next_status=next_status, by=by, accept=accept,
                       comment=comment, now=now)  # fmt: skip
    if blocked:  # the audit entry is committed; the step is not taken
        raise PublishingError(blocked)
    return cr


def _take_step(
    cr: ChangeRequest, *, step: str, next_status: str, by: Any, accept: bool, comment: str,
    now: dt.datetime,
) -> None:  # fmt: skip
    _record_step(cr, step=step, by=by, comment=comment, now=now, accepted=accept)
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


def change_request_amend(
    *, request: ChangeRequest, by: Any, reason: str, fields: dict[str, Any] | None = None,
    add_files: list[tuple[str, bytes]] | None = None, remove_attachment_ids: list[int] | None = None,
    now: dt.datetime | None = None,
) -> ChangeRequest:  # fmt: skip
    """申请人修改申请书 before execution: new reason, proposed content, files to add and
    attachments to remove (a deletion request: the reason only).

    The approvals so far no longer cover the request: it goes back to 分管领导审批 (the first
    step; every step approves the whole 申请书), with an ``amend`` step bound to the new
    content, and the approvers see what changed (``integrity.change_diff``).
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise PublishingError("请在申请书中写明理由（至少4个字）。")
    checked = []
    for name, data in add_files or []:
        name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
        try:
            checked.append((name, data, scanner.check_upload(name, data)))
        except scanner.UploadError as exc:
            raise PublishingError(str(exc)) from exc
    with transaction.atomic():
        cr = (
            ChangeRequest.objects.select_for_update(of=("self",))
            .select_related("item", "revision")
            .get(pk=request.pk)
        )
        if not can_amend(by, cr):  # the CHANGE_WORKFLOW table
            if cr.status not in integrity.PRE_EXECUTION:
                raise PublishingError(f"该申请当前不能修改（{cr.get_status_display()}）。")
            raise PublishingError("只有申请人本人可以修改申请书。")
        item = CatalogItem.objects.select_for_update().get(pk=cr.item_id)
        before = integrity.change_snapshot(cr)
        old_reason = cr.reason
        changes: dict[str, list[Any]] = {}
        cr.reason = reason
        update = ["reason"]
        if cr.kind == ChangeRequest.Kind.CHANGE and cr.revision is not None:
            rev = Revision.objects.select_for_update().get(pk=cr.revision.pk)
            proposed = {k: getattr(rev, k) for k in CONTENT_FIELDS}
            proposed.update(_validate_fields(fields or {}, today=timezone.localdate(now)))
            remove_ids = (  # None keeps the request's list; the form sends its full state
                sorted(set(remove_attachment_ids))
                if remove_attachment_ids is not None
                else list(cr.remove_attachment_ids)
            )
            live = set(
                item.attachments.filter(removed_at__isnull=True).values_list("pk", flat=True)
            )
            if set(remove_ids) - live:
                raise PublishingError("申请移除的附件不属于这条信息。")
            changed = [k for k in CONTENT_FIELDS if proposed[k] != getattr(rev, k)]
            changes = diff({k: getattr(rev, k) for k in changed}, {k: proposed[k] for k in changed})
            for k in changed:
                setattr(rev, k, proposed[k])
            rev_update = list(changed)
            if changed or checked or remove_ids != cr.remove_attachment_ids:
                rev.scan_findings, rev.scan_override_reason, rev.scan_override_by = [], "", None
                rev.scanned_at = None
                rev_update += ["scan_findings", "scan_override_reason", "scan_override_by", "scanned_at"]  # fmt: skip
            if rev_update:
                rev.save(update_fields=rev_update)
            cr.revision = rev
            if remove_ids != cr.remove_attachment_ids:
                changes["remove_attachment_ids"] = [cr.remove_attachment_ids, remove_ids]
                cr.remove_attachment_ids = remove_ids
                update.append("remove_attachment_ids")
        cr.save(update_fields=update)
        for name, data, content_type in checked:
            att = ChangeAttachment(
                request=cr, original_name=name, size=len(data), sha256=scanner.sha256_hex(data),
                content_type=content_type, extracted_text=scanner.extract_text(name, data), uploaded_at=now,
            )  # fmt: skip
            att.file.save(name, ContentFile(data), save=False)
            att.save()
            changes.setdefault("new_attachments", [None, []])[1].append(name)
        after = integrity.change_snapshot(cr)
        if after == before:
            raise PublishingError("申请书没有改动。")
        if after["proposed"] is not None and after["proposed"] == after["published"]:
            raise PublishingError("申请变更的内容与现有内容相同。")
        if old_reason != reason:
            changes["reason"] = [old_reason, reason]
        old = cr.status
        cr.status = ChangeRequest.Status.SUBMITTED
        cr.save(update_fields=["status"])
        _record_step(cr, step=ChangeStep.Step.AMEND, by=by, comment=reason, now=now, snap=after)
        back = (
            ""
            if old == ChangeRequest.Status.SUBMITTED
            else "，此前的审批不再有效，退回分管领导审批"
        )
        audit_log(
            f"publishing.change.{cr.kind}.amended", obj=cr, actor=by, now=now,
            changes={**changes, "status": [old, cr.status]}, message=f"修改申请书{back}",
        )  # fmt: skip
    return cr


def change_requests_reopen(*, item: CatalogItem, by: Any, why: str, now: dt.datetime) -> int:
    """After the published content of ``item`` changed by another path (inside the caller's
    transaction): every open request not yet executed whose steps no longer cover the
    published content goes back to 分管领导审批, with a ``reopen`` step bound to the new
    content. Returns how many were sent back."""
    count = 0
    for cr in (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("item", "revision")
        .filter(item_id=item.pk, status__in=integrity.PRE_EXECUTION)
        .order_by("id")
    ):
        if cr.binding == ChangeRequest.Binding.LEGACY or integrity.verify_change(cr).ok:
            continue
        old = cr.status
        cr.status = ChangeRequest.Status.SUBMITTED
        cr.save(update_fields=["status"])
        _record_step(cr, step=ChangeStep.Step.REOPEN, by=by, comment=why, now=now)
        audit_log(
            f"publishing.change.{cr.kind}.reopened", obj=cr, actor=by, now=now,
            changes={"status": [old, cr.status]}, message=f"{why}，已发布内容变化，退回分管领导审批",
        )  # fmt: skip
        count += 1
    return count


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
    change_requests_reopen(item=item, by=by, why=message or "信息内容已更新", now=now)
    return item
