"""调查征集 and 在线访谈: consultations with moderated comments and 采纳情况, surveys answered
once per person, interviews with moderated questions and a transcript."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.audit.services import audit_log
from gongkai.interaction.models import (
    Comment,
    Consultation,
    Interview,
    InterviewQuestion,
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
)
from gongkai.interaction.services.common import (
    NON_VIEWER_ROLES,
    InteractionError,
    clean_text,
    findings_message,
    locked,
    now_of,
    require_roles,
    scan_for_publication,
    today_of,
)

DRAFT_TYPES = {"pdf", "docx"}


def _period(opens_on: Any, closes_on: Any) -> None:
    if not opens_on or not closes_on:
        raise InteractionError("请填写开始日期和截止日期。")
    if closes_on < opens_on:
        raise InteractionError("截止日期不能早于开始日期。")


# --- 意见征集 -------------------------------------------------------------------------------


def consultation_save(
    *,
    by: Any,
    agency: Any,
    title: str,
    summary: str,
    opens_on: dt.date,
    closes_on: dt.date,
    draft: Any = None,
    consultation: Consultation | None = None,
) -> Consultation:
    """Create or change a consultation (the draft is a PDF or DOCX, type-checked)."""
    from gongkai.publishing import scanner

    require_roles(by, agency.pk, NON_VIEWER_ROLES, "发起意见征集")
    title = clean_text(title, what="征集事项", max_length=200)
    summary = clean_text(summary, what="征集说明", max_length=5000)
    _period(opens_on, closes_on)
    upload = None
    if draft:
        name, data = getattr(draft, "name", "draft"), draft.read()
        if name.rsplit(".", 1)[-1].lower() not in DRAFT_TYPES:
            raise InteractionError("征求意见稿只接受 PDF 或 DOCX 文件。")
        try:
            scanner.check_upload(name, data)
        except scanner.UploadError as exc:
            raise InteractionError(str(exc)) from exc
        upload = (name, data)
    with transaction.atomic():
        obj = Consultation(created_by=by) if consultation is None else locked(consultation)
        obj.agency, obj.title, obj.summary = agency, title, summary
        obj.opens_on, obj.closes_on = opens_on, closes_on
        if upload:
            obj.draft.save(upload[0], ContentFile(upload[1]), save=False)
            obj.draft_name = upload[0][:200]
        obj.save()
        audit_log(
            "interaction.consultation.created"
            if consultation is None
            else "interaction.consultation.changed",
            obj=obj,
            actor=by,
            changes={"title": [None, title]},
        )
    return obj


def consultation_publish(*, consultation: Consultation, by: Any) -> Consultation:
    """Put the consultation on the portal (after the 保密审查 of its text)."""
    require_roles(by, consultation.agency_id, NON_VIEWER_ROLES, "发布意见征集")
    with transaction.atomic():
        obj = locked(consultation)
        if obj.is_published:
            raise InteractionError("该意见征集已发布。")
        findings = scan_for_publication(("征集事项", obj.title), ("征集说明", obj.summary))
        if findings:
            raise InteractionError(findings_message(findings))
        obj.is_published = True
        obj.save(update_fields=["is_published"])
        audit_log("interaction.consultation.published", obj=obj, actor=by)
    return obj


def comment_submit(
    *, consultation: Consultation, name: str, contact: str, body: str, today: dt.date | None = None
) -> Comment:
    """A citizen comments on an open consultation; the comment waits for moderation."""
    today = today_of(today)
    if not consultation.is_published or consultation.phase(today) != "open":
        raise InteractionError("该意见征集不在征集期内，不能提交意见。")
    comment = Comment.objects.create(
        consultation=consultation,
        name=clean_text(name, what="姓名", max_length=50),
        contact=clean_text(contact, what="联系方式", max_length=100, required=False),
        body=clean_text(body, what="意见内容", max_length=3000),
    )
    return comment


def comment_moderate(*, comment: Comment, by: Any, approve: bool, reason: str = "") -> Comment:
    """A moderator approves a comment (shown publicly, without name or contact) or rejects
    it with a reason (kept, never shown)."""
    reason = clean_text(reason, what="不通过理由", max_length=300, required=not approve)
    require_roles(by, comment.consultation.agency_id, NON_VIEWER_ROLES, "审核意见")
    if approve:
        findings = scan_for_publication(("意见内容", comment.body))
        if findings:
            raise InteractionError(findings_message(findings) + "（请不予通过，并在理由中说明）")
    with transaction.atomic():
        obj = locked(comment)
        if obj.status != Comment.Status.PENDING:
            raise InteractionError("该意见已审核。")
        obj.status = Comment.Status.APPROVED if approve else Comment.Status.REJECTED
        obj.moderation_reason = reason
        obj.moderated_by = by
        obj.moderated_at = timezone.now()
        obj.save(update_fields=["status", "moderation_reason", "moderated_by", "moderated_at"])
        audit_log(
            f"interaction.comment.{'approved' if approve else 'rejected'}",
            obj=obj,
            actor=by,
            changes={"status": ["pending", obj.status]},
            message=reason,
        )
    return obj


def consultation_publish_feedback(
    *,
    consultation: Consultation,
    by: Any,
    feedback: str,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Consultation:
    """Publish the 采纳情况 — only after the period closed and every comment was moderated."""
    feedback = clean_text(feedback, what="意见采纳情况", max_length=20000)
    require_roles(by, consultation.agency_id, NON_VIEWER_ROLES, "发布采纳情况")
    today = today_of(today)
    with transaction.atomic():
        obj = locked(consultation)
        if not obj.is_published or obj.phase(today) != "closed":
            raise InteractionError("征集期结束后才能发布意见采纳情况。")
        if obj.comments.filter(status=Comment.Status.PENDING).exists():
            raise InteractionError("还有未审核的意见，请先审核。")
        findings = scan_for_publication(("采纳情况", feedback))
        if findings:
            raise InteractionError(findings_message(findings))
        old = obj.feedback
        obj.feedback = feedback
        obj.feedback_published_at = now_of(now)
        obj.save(update_fields=["feedback", "feedback_published_at"])
        audit_log(
            "interaction.consultation.feedback_published",
            obj=obj,
            actor=by,
            changes={"feedback": [bool(old), True]},
        )
    return obj


# --- 网上调查 -------------------------------------------------------------------------------

KIND_WORDS = {"单选": "single", "多选": "multiple", "填空": "text", "问答": "text"}
LINE_RE = re.compile(r"^(单选|多选|填空|问答)[:：]\s*(.+)$")


def parse_survey_spec(spec: str) -> list[tuple[str, str, list[str]]]:
    """Questions from the console's text form, one per line:

    ``单选：题目｜选项一｜选项二``, ``多选：…``, ``填空：题目`` → [(kind, text, options)].
    """
    out = []
    for n, raw in enumerate((spec or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        m = LINE_RE.match(line)
        if not m:
            raise InteractionError(f"第{n}行格式不对：应以“单选：”“多选：”或“填空：”开头。")
        kind = KIND_WORDS[m.group(1)]
        parts = [p.strip() for p in re.split(r"[｜|]", m.group(2)) if p.strip()]
        text, options = parts[0], parts[1:]
        if len(text) > 300 or any(len(o) > 200 for o in options):
            raise InteractionError(f"第{n}行：题目不超过300字，选项不超过200字。")
        if kind != "text" and len(options) < 2:
            raise InteractionError(f"第{n}行：选择题至少要有两个选项（用“｜”分隔）。")
        if kind == "text" and options:
            raise InteractionError(f"第{n}行：填空题不能有选项。")
        out.append((kind, text, options))
    if not out:
        raise InteractionError("请至少填写一道题目。")
    if len(out) > 50:
        raise InteractionError("一份调查最多50道题目。")
    return out


def survey_create(
    *,
    by: Any,
    agency: Any,
    title: str,
    summary: str,
    opens_on: dt.date,
    closes_on: dt.date,
    spec: str,
) -> Survey:
    require_roles(by, agency.pk, NON_VIEWER_ROLES, "发起网上调查")
    title = clean_text(title, what="调查主题", max_length=200)
    summary = clean_text(summary, what="调查说明", max_length=5000, required=False)
    _period(opens_on, closes_on)
    questions = parse_survey_spec(spec)
    with transaction.atomic():
        survey = Survey.objects.create(
            agency=agency,
            title=title,
            summary=summary,
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=by,
        )
        for pos, (kind, text, options) in enumerate(questions, start=1):
            sq = SurveyQuestion.objects.create(
                survey=survey, position=pos, text=text, kind=kind, required=kind != "text"
            )  # free-text questions are optional
            SurveyOption.objects.bulk_create(
                [SurveyOption(question=sq, position=i, text=o) for i, o in enumerate(options, 1)]
            )
        audit_log(
            "interaction.survey.created",
            obj=survey,
            actor=by,
            changes={"questions": [0, len(questions)]},
        )
    return survey


def survey_publish(*, survey: Survey, by: Any) -> Survey:
    require_roles(by, survey.agency_id, NON_VIEWER_ROLES, "发布网上调查")
    with transaction.atomic():
        obj = locked(survey)
        if obj.is_published:
            raise InteractionError("该调查已发布。")
        obj.is_published = True
        obj.save(update_fields=["is_published"])
        audit_log("interaction.survey.published", obj=obj, actor=by)
    return obj


def max_responses_per_ip() -> int:
    """Answers one address may give to one survey (``INTERACTION_SURVEY_MAX_PER_IP``,
    default 5: a family or an office behind one NAT address)."""
    return int(getattr(settings, "INTERACTION_SURVEY_MAX_PER_IP", 5))


def survey_respond(
    *,
    survey: Survey,
    voter_key: str,
    ip_key: str,
    answers: dict[int, Any],
    today: dt.date | None = None,
) -> SurveyResponse:
    """Record one person's answers.

    ``answers`` maps a question id to an option id (单选), a list of option ids (多选) or text
    (填空). One answer per ``voter_key`` (unique constraint) and at most
    ``max_responses_per_ip()`` per ``ip_key``; required questions must be answered.
    """
    today = today_of(today)
    if not survey.is_published or survey.phase(today) != "open":
        raise InteractionError("该调查不在调查期内。")
    if not voter_key or not ip_key:
        raise InteractionError("无法识别答卷人，请启用浏览器 Cookie 后重试。")
    questions = list(survey.questions.prefetch_related("options"))
    rows: list[SurveyAnswer] = []
    for sq in questions:
        given = answers.get(sq.pk)
        valid = {o.pk for o in sq.options.all()}
        if sq.kind == SurveyQuestion.Kind.TEXT:
            text = clean_text(
                given, what=f"第{sq.position}题", max_length=1000, required=sq.required
            )
            if text:
                rows.append(SurveyAnswer(question=sq, text=text))
            continue
        picked = given if isinstance(given, list) else ([given] if given not in (None, "") else [])
        try:
            ids = {int(x) for x in picked}
        except (TypeError, ValueError):
            raise InteractionError(f"第{sq.position}题的选项无效。") from None
        if not ids <= valid:
            raise InteractionError(f"第{sq.position}题的选项无效。")
        if sq.required and not ids:
            raise InteractionError(f"请回答第{sq.position}题。")
        if sq.kind == SurveyQuestion.Kind.SINGLE and len(ids) > 1:
            raise InteractionError(f"第{sq.position}题只能选一项。")
        rows += [SurveyAnswer(question=sq, option_id=i) for i in sorted(ids)]
    with transaction.atomic():
        locked(survey)  # serialise the per-address count
        if SurveyResponse.objects.filter(survey=survey, voter_key=voter_key).exists():
            raise InteractionError("您已参加过本次调查，每人只能提交一次。")
        if (
            SurveyResponse.objects.filter(survey=survey, ip_key=ip_key).count()
            >= max_responses_per_ip()
        ):
            raise InteractionError("来自同一网络的答卷已达上限，感谢您的参与。")
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    survey=survey, voter_key=voter_key, ip_key=ip_key
                )
        except IntegrityError:
            raise InteractionError("您已参加过本次调查，每人只能提交一次。") from None
        for row in rows:
            row.response = response
        SurveyAnswer.objects.bulk_create(rows)
    return response


def survey_results(survey: Survey) -> list[dict[str, Any]]:
    """Per question: counts per option (choice questions) or the number of texts."""
    counts = Counter(
        SurveyAnswer.objects.filter(response__survey=survey, option__isnull=False).values_list(
            "option_id", flat=True
        )
    )
    texts = Counter(
        SurveyAnswer.objects.filter(response__survey=survey, option__isnull=True)
        .exclude(text="")
        .values_list("question_id", flat=True)
    )
    out = []
    for sq in survey.questions.prefetch_related("options"):
        out.append(
            {
                "question": sq,
                "options": [(o.text, counts.get(o.pk, 0)) for o in sq.options.all()],
                "texts": texts.get(sq.pk, 0),
            }
        )
    return out


# --- 在线访谈 -------------------------------------------------------------------------------


def interview_save(
    *,
    by: Any,
    agency: Any,
    title: str,
    guests: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    summary: str = "",
    interview: Interview | None = None,
) -> Interview:
    require_roles(by, agency.pk, NON_VIEWER_ROLES, "安排在线访谈")
    title = clean_text(title, what="访谈主题", max_length=200)
    guests = clean_text(guests, what="访谈嘉宾", max_length=300)
    summary = clean_text(summary, what="访谈简介", max_length=5000, required=False)
    if not starts_at or not ends_at or ends_at <= starts_at:
        raise InteractionError("结束时间须晚于开始时间。")
    with transaction.atomic():
        obj = Interview(created_by=by) if interview is None else locked(interview)
        obj.agency, obj.title, obj.guests, obj.summary = agency, title, guests, summary
        obj.starts_at, obj.ends_at = starts_at, ends_at
        obj.save()
        audit_log(
            "interaction.interview.created"
            if interview is None
            else "interaction.interview.changed",
            obj=obj,
            actor=by,
            changes={"title": [None, title]},
        )
    return obj


def interview_publish(*, interview: Interview, by: Any) -> Interview:
    require_roles(by, interview.agency_id, NON_VIEWER_ROLES, "发布在线访谈预告")
    with transaction.atomic():
        obj = locked(interview)
        if obj.is_published:
            raise InteractionError("该访谈已发布。")
        obj.is_published = True
        obj.save(update_fields=["is_published"])
        audit_log("interaction.interview.published", obj=obj, actor=by)
    return obj


def interview_question_submit(
    *, interview: Interview, nickname: str, body: str, now: dt.datetime | None = None
) -> InterviewQuestion:
    """A netizen asks before or during the interview; shown only after moderation."""
    now = now_of(now)
    if not interview.is_published or interview.phase(now) == "ended":
        raise InteractionError("访谈已结束，不再接受提问。")
    return InterviewQuestion.objects.create(
        interview=interview,
        nickname=clean_text(nickname, what="网名", max_length=30),
        body=clean_text(body, what="问题", max_length=1000),
        submitted_at=now,
    )


def interview_question_moderate(
    *, question: InterviewQuestion, by: Any, approve: bool, reason: str = "", answer: str = ""
) -> InterviewQuestion:
    """Approve (optionally with the guest's answer) or reject with a reason (kept)."""
    reason = clean_text(reason, what="不通过理由", max_length=300, required=not approve)
    answer = clean_text(answer, what="嘉宾答复", max_length=5000, required=False)
    require_roles(by, question.interview.agency_id, NON_VIEWER_ROLES, "审核访谈提问")
    if approve:
        findings = scan_for_publication(("问题", question.body), ("答复", answer))
        if findings:
            raise InteractionError(findings_message(findings))
    with transaction.atomic():
        obj = locked(question)
        if obj.status != InterviewQuestion.Status.PENDING and not (
            approve and obj.status == "approved"
        ):
            raise InteractionError("该提问已审核。")
        old = obj.status
        obj.status = (
            InterviewQuestion.Status.APPROVED if approve else InterviewQuestion.Status.REJECTED
        )
        obj.moderation_reason = reason
        if answer:
            obj.answer = answer
        obj.moderated_by = by
        obj.moderated_at = timezone.now()
        obj.save(
            update_fields=["status", "moderation_reason", "answer", "moderated_by", "moderated_at"]
        )
        audit_log(
            f"interaction.interview_question.{'approved' if approve else 'rejected'}",
            obj=obj,
            actor=by,
            changes={"status": [old, obj.status]},
            message=reason,
        )
    return obj


def interview_publish_transcript(
    *, interview: Interview, by: Any, transcript: str, now: dt.datetime | None = None
) -> Interview:
    """Publish the transcript (after the interview started; 保密审查 first)."""
    transcript = clean_text(transcript, what="访谈实录", max_length=100000)
    require_roles(by, interview.agency_id, NON_VIEWER_ROLES, "发布访谈实录")
    now = now_of(now)
    with transaction.atomic():
        obj = locked(interview)
        if not obj.is_published or now < obj.starts_at:
            raise InteractionError("访谈开始后才能发布实录。")
        findings = scan_for_publication(("访谈实录", transcript))
        if findings:
            raise InteractionError(findings_message(findings))
        obj.transcript = transcript
        obj.transcript_published_at = now
        obj.save(update_fields=["transcript", "transcript_published_at"])
        audit_log("interaction.interview.transcript_published", obj=obj, actor=by)
    return obj
