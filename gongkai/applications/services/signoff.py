"""审签: an optional sign-off of replies, configured per agency, before the notice is issued.

1. ``reply_signoff_configure``: the agency's 信息公开工作机构负责人 switches 审签 on or off.
2. ``reply_draft_submit``: where it is on, the handler's reply becomes a ``ReplyDraft``
   (the form's values and files); no notice yet, the statutory clock keeps running.
3. ``reply_draft_sign``: a 信息公开工作机构负责人 other than the drafter signs it, which issues
   the notice through ``application_reply`` (all its rules apply then; if one refuses, the
   draft stays pending and nothing is lost); or ``reply_draft_return`` sends it back with a
   comment, and the handler drafts again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import APPLICATION_SIGNOFF_ROLES
from gongkai.applications.models import Application, Notice, ReplyDraft, ReplyDraftFile
from gongkai.applications.models import ReplySignoffPolicy as Policy
from gongkai.applications.services.common import (
    ApplicationError,
    _discard_files_on_error,
    _event,
    _guard,
    _locked,
    _store_file,
    _today,
)
from gongkai.applications.services.reply import application_reply
from gongkai.audit.services import audit_log
from gongkai.lib.taxonomy import OUTCOMES_BY_CODE

# The reply form's values a draft keeps (``application_reply`` keyword arguments).
REPLY_PARAMS = (
    "outcome", "reply_text", "legal_basis", "notice_kind", "withheld_ground",
    "responsible_agency_name", "responsible_agency_contact", "service_method", "served_on",
)  # fmt: skip


def reply_signoff_configure(*, agency: Any, by: Any, required: bool) -> Policy:
    """Switch 审签 of replies on or off for ``agency`` (its office head; audited)."""
    if by is None or not (by.roles_in(agency.pk) & APPLICATION_SIGNOFF_ROLES):
        raise ApplicationError("只有本机关的信息公开工作机构负责人可以设置答复审签。")
    with transaction.atomic():
        policy, _ = Policy.objects.select_for_update().get_or_create(agency=agency)
        old = policy.required
        policy.required, policy.updated_by, policy.updated_at = required, by, timezone.now()
        policy.save(update_fields=["required", "updated_by", "updated_at"])
        audit_log(
            "applications.signoff.configured", obj=agency, actor=by,
            changes={"required": [old, required]},
        )  # fmt: skip
    return policy


def pending_draft(app: Application) -> ReplyDraft | None:
    return app.reply_drafts.filter(status=ReplyDraft.Status.PENDING).first()


def reply_draft_submit(
    *, application: Application, by: Any, files: list[Any] | tuple[Any, ...] = (),
    today: dt.date | None = None, **params: Any,
) -> ReplyDraft:  # fmt: skip
    """The handler submits a reply for 审签 (only where the agency requires it)."""
    today = _today(today)
    unknown = set(params) - set(REPLY_PARAMS)
    if unknown:
        raise ApplicationError("答复内容有无法识别的项目。")
    if params.get("outcome") not in OUTCOMES_BY_CODE:
        raise ApplicationError("请选择一个办理结果。")
    if not (params.get("reply_text") or "").strip():
        raise ApplicationError("请填写答复内容。")
    served = params.get("served_on")
    stored = {
        k: (v.isoformat() if isinstance(v, dt.date) else (v or "")) for k, v in params.items()
    }
    stored["served_on"] = served.isoformat() if isinstance(served, dt.date) else ""
    with _discard_files_on_error() as written, transaction.atomic():
        app = _locked(application)
        _guard("submit_reply", by, app)
        draft = ReplyDraft.objects.create(application=app, params=stored, drafted_by=by)
        for f in files:
            row = ReplyDraftFile(
                draft=draft, name=getattr(f, "name", "文件")[:200], size=getattr(f, "size", 0) or 0
            )
            _store_file(row.file, f, written)
            row.save()
        _event(app, "signoff_requested", "答复已提交审签", on=today, actor=by, public=False)
        audit_log("applications.reply.submitted", obj=app, actor=by, message=stored["outcome"])
    return draft


def _decidable(draft: ReplyDraft, by: Any, verb: str) -> tuple[Application, ReplyDraft]:
    """Lock the application and the draft; the table decides (``sign_reply``/``return_reply``:
    the pending draft, the signer's role, not the drafter, the application 办理中)."""
    app = _locked(draft.application)
    locked = ReplyDraft.objects.select_for_update().get(pk=draft.pk)
    if locked.status != ReplyDraft.Status.PENDING:
        raise ApplicationError("没有待审签的答复。")
    _guard(verb, by, app)
    return app, locked


def signoff_refusal(user: Any, app: Application, draft: ReplyDraft | None) -> str | None:
    """Why ``user`` may not sign ``draft`` off (Chinese), or None."""
    if draft is None or draft.status != ReplyDraft.Status.PENDING:
        return "没有待审签的答复。"
    if not (user.roles_in(app.agency_id) & APPLICATION_SIGNOFF_ROLES):
        return "只有本机关的信息公开工作机构负责人可以审签答复。"
    if draft.drafted_by_id == user.pk:
        return "不能审签自己拟写的答复，请由其他负责人审签。"
    return None


def reply_draft_sign(
    *, draft: ReplyDraft, by: Any, comment: str = "", today: dt.date | None = None
) -> Notice:
    """Sign the draft off: the notice is issued now (``application_reply``) by the signer."""
    today = _today(today)
    with transaction.atomic():
        app, locked = _decidable(draft, by, "sign_reply")
        p = dict(locked.params)
        raw = p.pop("served_on", "")
        served = dt.date.fromisoformat(raw) if raw else None
        files = [File(f.file.open("rb"), name=f.name) for f in locked.files.all()]
        try:
            notice = application_reply(
                application=app, by=by, files=files, served_on=served, today=today,
                signoff=locked, **p,
            )  # fmt: skip
        finally:
            for f in files:
                f.close()
        locked.status, locked.decided_by, locked.decided_at = (
            ReplyDraft.Status.SIGNED, by, timezone.now(),
        )  # fmt: skip
        locked.comment = (comment or "").strip()[:2000]
        locked.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        audit_log("applications.reply.signed", obj=app, actor=by, message=locked.comment)
    return notice


def reply_draft_return(
    *, draft: ReplyDraft, by: Any, comment: str, today: dt.date | None = None
) -> ReplyDraft:
    """Send the draft back to the handler with a comment (no notice is issued)."""
    today = _today(today)
    comment = (comment or "").strip()
    if not comment:
        raise ApplicationError("退回时须填写审签意见。")
    with transaction.atomic():
        app, locked = _decidable(draft, by, "return_reply")
        locked.status, locked.decided_by, locked.decided_at = (
            ReplyDraft.Status.RETURNED, by, timezone.now(),
        )  # fmt: skip
        locked.comment = comment[:2000]
        locked.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        _event(app, "signoff_returned", f"答复审签退回：{comment[:200]}", on=today, actor=by,
               public=False)  # fmt: skip
        audit_log("applications.reply.returned", obj=app, actor=by, message=comment)
    return locked
