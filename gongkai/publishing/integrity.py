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
