"""Read-only admin for the PKI tables: every change goes through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.lib.admin import SystemAdminModelAdmin
from gongkai.pki.models import CertApplication, Certificate, CertificateAuthority


class ReadOnlyAdmin(SystemAdminModelAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CertificateAuthority)
class CertificateAuthorityAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "key_algorithm",
        "not_after",
        "crl_number",
        "crl_next_update",
        "is_active",
    ]
    exclude = ["certificate_pem", "crl_pem"]


class SecurityDataAdmin(ReadOnlyAdmin):
    """Certificates and certificate applications are the security administrator's (三员分立):
    registered for the record, hidden from the system administrator's Django admin."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(SecurityDataAdmin):
    list_display = ["user", "agency", "serial", "status", "not_after", "issue_method"]
    list_filter = ["status", "issue_method", "key_algorithm"]
    search_fields = ["serial", "fingerprint_sha256", "user__username", "user__display_name"]
    exclude = ["der"]


@admin.register(CertApplication)
class CertApplicationAdmin(SecurityDataAdmin):
    list_display = ["number", "kind", "agency", "person_name", "status", "updated_at"]
    list_filter = ["kind", "status", "emergency"]
    search_fields = ["number", "person_name"]
