"""Writing and verifying the audit log.

``audit_log`` is the one way to append: call it inside the transaction that makes the
state change, so the entry and the change commit (or roll back) together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from gongkai.audit import context
from gongkai.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64
HASHED_FIELDS = (
    "id",
    "created_at",
    "action",
    "actor_id",
    "actor_name",
    "role",
    "agency_code",
    "ip",
    "user_agent",
    "cert_serial",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "message",
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def canonical(entry: AuditEntry) -> bytes:
    data = {name: _jsonable(getattr(entry, name)) for name in HASHED_FIELDS}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def compute_hash(entry: AuditEntry, prev_hash: str) -> str:
    key = settings.AUDIT_HMAC_KEY.encode("utf-8")
    return hmac.new(
        key, prev_hash.encode("ascii") + b"|" + canonical(entry), hashlib.sha256
    ).hexdigest()


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {
        k: [_jsonable(old.get(k)), _jsonable(new.get(k))] for k in new if old.get(k) != new.get(k)
    }


def audit_log(
    action: str,
    *,
    obj: models.Model | None = None,
    actor: Any = None,
    changes: dict[str, Any] | None = None,
    message: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    agency_code: str = "",
    role: str = "",
    now: dt.datetime | None = None,
) -> AuditEntry:
    """Append one entry to the audit log.

    1. Who/where comes from the arguments, else from the request context (user, role,
       agency, IP, user agent, certificate serial) set by ``AuditContextMiddleware``.
    2. The head row is locked, so concurrent appends form one linear chain.
    3. The entry's id is allocated from the head (last_id + 1), making ids contiguous: a
       deleted row shows up as a gap even at the end of the chain.
    """
    ctx = context.current()
    if actor is None:
        actor = ctx.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            id=head.last_id + 1,
            created_at=now or timezone.now(),
            action=action,
            actor=actor,
            actor_name=(getattr(actor, "display_name", "") or getattr(actor, "username", ""))
            if actor
            else ctx.actor_name,
            role=role or ctx.role,
            agency_code=agency_code or ctx.agency_code,
            ip=ctx.ip,
            user_agent=ctx.user_agent[:300],
            cert_serial=ctx.cert_serial,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:300],
            changes=_jsonable(changes or {}),
            message=message,
            prev_hash=head.last_hash,
        )
        entry.entry_hash = compute_hash(entry, head.last_hash)
        entry.save(force_insert=True)
        head.last_id = entry.id
        head.last_hash = entry.entry_hash
        head.save(update_fields=["last_id", "last_hash"])
    return entry


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def audit_verify(*, batch: int = 2000) -> VerifyResult:
    """Walk the chain in id order and report the first broken link.

    A link is broken when an entry's stored hash does not match its content (changed row),
    its ``prev_hash`` is not the previous entry's hash or ids skip (deleted or inserted
    row), or the head does not point at the last entry (truncated tail).
    """
    prev_hash = GENESIS
    expected_id = 1
    checked = 0
    last_id = 0
    qs = AuditEntry.objects.order_by("id")
    start = 0
    while True:
        rows = list(qs.filter(id__gt=start)[:batch])
        if not rows:
            break
        for entry in rows:
            if entry.id != expected_id:
                return VerifyResult(
                    False,
                    checked,
                    entry.id,
                    f"编号不连续：期望 #{expected_id}，实际 #{entry.id}（有记录被删除或插入）。",
                )
            if entry.prev_hash != prev_hash:
                return VerifyResult(
                    False,
                    checked,
                    entry.id,
                    f"#{entry.id} 的前序哈希与上一条记录不符（链条断裂）。",
                )
            if compute_hash(entry, prev_hash) != entry.entry_hash:
                return VerifyResult(
                    False, checked, entry.id, f"#{entry.id} 的内容与其哈希不符（记录被篡改）。"
                )
            prev_hash = entry.entry_hash
            expected_id += 1
            checked += 1
            last_id = entry.id
        start = rows[-1].id
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_id != last_id or head.last_hash != prev_hash):
        return VerifyResult(
            False,
            checked,
            last_id + 1,
            f"日志头指向 #{head.last_id}，但最后一条记录是 #{last_id}（末尾记录被删除或头被改动）。",
        )
    return VerifyResult(True, checked)


# --- anchoring: the chain head kept outside the database (issue 13) ---------------------
# The hash chain proves that no row *inside* the chain was changed, but a database user can
# delete the newest rows and rewind the head, or delete everything and reset it, and the
# shorter chain verifies. A copy of the head taken earlier and kept elsewhere (a file on
# another mount or machine, an e-mail) closes that gap: the anchored entry must still be in
# the chain, with the same id and hash. ``audit_anchor`` writes that copy periodically.


def audit_head() -> tuple[int, str]:
    """The newest entry's id and hash (0 and the genesis hash for an empty log)."""
    head = AuditHead.objects.filter(pk=1).first()
    return (head.last_id, head.last_hash) if head else (0, GENESIS)


def audit_anchor_write(*, path: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """Append the current head as one JSON line to ``path`` (created 0600); returns it."""
    import os

    last_id, last_hash = audit_head()
    record = {
        "at": (now or timezone.now()).isoformat(timespec="seconds"),
        "last_id": last_id,
        "last_hash": last_hash,
    }
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return record


def audit_read_anchor(path: str) -> tuple[int | None, str]:
    """The newest anchor of an ``audit_anchor`` file: (id, hash)."""
    last = ""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                last = line
    if not last:
        raise ValueError(f"锚定文件 {path} 中没有记录。")
    record = json.loads(last)
    return int(record["last_id"]), str(record["last_hash"])


def audit_check_anchor(*, expect_hash: str, expect_id: int | None = None) -> VerifyResult:
    """Whether the entry anchored earlier (its hash, optionally its id) is still in the chain.

    Run after ``audit_verify``: an intact chain that still contains the anchored entry has lost
    nothing up to the anchor. Fails after a truncated tail with a rewound head, a full delete
    with a reset head (the empty log has only the genesis hash), or a re-computed chain.
    """
    expect_hash = expect_hash.strip().lower()
    if expect_hash == GENESIS and not expect_id:
        return VerifyResult(True, 0)
    entry = AuditEntry.objects.filter(entry_hash=expect_hash).only("id").first()
    if entry is None:
        return VerifyResult(
            False,
            0,
            expect_id,
            f"锚定的链头{f' #{expect_id}' if expect_id else ''}（{expect_hash[:16]}…）已不在审计日志中："
            "此后的记录被删除、日志被清空或链条被重新计算。",
        )
    if expect_id is not None and entry.id != expect_id:
        return VerifyResult(
            False,
            0,
            entry.id,
            f"锚定的链头应为 #{expect_id}，但该哈希出现在 #{entry.id}（链条被重新编排）。",
        )
    return VerifyResult(True, 0)
