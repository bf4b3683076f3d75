"""Writes of the API app: tokens (create, revoke, authenticate) and write-API submissions.

Every transition has the house shape: guard → ``ApiError`` (Chinese) → atomic +
``select_for_update`` → save → ``audit_log``. A submission goes through the publishing
services (``item_create`` then ``revision_submit``): the item is a draft in the agency's
review chain and is never published by the API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.api.models import ApiToken, Scope, Submission
from gongkai.audit.services import audit_log

TOKEN_PREFIX = "gk_"
# The clerk a token acts through must hold this role in the token's agency.
ACTING_ROLES = {Role.CLERK}


class ApiError(Exception):
    """A refused API action; ``status`` is the HTTP status, the message Chinese."""

    def __init__(self, message: str, *, status: int = 422, title: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.title = title or "请求无法处理"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def can_manage_tokens(user: Any) -> bool:
    """Only the security administrator (安全管理员) creates and revokes API tokens."""
    return bool(user is not None and user.is_authenticated and user.is_security_admin)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once; only its hash is stored


def token_create(
    *,
    agency: Any,
    name: str,
    scopes: list[str],
    acting_user: Any,
    by: Any,
    expires_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> IssuedToken:
    """Issue a token for ``agency``'s system. Returns the clear secret once."""
    now = now or timezone.now()
    if not can_manage_tokens(by):
        raise ApiError("只有安全管理员可以创建接口令牌。", status=403)
    name = (name or "").strip()
    if not name:
        raise ApiError("请填写令牌用途。")
    scopes = sorted({s for s in scopes if s in Scope.values})
    if not scopes:
        raise ApiError("请至少选择一项权限范围。")
    if not (set(acting_user.roles_in(agency.pk)) & ACTING_ROLES) or acting_user.admin_role:
        raise ApiError(f"责任录入员须为{agency.name}的录入员。")
    if expires_at is not None and expires_at <= now:
        raise ApiError("有效期须晚于当前时间。")
    for _ in range(5):
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    secret = f"{TOKEN_PREFIX}{prefix}.{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            agency=agency, name=name, prefix=prefix, key_hash=_hash(secret), scopes=scopes,
            acting_user=acting_user, created_by=by, created_at=now, expires_at=expires_at,
        )  # fmt: skip
        audit_log(
            "api.token.created",
            obj=token,
            actor=by,
            now=now,
            agency_code=agency.code,
            changes={"scopes": [None, scopes], "acting_user": [None, acting_user.username]},
        )
    return IssuedToken(token=token, secret=secret)


def token_revoke(
    *, token: ApiToken, by: Any, reason: str = "", now: dt.datetime | None = None
) -> ApiToken:
    """Revoke a token at once (requests with it get 401 from then on)."""
    now = now or timezone.now()
    if not can_manage_tokens(by):
        raise ApiError("只有安全管理员可以吊销接口令牌。", status=403)
    with transaction.atomic():
        t = ApiToken.objects.select_for_update().get(pk=token.pk)
        if t.revoked_at is not None:
            raise ApiError("该令牌已被吊销。")
        t.revoked_at, t.revoked_by, t.revoke_reason = now, by, (reason or "").strip()[:200]
        t.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        audit_log(
            "api.token.revoked", obj=t, actor=by, now=now, agency_code=t.agency.code,
            message=t.revoke_reason,
        )  # fmt: skip
    return t


def token_authenticate(raw: str, *, now: dt.datetime | None = None) -> ApiToken | None:
    """The active token whose secret is ``raw``, or ``None`` (constant-time comparison)."""
    now = now or timezone.now()
    raw = (raw or "").strip()
    if not raw.startswith(TOKEN_PREFIX) or "." not in raw or len(raw) > 200:
        return None
    prefix = raw[len(TOKEN_PREFIX) :].split(".", 1)[0]
    token = ApiToken.objects.select_related("agency", "acting_user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(raw)):
        return None
    if not token.is_active(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def require_scope(token: ApiToken, scope: str) -> None:
    if scope not in token.scopes:
        raise ApiError(
            f"该令牌没有“{Scope(scope).label}”权限（{scope}）。", status=403, title="权限不足"
        )


def request_fingerprint(payload: dict[str, Any]) -> str:
    """A stable hash of a submission's payload (the idempotency comparison)."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SubmitResult:
    submission: Submission
    created: bool  # False: an earlier submission with the same Idempotency-Key


def submission_create(
    *,
    token: ApiToken,
    fields: dict[str, Any],
    payload: dict[str, Any],
    idempotency_key: str = "",
    external_id: str = "",
    now: dt.datetime | None = None,
) -> SubmitResult:
    """An agency system submits one catalog item: a draft that enters the review chain.

    1. Guard: the token holds ``catalog:submit`` and its clerk still holds the role.
    2. Lock the token row, so two retries of one request run one after the other.
    3. A stored submission with the same key: same payload → that submission (no new item);
       another payload → refused (422).
    4. ``item_create`` (框架录入 by the token's clerk) and ``revision_submit`` (into 一校);
       the Submission row and the audit entry in the same transaction.
    """
    from gongkai.publishing.services import PublishingError, item_create, revision_submit

    now = now or timezone.now()
    require_scope(token, Scope.CATALOG_SUBMIT)
    key = (idempotency_key or "").strip()
    if len(key) > 100:
        raise ApiError("Idempotency-Key 不能超过100个字符。", status=400, title="请求头无效")
    fingerprint = request_fingerprint(payload)
    clerk = token.acting_user
    if not clerk.is_active or not (set(clerk.roles_in(token.agency_id)) & ACTING_ROLES):
        raise ApiError(
            "令牌的责任录入员已不再是本机关的录入员，请联系安全管理员更换令牌。",
            status=403,
            title="权限不足",
        )
    try:
        with transaction.atomic():
            ApiToken.objects.select_for_update().get(pk=token.pk)
            if key:
                earlier = Submission.objects.filter(agency_id=token.agency_id, idempotency_key=key)
                found = earlier.select_related("item", "revision").first()
                if found is not None:
                    if found.request_hash != fingerprint:
                        raise ApiError(
                            "该 Idempotency-Key 已用于另一份不同内容的提交；重试时请发送完全相同的内容，"
                            "新的提交请使用新的键。",
                            status=422,
                            title="幂等键与请求内容不符",
                        )
                    return SubmitResult(found, created=False)
            try:
                revision = item_create(agency=token.agency, by=clerk, fields=fields)
                revision = revision_submit(revision=revision, by=clerk, now=now)
            except PublishingError as exc:
                raise ApiError(str(exc), status=422, title="提交的信息未通过校验") from exc
            submission = Submission.objects.create(
                agency=token.agency, token=token, idempotency_key=key, request_hash=fingerprint,
                external_id=(external_id or "")[:100], item=revision.item, revision=revision,
                created_at=now,
            )  # fmt: skip
            audit_log(
                "api.submission.created",
                obj=revision.item,
                actor=clerk,
                now=now,
                agency_code=token.agency.code,
                message=f"接口令牌 {token.prefix}（{token.name}）提交",
                changes={"title": [None, revision.title]},
            )
    except IntegrityError:
        # a concurrent request with the same key won the race: answer with its submission
        found = Submission.objects.filter(agency_id=token.agency_id, idempotency_key=key).first()
        if found is None or found.request_hash != fingerprint:
            raise ApiError(
                "该 Idempotency-Key 已被使用。", status=422, title="幂等键冲突"
            ) from None
        return SubmitResult(found, created=False)
    return SubmitResult(submission, created=True)
