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
    """The client's address, proxy-aware (``gongkai.lib.ratelimit.client_ip``)."""
    from gongkai.lib.ratelimit import client_ip as resolve

    return resolve(request) or None
