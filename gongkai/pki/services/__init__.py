"""Writes of the pki app: the CA, issuance, revocation, the CRL and the certificate workflows.

Every transition has the house shape: guard (the application's transition table,
``services/flows.py`` ``workflow_for(app)``) → ``PkiError`` with a Chinese message →
``transaction.atomic`` + ``select_for_update`` → ``save(update_fields=…)`` → ``audit_log`` →
irreversible work (writing the CRL file for nginx, reloading it) in ``on_commit``.
"""

from __future__ import annotations

from gongkai.pki import conf as conf
from gongkai.pki.services.authority import _ca_key as _ca_key
from gongkai.pki.services.authority import (
    active_ca,
    ca_create,
    crl_generate,
    crl_is_due,
    crl_refresh,
    publish_files,
)
from gongkai.pki.services.certificates import certificate_revoke, user_urn
from gongkai.pki.services.common import PkiError
from gongkai.pki.services.flows import (
    DEPT_ROLES,
    FLOWS,
    NEW_FLOW,
    NOT_BY_PERSON,
    REJECTABLE,
    SPECIAL_STEPS,
    STEP_ROLES,
    can_do_next,
    can_reject,
    cert_actions,
    flow_of,
    next_status,
    step_roles_for,
    workflow_for,
)
from gongkai.pki.services.login import (
    certificate_record_login,
    certificate_remind_expiring,
    challenge_verify,
)
from gongkai.pki.services.workflows import (
    SCAN_TYPES,
    cert_application_advance,
    cert_application_issue,
    cert_application_reject,
    cert_application_revoke,
    cert_application_submit,
    certificate_emergency_revoke,
)

# Also re-exported, for the app's demo and tests: _ca_key.
__all__ = [
    "DEPT_ROLES",
    "FLOWS",
    "NEW_FLOW",
    "NOT_BY_PERSON",
    "PkiError",
    "REJECTABLE",
    "SCAN_TYPES",
    "SPECIAL_STEPS",
    "STEP_ROLES",
    "active_ca",
    "ca_create",
    "can_do_next",
    "can_reject",
    "cert_actions",
    "cert_application_advance",
    "cert_application_issue",
    "cert_application_reject",
    "cert_application_revoke",
    "cert_application_submit",
    "certificate_emergency_revoke",
    "certificate_record_login",
    "certificate_remind_expiring",
    "certificate_revoke",
    "challenge_verify",
    "crl_generate",
    "crl_is_due",
    "crl_refresh",
    "flow_of",
    "next_status",
    "publish_files",
    "step_roles_for",
    "user_urn",
    "workflow_for",
]
