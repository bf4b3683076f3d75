"""Binds the request's user, role, agency, IP and certificate to audit entries, and records
refused access to console pages."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from gongkai.audit import context

# Paths whose refusals are recorded: the staff console (protected business objects and
# administration pages), user administration and the Django admin. The public portal's
# 404s are not access decisions.
DENIED_PREFIXES = ("/console/", "/accounts/users/", "/admin/")
DENIED_STATUSES = {403: "403 禁止访问", 404: "404 不存在或无权查看"}


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        roles = ""
        agency = ""
        if user is not None and user.is_authenticated:
            roles = user.role_summary()
            agency = user.primary_agency_code()
        ctx = context.AuditContext(
            user=user if user is not None and user.is_authenticated else None,
            role=roles,
            agency_code=agency,
            ip=context.client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            cert_serial=getattr(request, "cert_serial", ""),
        )
        token = context.set_context(ctx)
        request.audit_context = ctx  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
            if response.status_code in DENIED_STATUSES and ctx.user is not None:
                record_denied(request, response.status_code)
            return response
        finally:
            context.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """Keep the access function's reason (its Chinese message) for ``record_denied``."""
        request._audit_denied_reason = str(exception)[:200]  # type: ignore[attr-defined]


def record_denied(
    request: HttpRequest,
    status: int,
    *,
    actor: Any = None,
    agency_code: str = "",
    reason: str = "",
    note: str = "",
    prefixes: tuple[str, ...] = DENIED_PREFIXES,
) -> None:
    """Append ``audit.access.denied`` for a refused console page of a logged-in user:
    the page (URL name and the object id from the URL), the method, the status and the
    reason the access function gave. Pages that do not resolve (typos) are not recorded.

    The write API calls it too (``api.v1``), for a refusal to an agency token: ``actor``
    is then the token's responsible clerk and ``note`` names the token."""
    from gongkai.audit.services import audit_log

    if not request.path.startswith(prefixes):
        return
    match = request.resolver_match
    if match is None:
        return
    kwargs = match.kwargs or {}
    keys = ("pk", "agency_pk", "id", "submission_id")
    object_id = next((str(kwargs[k]) for k in keys if k in kwargs), "")
    reason = reason or getattr(request, "_audit_denied_reason", "")
    audit_log(
        "audit.access.denied",
        actor=actor,
        agency_code=agency_code,
        object_type=f"page:{match.view_name}"[:100],
        object_id=object_id[:64],
        object_repr=request.path[:300],
        changes={"status": [None, status], "method": [None, request.method]},
        message=f"{request.method} {request.path} → {DENIED_STATUSES[status]}"
        + (f"：{reason}" if reason else "")
        + (f"（{note}）" if note else ""),
    )
