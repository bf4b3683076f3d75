"""Access functions for certificate applications and certificates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.accounts.models import Role
from gongkai.pki.models import CertApplication, Certificate

# Who may act on applications at all (the step rules in services decide which step).
WORKFLOW_ROLES = frozenset(
    {Role.CLERK, Role.APPROVER, Role.DEPT_HEAD, Role.OFFICE_HEAD, Role.GUIDANCE, Role.NETWORK}
)


def get_cert_application_for_user(
    user: Any, pk: int | str, *, write: bool = False
) -> CertApplication:
    """The application with ``pk`` if ``user`` may see it (404 otherwise, missing or not).

    Visible: applications of the agencies the user sees (``visible_agency_ids``) and the
    user's own. With ``write=True`` the user must hold a workflow role covering the
    application's agency (403 otherwise); the services check the step itself.
    """
    try:
        app = (
            CertApplication.objects.for_user(user)
            .select_related("agency", "person", "certificate", "old_certificate")
            .get(pk=pk)
        )
    except (CertApplication.DoesNotExist, ValueError):
        raise Http404("申请单不存在或无权查看。") from None
    if write and not (user.roles_in(app.agency_id) & WORKFLOW_ROLES):
        raise PermissionDenied("您无权办理该申请单。")
    return app


def get_certificate_for_user(user: Any, pk: int | str, *, write: bool = False) -> Certificate:
    """The certificate with ``pk`` if ``user`` may see it (404 otherwise).

    With ``write=True`` (emergency revocation) the user must be 网管科 covering the
    certificate's agency (403 otherwise).
    """
    try:
        cert = Certificate.objects.for_user(user).select_related("user", "agency", "ca").get(pk=pk)
    except (Certificate.DoesNotExist, ValueError):
        raise Http404("证书不存在或无权查看。") from None
    if write and Role.NETWORK not in user.roles_in(cert.agency_id):
        raise PermissionDenied("只有协调办网管科可以吊销证书。")
    return cert
