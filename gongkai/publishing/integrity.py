"""What a review approved: content snapshots, their hashes, the review hash chain, and diffs.

Every ``Review`` stores the snapshot of the revision it decided on (all content fields and
the checksums of the attachments as they will be published), the SHA-256 of that snapshot
(``content_hash``), the SHA-256 of the frame part only (``frame_hash``: every field except
the 详细信息 fields and attachments) and ``chain_hash``, which links the review to the one
before it on the same revision, so a review row changed behind the application's back breaks
the chain. docs/workflows.md (“审核与内容绑定”) explains the rules; this module only computes.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongkai.publishing import scanner
from gongkai.publishing.models import (
    CONTENT_FIELDS,
    CatalogItem,
    ChangeRequest,
    ChangeStep,
    Review,
    ReviewStage,
    Revision,
)

# Fields a clerk completes after 终审 (详细信息录入); the frame fields are frozen by review.
DETAIL_FIELDS = ["summary", "body", "keywords"]
FRAME_FIELDS = [f for f in CONTENT_FIELDS if f not in DETAIL_FIELDS]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return str(value)


def _attachments(obj: Revision | CatalogItem) -> list[dict[str, str]]:
    """The attachments as they are (or, for a change revision, will be) published."""
    item = obj.item if isinstance(obj, Revision) else obj
    atts: list[Any] = list(item.attachments.filter(removed_at__isnull=True))
    if isinstance(obj, Revision):
        cr = ChangeRequest.objects.filter(revision_id=obj.pk).first()
        if cr is not None:
            atts = [a for a in atts if a.pk not in cr.remove_attachment_ids]
            atts += list(cr.new_attachments.all())
    return sorted(
        ({"name": a.original_name, "sha256": a.sha256} for a in atts),
        key=lambda a: (a["sha256"], a["name"]),
    )


def snapshot(obj: Revision | CatalogItem) -> dict[str, Any]:
    """The canonical content of a revision (or of a live item): JSON-ready values."""
    data: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        if name == "topic":
            data["topic"] = obj.topic_id
            continue
        data[name] = _plain(getattr(obj, name))
    data["attachments"] = _attachments(obj)
    return data


def _digest(data: dict[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def content_hash(snap: dict[str, Any]) -> str:
    """SHA-256 of the whole snapshot: body, metadata and attachment checksums."""
    return _digest(snap)


def frame_hash(snap: dict[str, Any]) -> str:
    """SHA-256 of the frame fields only (what 一校 and 二校 check in the seed flow)."""
    return _digest({k: snap[k] for k in FRAME_FIELDS})


def chain_hash(*, previous: str, review: Review) -> str:
    """Link one review to the previous one of the same revision."""
    parts = [
        previous,
        review.content_hash,
        review.frame_hash,
        str(review.stage_id),
        str(review.reviewer_id),
        review.decision,
        review.created_at.astimezone(dt.UTC).isoformat(),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


# --- verification --------------------------------------------------------------------------


@dataclass
class Verdict:
    """The result of checking a revision's reviews against its current content."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    # The first stage whose approval no longer covers the content (None: all do).
    stage: ReviewStage | None = None


def verify(rev: Revision, chain: list[ReviewStage], snap: dict[str, Any] | None = None) -> Verdict:
    """Check that the reviews of ``rev`` approve exactly its current content.

    1. The stored chain hashes recompute (no review row was altered or removed).
    2. Since the last return, every configured stage has an approval as its latest decision.
    3. The last stage's approval carries the hash of the current content (body, metadata,
       attachments); every earlier stage's approval carries the hash of the current frame
       (the frame cannot change after review; the detail fields are checked at the last stage).
    """
    snap = snap if snap is not None else snapshot(rev)
    whole, frame = content_hash(snap), frame_hash(snap)
    reviews = list(rev.reviews.order_by("id"))
    problems: list[str] = []
    previous = ""
    for r in reviews:
        if not r.chain_hash:  # reviews recorded before content binding existed
            previous = ""
            continue
        if chain_hash(previous=previous, review=r) != r.chain_hash:
            problems.append(f"“{r.stage_name}”的审核记录校验值不符，审核记录可能被篡改。")
        previous = r.chain_hash
    last_return = max(
        (i for i, r in enumerate(reviews) if r.decision == Review.Decision.RETURN), default=-1
    )
    current = reviews[last_return + 1 :]
    first_bad: ReviewStage | None = None
    for pos, stage in enumerate(chain):
        latest = next((r for r in reversed(current) if r.stage_id == stage.pk), None)
        final = pos == len(chain) - 1
        if latest is None or latest.decision != Review.Decision.APPROVE:
            problems.append(f"“{stage.name}”尚未审核通过。")
        elif (latest.content_hash if final else latest.frame_hash) != (whole if final else frame):
            what = "内容" if final else "目录框架信息"
            problems.append(f"“{stage.name}”审核通过后{what}已被修改，须重新审核。")
        else:
            continue
        first_bad = first_bad or stage
    return Verdict(ok=not problems, problems=problems, stage=first_bad)


# --- diff for reviewers --------------------------------------------------------------------


@dataclass
class FieldDiff:
    label: str
    lines: list[tuple[str, str]]  # (" " | "+" | "-", text); the template escapes the text


def _lines(name: str, value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if name == "body":
        return [ln.strip() for ln in scanner.html_to_text(str(value)).splitlines() if ln.strip()]
    if name == "attachments":
        return [f"{a['name']}（SHA-256 {a['sha256'][:12]}…）" for a in value]
    if name == "topic":
        from gongkai.publishing.models import Topic

        topic = Topic.objects.filter(pk=value).select_related("parent").first()
        return [str(topic) if topic else str(value)]
    return str(value).splitlines() or [""]


def _label(name: str) -> str:
    if name == "attachments":
        return "附件"
    return str(Revision._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[FieldDiff]:
    """Field-by-field line diff (difflib) of two snapshots; unchanged fields are left out."""
    out = []
    for name in [*CONTENT_FIELDS, "attachments"]:
        if old.get(name) == new.get(name):
            continue
        a, b = _lines(name, old.get(name)), _lines(name, new.get(name))
        lines: list[tuple[str, str]] = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if tag == "equal":
                lines += [(" ", t) for t in a[i1:i2]]
            else:
                lines += [("-", t) for t in a[i1:i2]]
                lines += [("+", t) for t in b[j1:j2]]
        out.append(FieldDiff(label=_label(name), lines=lines))
    return out


@dataclass
class ReviewDiff:
    """What a reviewer compares against, and the differences."""

    baseline: str  # Chinese description of the baseline ("" when there is none)
    fields: list[FieldDiff]


def review_diff(rev: Revision) -> ReviewDiff:
    """The diff a reviewer sees: against the last approval of this revision whose content
    differs from the current one, else against the published item, else nothing (new item)."""
    snap = snapshot(rev)
    whole = content_hash(snap)
    last = (
        rev.reviews.filter(decision=Review.Decision.APPROVE)
        .exclude(content_hash="")
        .exclude(content_hash=whole)
        .order_by("-id")
        .first()
    )
    if last is not None:
        when = timezone.localtime(last.created_at)
        return ReviewDiff(
            baseline=f"与“{last.stage_name}”{when:%Y-%m-%d %H:%M}审核通过的内容相比",
            fields=diff(last.content, snap),
        )
    item = rev.item
    if item.index_number and item.status != CatalogItem.Status.DRAFT:
        return ReviewDiff(baseline="与已发布的内容相比", fields=diff(snapshot(item), snap))
    return ReviewDiff(baseline="", fields=[])


# --- change and deletion requests ----------------------------------------------------------
#
# Each ``ChangeStep`` binds to what it acted on: the snapshot of the published item (the
# content a change replaces, or a deletion withdraws), the snapshot of the proposed revision
# (a change: its fields and the attachments as they will be after execution), the kind and
# the reason of the 申请书. Steps chain like reviews. docs/workflows.md (“变更与删除的内容绑定”).

PRE_EXECUTION = (
    ChangeRequest.Status.SUBMITTED,
    ChangeRequest.Status.APPROVED,
    ChangeRequest.Status.REVIEWED,
)


def change_snapshot(cr: ChangeRequest, *, proposed: bool = True) -> dict[str, Any]:
    """The canonical content of a request now; ``proposed=False`` after execution (the
    proposal is then the published content)."""
    rev = cr.revision if proposed and cr.revision_id else None
    return {
        "kind": cr.kind,
        "reason": cr.reason,
        "published": snapshot(cr.item),
        "proposed": snapshot(rev) if rev is not None else None,
    }


def change_hashes(snap: dict[str, Any]) -> tuple[str, str, str]:
    """(published hash, proposed hash or "", hash of the whole 申请书) of a change snapshot."""
    published = content_hash(snap["published"])
    proposed = content_hash(snap["proposed"]) if snap.get("proposed") is not None else ""
    whole = _digest(
        {"kind": snap["kind"], "reason": snap["reason"], "published": published,
         "proposed": proposed}
    )  # fmt: skip
    return published, proposed, whole


def change_chain_hash(*, previous: str, step: ChangeStep) -> str:
    """Link one step to the previous one of the same request."""
    parts = [
        previous,
        step.content_hash,
        step.published_hash,
        step.proposed_hash,
        step.step,
        str(step.actor_id),
        "1" if step.accepted else "0",
        hashlib.sha256((step.comment or "").encode()).hexdigest(),
        step.created_at.astimezone(dt.UTC).isoformat(),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def bind_step(step: ChangeStep, *, previous: str, snap: dict[str, Any]) -> ChangeStep:
    """Fill a new (unsaved) step's content, hashes and chain hash."""
    step.content = snap
    step.published_hash, step.proposed_hash, step.content_hash = change_hashes(snap)
    step.chain_hash = change_chain_hash(previous=previous, step=step)
    return step


def current_round(steps: list[ChangeStep]) -> list[ChangeStep]:
    """The steps since the last submission, amendment or reopening (all if there is none)."""
    start = max((i for i, s in enumerate(steps) if s.step in ChangeStep.ROUND_STARTS), default=0)
    return steps[start:]


@dataclass
class ChangeVerdict:
    """The result of checking a request's steps against its current content."""

    ok: bool
    problems: list[str] = field(default_factory=list)
    legacy: bool = False  # recorded before content binding: nothing to check against


def verify_change(
    cr: ChangeRequest, *, snap: dict[str, Any] | None = None, content: bool = True
) -> ChangeVerdict:
    """Check that the steps of ``cr`` approved exactly its current content.

    1. The stored chain hashes recompute (no step row was altered or removed).
    2. ``content`` (before execution): every step of the current round (since the last
       submission, amendment or reopening) carries the hash of the current 申请书 — the
       published content, the proposal with its attachments, the kind and the reason.
    """
    if cr.binding == ChangeRequest.Binding.LEGACY:
        return ChangeVerdict(ok=True, legacy=True)
    steps = list(cr.steps.order_by("id"))
    problems: list[str] = []
    previous = ""
    for s in steps:
        if not s.chain_hash or change_chain_hash(previous=previous, step=s) != s.chain_hash:
            problems.append(f"“{s.get_step_display()}”的办理记录校验值不符，记录可能被篡改。")
        previous = s.chain_hash
    if content:
        snap = snap if snap is not None else change_snapshot(cr)
        published, proposed, whole = change_hashes(snap)
        for s in current_round(steps):
            if s.content_hash == whole:
                continue
            if s.published_hash != published:
                what = "已发布的内容"
            elif s.proposed_hash != proposed:
                what = "申请变更的内容"
            else:
                what = "申请书"
            problems.append(f"“{s.get_step_display()}”办理后{what}已被修改，须重新审批。")
    return ChangeVerdict(ok=not problems, problems=problems)


def _reason_diff(old: str, new: str) -> FieldDiff:
    a, b = old.splitlines() or [""], new.splitlines() or [""]
    lines = [("-", t) for t in a] + [("+", t) for t in b]
    return FieldDiff(label="申请理由", lines=lines)


def change_diff(cr: ChangeRequest) -> list[ReviewDiff]:
    """What an approver of ``cr`` compares (before execution), escaped by the template:

    1. for a change, the proposal against the content published now;
    2. when the 申请书 or the published item changed since a step of an earlier round (an
       amendment or a reopening), what changed since that step.
    After execution: the executed proposal against the content it replaced (from the
    execution step's snapshot; nothing for requests recorded before content binding)."""
    steps = list(cr.steps.order_by("id"))
    out: list[ReviewDiff] = []
    if cr.status not in PRE_EXECUTION:
        done = next((s for s in steps if s.step == ChangeStep.Step.EXECUTE and s.accepted), None)
        if done is not None and (done.content or {}).get("proposed") is not None:
            out.append(
                ReviewDiff(
                    baseline="执行的变更与执行时已发布的内容相比",
                    fields=diff(done.content["published"], done.content["proposed"]),
                )
            )
        return out
    snap = change_snapshot(cr)
    if snap["proposed"] is not None:
        out.append(
            ReviewDiff(
                baseline="申请变更的内容与已发布的内容相比",
                fields=diff(snap["published"], snap["proposed"]),
            )
        )
    _p, _q, whole = change_hashes(snap)
    earlier = steps[: len(steps) - len(current_round(steps))]
    last = next(
        (s for s in reversed(earlier) if s.content and s.content_hash and s.content_hash != whole),
        None,
    )
    if last is not None:
        when = timezone.localtime(last.created_at)
        since = f"自“{last.get_step_display()}”{when:%Y-%m-%d %H:%M}办理以来"
        old = last.content
        if old.get("reason") != snap["reason"]:
            out.append(
                ReviewDiff(
                    baseline=f"{since}申请理由的修改",
                    fields=[_reason_diff(old.get("reason", ""), snap["reason"])],
                )
            )
        if old.get("proposed") is not None and snap["proposed"] is not None:
            fields = diff(old["proposed"], snap["proposed"])
            if fields:
                out.append(ReviewDiff(baseline=f"{since}申请变更内容的修改", fields=fields))
        if old.get("published") != snap["published"]:
            out.append(
                ReviewDiff(
                    baseline=f"{since}已发布内容的变化",
                    fields=diff(old.get("published") or {}, snap["published"]),
                )
            )
    return out
