"""Security headers Django 5.2 does not set by itself (CSP, Permissions-Policy), and
``Cache-Control: no-store`` on every staff page."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        path = request.path
        # Django admin needs inline styles; everything else gets the strict policy.
        policy = (
            settings.ADMIN_CONTENT_SECURITY_POLICY
            if path.startswith("/admin/")
            else settings.CONTENT_SECURITY_POLICY
        )
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        if path.startswith(("/console/", "/admin/", "/accounts/")):
            # Staff pages show personal data (applicants' names, ID and phone numbers):
            # never kept by the browser's or any proxy's cache (issue 13).
            response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response
