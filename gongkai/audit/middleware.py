"""Binds the request's user, role, agency, IP and certificate to audit entries."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from gongkai.audit import context


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
            return self.get_response(request)
        finally:
            context.reset(token)
