"""Who is acting: request-scoped context for audit entries (user, role, agency, IP …)."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from typing import Any


@dataclass
class AuditContext:
    user: Any = None
    actor_name: str = ""
    role: str = ""
    agency_code: str = ""
    ip: str | None = None
    user_agent: str = ""
    cert_serial: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "audit_context", default=None
)


def current() -> AuditContext:
    ctx = _current.get()
    return ctx if ctx is not None else AuditContext()


def set_context(ctx: AuditContext) -> contextvars.Token:
    return _current.set(ctx)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)


def client_ip(request: Any) -> str | None:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For only from a trusted proxy."""
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR")
    if remote and remote in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or remote
        real = request.META.get("HTTP_X_REAL_IP")
        if real:
            return real.strip()
    return remote
