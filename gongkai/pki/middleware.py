"""Client-certificate middleware: the second factor of staff login.

On every request:

1. Find the presented certificate. The proxy headers (``PKI_CERT_HEADER`` with the URL-
   encoded PEM, ``PKI_VERIFY_HEADER`` = ``SUCCESS``) count only when ``REMOTE_ADDR`` is in
   ``settings.TRUSTED_PROXIES``; from anyone else they are ignored. Without TLS client
   authentication, a certificate proven by the signed-challenge login is bound to the
   session instead.
2. Map its SHA-256 fingerprint to a certificate row and check it in the database (active,
   not revoked, inside its validity period, and belonging to the logged-in user), so that a
   revocation takes effect at once, before any CRL refresh.
3. Set ``request.cert_serial`` (the audit log records it) and ``request.client_certificate``.
4. Staff whose roles are in ``PKI_CERT_REQUIRED_ROLES`` get a 403 page on the protected
   staff paths (``PKI_PROTECTED_PREFIXES``) without such a certificate.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Callable
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.lib.ratelimit import is_trusted_proxy
from gongkai.pki import conf

SESSION_CERT = "pki_cert_fp"  # fingerprint proven by the signed challenge
SESSION_LOGGED = "pki_logged_fp"  # fingerprint whose login was recorded in this session


def proxy_fingerprint(request: HttpRequest) -> str | None:
    """SHA-256 of the certificate the trusted proxy verified, or ``None``."""
    if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
        return None
    if request.META.get(conf.verify_header()) != "SUCCESS":
        return None
    raw = request.META.get(conf.cert_header(), "")
    if not raw:
        return None
    pem = urllib.parse.unquote(raw).strip()
    try:
        cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return None
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def requires_certificate(user: Any) -> bool:
    """Whether settings make this user present a certificate on staff pages."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = conf.required_roles()
    if not roles:
        return False
    if user.admin_role and user.admin_role in roles:
        return True
    return user.has_role(*roles)


def _record_login(request: HttpRequest, cert: Any, via: str) -> None:
    """Record the login with the request's IP and serial (the audit middleware runs later)."""
    from gongkai.audit import context
    from gongkai.pki.services import certificate_record_login

    ctx = context.AuditContext(
        user=cert.user,
        ip=context.client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        cert_serial=cert.serial,
    )
    token = context.set_context(ctx)
    try:
        certificate_record_login(certificate=cert, via=via)
    finally:
        context.reset(token)


class CertificateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from gongkai.pki.models import Certificate

        request.cert_serial = ""  # type: ignore[attr-defined]
        request.client_certificate = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        authenticated = bool(user is not None and user.is_authenticated)
        session = getattr(request, "session", None)

        fp = proxy_fingerprint(request)
        via = "TLS 客户端证书"
        if fp is None and authenticated and session is not None:
            fp = session.get(SESSION_CERT)
            via = "签名挑战"
        problem = "none"
        if fp:
            cert = Certificate.objects.select_related("user").filter(fingerprint_sha256=fp).first()
            now = timezone.now()
            if cert is None:
                problem = "unknown"
            elif not cert.is_valid(now):
                problem = "invalid"
            elif authenticated and cert.user_id != user.pk:  # type: ignore[union-attr]
                problem = "other"
            else:
                problem = ""
                request.cert_serial = cert.serial  # type: ignore[attr-defined]
                request.client_certificate = cert  # type: ignore[attr-defined]
                if authenticated and session is not None and session.get(SESSION_LOGGED) != fp:
                    _record_login(request, cert, via)
                    session[SESSION_LOGGED] = fp
            if problem and session is not None and session.get(SESSION_CERT) == fp:
                session.pop(SESSION_CERT, None)  # revoked/expired: the challenge no longer holds

        if (
            authenticated
            and request.client_certificate is None  # type: ignore[attr-defined]
            and request.path.startswith(conf.protected_prefixes())
            and requires_certificate(user)
        ):
            return render(
                request,
                "pki/certificate_required.html",
                {"problem": problem},
                status=403,
            )
        return self.get_response(request)
