"""留言办理 (政务咨询): submit → route (指导科) → answer (agency) → review → publish.

Deadline: the answer is due ``answer_workdays()`` working days after the receipt date (the
day of submission), computed with the workdays engine; a re-route keeps the deadline (the
citizen's clock does not restart because the office first chose the wrong agency).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import audit_log
from gongkai.interaction.models import Question, QuestionEvent, answer_workdays
from gongkai.interaction.services.common import (
    NON_VIEWER_ROLES,
    REVIEW_ROLES,
    InteractionError,
    clean_text,
    findings_message,
    is_coordinator,
    locked,
    now_of,
    require_roles,
    scan_for_publication,
    today_of,
)
from gongkai.numbering.services import counter_next

S = Question.Status
NUMBER_RE = re.compile(r"LY-\d{4}-\d{5,6}")
# personal-data kinds that are masked on the public page (the rest block publication)
MASKED_KINDS = {"id_number", "mobile", "bank_card", "email"}


def _event(q: Question, kind: str, text: str, *, by: Any = None, public: bool = True) -> None:
    QuestionEvent.objects.create(
        question=q,
        kind=kind,
        text=text[:300],
        public=public,
        actor=by if getattr(by, "is_authenticated", False) else None,
    )


def due_date(received_on: dt.date) -> tuple[dt.date | None, str]:
    """(deadline, error): ``answer_workdays()`` working days after ``received_on``."""
    from gongkai.workdays.calendar import CalendarMissingError, add_workdays

    try:
        return add_workdays(received_on, answer_workdays()), ""
    except CalendarMissingError as exc:
        return None, f"工作日历缺少{exc}年的数据，无法计算答复期限。"


def question_submit(
    *,
    data: dict[str, Any],
    suggested_agency: Any = None,
    now: dt.datetime | None = None,
) -> tuple[Question, str]:
    """A citizen submits a 留言 on the portal. Returns (question, query code).

    1. Validate the fields (Chinese messages); 2. allocate the gap-free number
    ``LY-<year>-<serial>`` and a query code (stored only as a keyed hash); 3. the receipt
    date is today and the deadline is computed; 4. status 待分办 (the coordination office
    routes it); 5. audited.
    """
    from gongkai.applications.services.common import hash_query_code, new_query_code

    now = now_of(now)
    today = timezone.localtime(now).date()
    name = clean_text(data.get("name"), what="姓名", max_length=50)
    contact = clean_text(data.get("contact"), what="联系方式", max_length=100)
    title = clean_text(data.get("title"), what="留言标题", max_length=100)
    body = clean_text(data.get("body"), what="留言内容", max_length=3000)
    kind = data.get("kind") or Question.Kind.CONSULT
    if kind not in Question.Kind.values:
        raise InteractionError("请选择留言类别。")
    due_on, due_error = due_date(today)
    with transaction.atomic():
        serial = counter_next(scope="question", period=str(today.year))
        number = f"LY-{today.year}-{serial:05d}"
        code = new_query_code()
        q = Question.objects.create(
            year=today.year,
            serial=serial,
            number=number,
            query_code_hash=hash_query_code(number, code),
            kind=kind,
            suggested_agency=suggested_agency,
            name=name,
            contact=contact,
            title=title,
            body=body,
            may_publish=bool(data.get("may_publish")),
            submitted_at=now,
            received_on=today,
            due_on=due_on,
            due_error=due_error,
        )
        _event(q, "submitted", "留言已提交，等待分办")
        audit_log("interaction.question.submitted", obj=q, message="网上留言提交")
    return q, code


def question_check_code(number: str, code: str) -> Question | None:
    """The 留言 ``number`` if ``code`` matches (constant time; a missing number costs the same)."""
    from gongkai.applications.services.common import hash_query_code

    number = (number or "").strip().upper()
    if not NUMBER_RE.fullmatch(number):
        number = ""
    q = Question.objects.filter(number=number).select_related("agency").first() if number else None
    expected = q.query_code_hash if q else "0" * 64
    ok = hmac.compare_digest(expected, hash_query_code(q.number if q else "x", code))
    return q if ok and q is not None else None


def question_route(*, question: Question, agency: Any, by: Any, comment: str = "") -> Question:
    """The coordination office (指导科) routes a 留言 to an agency, or re-routes it.

    Allowed from 待分办 and 办理中 (re-route); the deadline is kept."""
    if not is_coordinator(by, agency.pk):
        raise InteractionError("只有协调办指导科可以分办留言（且只能分办给本地区的部门）。")
    comment = clean_text(comment, what="分办说明", max_length=300, required=False)
    with transaction.atomic():
        q = locked(question)
        if q.status not in (S.SUBMITTED, S.ASSIGNED):
            raise InteractionError(
                f"留言{q.number}当前状态为“{q.get_status_display()}”，不能分办。"
            )
        if q.status == S.ASSIGNED and q.agency_id == agency.pk:
            raise InteractionError("该留言已由此部门办理。")
        old = q.agency_id
        rerouted = q.status == S.ASSIGNED
        q.agency = agency
        q.status = S.ASSIGNED
        q.routed_at = timezone.now()
        q.save(update_fields=["agency", "status", "routed_at"])
        _event(q, "routed", f"转{agency.name}办理" + (f"（{comment}）" if comment else ""), by=by)
        audit_log(
            "interaction.question.rerouted" if rerouted else "interaction.question.routed",
            obj=q,
            actor=by,
            changes={"agency": [old, agency.pk]},
            message=comment,
        )
    return q


def question_return(*, question: Question, by: Any, reason: str) -> Question:
    """The agency hands a misrouted 留言 back to the coordination office (办理中 → 待分办)."""
    reason = clean_text(reason, what="退回理由", max_length=300)
    with transaction.atomic():
        q = locked(question)
        require_roles(by, q.agency_id, NON_VIEWER_ROLES, "退回留言")
        if q.status != S.ASSIGNED:
            raise InteractionError("只有办理中的留言可以退回协调办重新分办。")
        old = q.agency_id
        q.agency = None
        q.status = S.SUBMITTED
        q.save(update_fields=["agency", "status"])
        _event(q, "returned", f"办理部门申请重新分办：{reason}", by=by, public=False)
        audit_log(
            "interaction.question.returned",
            obj=q,
            actor=by,
            changes={"agency": [old, None]},
            message=reason,
        )
    return q


def question_reject(*, question: Question, by: Any, reason: str) -> Question:
    """不予受理 (abusive, duplicate, not a government matter): kept with the reason."""
    reason = clean_text(reason, what="不予受理理由", max_length=500)
    with transaction.atomic():
        q = locked(question)
        if not is_coordinator(by, q.agency_id):
            require_roles(by, q.agency_id, REVIEW_ROLES, "决定不予受理")
        if q.status not in (S.SUBMITTED, S.ASSIGNED):
            raise InteractionError(
                f"留言{q.number}当前状态为“{q.get_status_display()}”，不能不予受理。"
            )
        old = q.status
        q.status = S.REJECTED
        q.rejection_reason = reason
        q.save(update_fields=["status", "rejection_reason"])
        _event(q, "rejected", f"不予受理：{reason}", by=by)
        audit_log(
            "interaction.question.rejected",
            obj=q,
            actor=by,
            changes={"status": [old, S.REJECTED]},
            message=reason,
        )
    return q


def question_answer(*, question: Question, by: Any, text: str) -> Question:
    """The agency drafts its answer; it goes to review (办理中 → 答复待审核)."""
    text = clean_text(text, what="答复内容", max_length=5000)
    with transaction.atomic():
        q = locked(question)
        require_roles(by, q.agency_id, NON_VIEWER_ROLES, "答复留言")
        if q.status != S.ASSIGNED:
            raise InteractionError(
                f"留言{q.number}当前状态为“{q.get_status_display()}”，不能答复。"
            )
        q.answer_text = text
        q.answered_by = by
        q.status = S.ANSWERED
        q.review_comment = ""
        q.save(update_fields=["answer_text", "answered_by", "status", "review_comment"])
        _event(q, "answered", "答复已拟定，等待审核", by=by, public=False)
        audit_log(
            "interaction.question.answered",
            obj=q,
            actor=by,
            changes={"status": [S.ASSIGNED, S.ANSWERED]},
        )
    return q


def _publication_findings(q: Question) -> list[dict[str, Any]]:
    """Findings that block publication: anything in the answer or title; in the citizen's
    text only what masking cannot fix (密级 markings, listed words)."""
    found = scan_for_publication(("答复内容", q.answer_text), ("留言标题", q.title))
    body = [f for f in scan_for_publication(("留言内容", q.body)) if f["kind"] not in MASKED_KINDS]
    return found + body


def question_review_approve(
    *,
    question: Question,
    by: Any,
    publish: bool,
    comment: str = "",
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Question:
    """The reviewer releases the answer (答复日期 = today).

    1. Only a leader of the agency (分管领导、部门负责人、信息公开工作机构负责人) who did not
       write the answer; 2. with ``publish`` (and the citizen's consent) the 保密审查 must find
       nothing, then the exchange is published and indexed for search; otherwise it is
       answered without publication.
    """
    comment = clean_text(comment, what="审核意见", max_length=500, required=False)
    today = today_of(today)
    now = now_of(now)
    with transaction.atomic():
        q = locked(question)
        require_roles(by, q.agency_id, REVIEW_ROLES, "审核答复")
        if q.status != S.ANSWERED:
            raise InteractionError(
                f"留言{q.number}当前状态为“{q.get_status_display()}”，不能审核。"
            )
        if q.answered_by_id == getattr(by, "pk", None):
            raise InteractionError("审核人不能是答复人本人。")
        if publish and not q.may_publish:
            raise InteractionError("留言人未同意公开，只能答复不公开。")
        findings = _publication_findings(q) if publish else []
        if not findings:
            _release(q, by=by, publish=publish, comment=comment, today=today, now=now)
    if findings:  # kept for the reviewer to see, outside the refused transaction
        Question.objects.filter(pk=question.pk).update(scan_findings=findings)
        raise InteractionError(findings_message(findings))
    return Question.objects.get(pk=question.pk)


def _release(
    q: Question, *, by: Any, publish: bool, comment: str, today: dt.date, now: dt.datetime
) -> None:
    """The approved answer is released (inside the caller's transaction)."""
    q.status = S.PUBLISHED if publish else S.REPLIED
    q.answered_on = today
    q.reviewed_by = by
    q.review_comment = comment
    q.scan_findings = []
    q.published_at = now if publish else None
    q.save(
        update_fields=[
            "status",
            "answered_on",
            "reviewed_by",
            "review_comment",
            "scan_findings",
            "published_at",
        ]
    )
    name = q.agency.name if q.agency else ""
    _event(q, "replied", f"{name}已答复" + ("并公开" if publish else ""), by=by)
    audit_log(
        "interaction.question.approved",
        obj=q,
        actor=by,
        changes={"status": [S.ANSWERED, q.status], "answered_on": [None, today.isoformat()]},
        message=comment,
    )
    if publish:
        pk = q.pk
        transaction.on_commit(lambda: sync_question_search([pk]))


def question_review_return(*, question: Question, by: Any, comment: str) -> Question:
    """The reviewer sends the answer back for revision (答复待审核 → 办理中)."""
    comment = clean_text(comment, what="退回意见", max_length=500)
    with transaction.atomic():
        q = locked(question)
        require_roles(by, q.agency_id, REVIEW_ROLES, "审核答复")
        if q.status != S.ANSWERED:
            raise InteractionError(
                f"留言{q.number}当前状态为“{q.get_status_display()}”，不能退回。"
            )
        q.status = S.ASSIGNED
        q.review_comment = comment
        q.reviewed_by = by
        q.save(update_fields=["status", "review_comment", "reviewed_by"])
        _event(q, "review_returned", f"审核退回：{comment}", by=by, public=False)
        audit_log(
            "interaction.question.review_returned",
            obj=q,
            actor=by,
            changes={"status": [S.ANSWERED, S.ASSIGNED]},
            message=comment,
        )
    return q


def question_unpublish(*, question: Question, by: Any, reason: str) -> Question:
    """Take a published exchange off the portal (已答复并公开 → 已答复（不公开）)."""
    reason = clean_text(reason, what="撤下理由", max_length=300)
    with transaction.atomic():
        q = locked(question)
        require_roles(by, q.agency_id, REVIEW_ROLES, "撤下公开的留言")
        if q.status != S.PUBLISHED:
            raise InteractionError("只有已公开的留言可以撤下。")
        q.status = S.REPLIED
        q.published_at = None
        q.save(update_fields=["status", "published_at"])
        audit_log(
            "interaction.question.unpublished",
            obj=q,
            actor=by,
            changes={"status": [S.PUBLISHED, S.REPLIED]},
            message=reason,
        )
        pk = q.pk
        transaction.on_commit(lambda: sync_question_search([pk]))
    return q


def question_recompute_deadlines() -> list[tuple[str, dt.date | None, dt.date | None]]:
    """Re-derive the deadline of every open 留言 after a calendar change."""
    moved = []
    for q in Question.objects.open().select_for_update():
        due, err = due_date(q.received_on)
        if due != q.due_on or err != q.due_error:
            moved.append((f"留言{q.number}", q.due_on, due))
            q.due_on, q.due_error = due, err
            q.save(update_fields=["due_on", "due_error"])
    return moved


def question_remind(*, today: dt.date | None = None, days: int = 2) -> int:
    """Queue one reminder per agency member (write roles, with e-mail) and day listing the
    agency's overdue and due-soon 留言; idempotent per person and day. Returns the count."""
    from gongkai.accounts.models import Membership
    from gongkai.applications.models import OutboxMessage

    today = today_of(today)
    until = today + dt.timedelta(days=days)
    queued = 0
    agency_ids = set(
        Question.objects.clock_running().exclude(agency=None).values_list("agency_id", flat=True)
    )
    with transaction.atomic():
        for agency_id in sorted(agency_ids):
            qs = Question.objects.filter(agency_id=agency_id)
            overdue = list(qs.overdue(today).order_by("due_on"))
            soon = list(qs.due_soon(today, until).order_by("due_on"))
            if not overdue and not soon:
                continue
            lines = [f"{today.isoformat()} 网上留言办理提醒"]
            if overdue:
                lines.append(f"已超期 {len(overdue)} 件：")
                lines += [f"  {q.number} 答复期限 {q.due_on} {q.title}" for q in overdue]
            if soon:
                lines.append(f"{days}日内到期 {len(soon)} 件：")
                lines += [f"  {q.number} 答复期限 {q.due_on} {q.title}" for q in soon]
            subject = f"网上留言办理提醒（{today.isoformat()}）"
            emails = (
                Membership.objects.filter(
                    agency_id=agency_id, role__in=list(NON_VIEWER_ROLES), user__is_active=True
                )
                .exclude(user__email="")
                .values_list("user__email", flat=True)
                .distinct()
            )
            for email in emails:
                if OutboxMessage.objects.filter(to=email, subject=subject).exists():
                    continue
                OutboxMessage.objects.create(to=email, subject=subject, body="\n".join(lines))
                queued += 1
    return queued


# --- search -------------------------------------------------------------------------------


def question_search_doc(q: Question) -> Any:
    """The published exchange as a ``SearchDoc`` (kind "question"); name and contact are
    never part of it, and ID/phone numbers in the texts are masked."""
    from django.urls import reverse

    from gongkai.publishing import scanner
    from gongkai.search.api import SearchDoc

    return SearchDoc(
        key=f"question:{q.pk}",
        kind="question",
        agency_id=q.agency_id,
        title=scanner.mask_personal(q.title),
        body_text=scanner.mask_personal(f"{q.body}\n{q.answer_text}"),
        index_number=q.number,
        published_at=q.published_at,
        url=reverse("interaction_public:question", kwargs={"number": q.number}),
    )


def sync_question_search(ids: list[int]) -> None:
    """Index the public ones of ``ids`` and remove the others (after commit)."""
    from gongkai.search import api

    public = list(Question.objects.public().filter(pk__in=ids))
    if public:
        api.index_documents([question_search_doc(q) for q in public])
    gone = [f"question:{pk}" for pk in ids if pk not in {q.pk for q in public}]
    if gone:
        api.remove_documents(gone)
