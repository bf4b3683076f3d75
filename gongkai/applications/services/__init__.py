"""Writes of the applications app: every step of an application's life.

Each service has the house shape: guard → ``ApplicationError`` with a Chinese message →
``transaction.atomic`` + ``select_for_update`` → save(update_fields)
→ history event + audit entry + outbox rows + notices inside the transaction → sending
in ``on_commit``. ``today``/``now`` are optional so tests pass explicit dates.

The guard of every step in the transition table (``applications/flows.py``) is that table:
``APPLICATION_WORKFLOW.require(verb, by, app, ApplicationError)`` on the locked row decides
who may take the step in the current status and words the refusal; the services check only
their input (dates, amounts, the outcome cell) besides.

The statutory clock is never stored by hand: ``_refresh_clock`` recomputes ``due_on``
from the application's events through the workdays deadline engine after every change
of one of its inputs (see ``clock.py``).
"""

from gongkai.applications.services.common import (
    ALTERNATIVE_NOTICES,
    APPLICATION_DESK_ROLES,
    CONFIRM_CHANNELS,
    CONSULTATION_WORKDAYS,
    HANDLER_ROLES,
    LAPSE_OUTCOMES,
    NUMBER_RE,
    QUERY_CODE_ALPHABET,
    QUERY_CODE_LENGTH,
    ApplicationError,
    check_query_code,
    correction_default_workdays,
    fee_payment_workdays,
    hash_query_code,
    new_query_code,
    normalise_query_code,
)
from gongkai.applications.services.intake import (
    APPLICANT_FIELDS,
    application_assign,
    application_confirm,
    application_lapse_overdue,
    application_receive_correction,
    application_register,
    application_request_correction,
    application_submit_online,
    find_duplicate,
)
from gongkai.applications.services.ops import digest_build, outbox_send, recompute_open_deadlines
from gongkai.applications.services.processing import (
    application_approve_extension,
    application_request_extension,
    application_set_delayed_due,
    consultation_receipt_rule,
    consultation_record,
    consultation_record_receipt,
    consultation_start,
    fee_notify,
    fee_record_payment,
    item_rank,
)
from gongkai.applications.services.reasons import (
    application_accept_reasons,
    application_receive_reasons,
    application_request_reasons,
    application_withdraw,
    reasons_default_workdays,
)
from gongkai.applications.services.reply import (
    application_record_service,
    application_reply,
    notice_template_revise,
)
from gongkai.applications.services.signoff import (
    pending_draft,
    reply_draft_return,
    reply_draft_sign,
    reply_draft_submit,
    reply_signoff_configure,
    signoff_refusal,
)
from gongkai.applications.services.signoff_rules import signoff_required

__all__ = [
    "ALTERNATIVE_NOTICES",
    "APPLICANT_FIELDS",
    "CONFIRM_CHANNELS",
    "CONSULTATION_WORKDAYS",
    "HANDLER_ROLES",
    "LAPSE_OUTCOMES",
    "NUMBER_RE",
    "QUERY_CODE_ALPHABET",
    "QUERY_CODE_LENGTH",
    "APPLICATION_DESK_ROLES",
    "ApplicationError",
    "application_accept_reasons",
    "application_approve_extension",
    "application_assign",
    "application_confirm",
    "application_lapse_overdue",
    "application_receive_correction",
    "application_receive_reasons",
    "application_record_service",
    "application_register",
    "application_reply",
    "application_request_correction",
    "application_request_extension",
    "application_request_reasons",
    "application_set_delayed_due",
    "application_submit_online",
    "application_withdraw",
    "pending_draft",
    "reply_draft_return",
    "reply_draft_sign",
    "reply_draft_submit",
    "reply_signoff_configure",
    "signoff_refusal",
    "signoff_required",
    "check_query_code",
    "consultation_receipt_rule",
    "consultation_record",
    "consultation_record_receipt",
    "consultation_start",
    "correction_default_workdays",
    "digest_build",
    "fee_notify",
    "fee_payment_workdays",
    "fee_record_payment",
    "find_duplicate",
    "hash_query_code",
    "item_rank",
    "new_query_code",
    "normalise_query_code",
    "notice_template_revise",
    "outbox_send",
    "reasons_default_workdays",
    "recompute_open_deadlines",
]
