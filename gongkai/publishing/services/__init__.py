"""Writes of the publishing app: entry, review, scan, publication, change/deletion, cleanup.

Every transition has the house shape: guard → ``PublishingError`` (Chinese) → atomic +
``select_for_update`` → ``save(update_fields)`` → ``audit_log`` → search (re)indexing in
``transaction.on_commit``.
"""

from __future__ import annotations

from gongkai.publishing import scanner as scanner
from gongkai.publishing.services.changes import (
    CHANGE_FLOW,
    change_request_amend,
    change_request_create,
    change_request_step,
    change_requests_reopen,
)
from gongkai.publishing.services.cleanup import (
    CLEANUP_ROLES,
    WITHHELD_ROLES,
    item_set_validity,
    withheld_review_record,
)
from gongkai.publishing.services.common import (
    ALLOWED_TAGS,
    CHANGE_REQUEST_ROLES,
    DETAIL_FIELDS,
    ENTRY_ROLES,
    REVIEWER_ROLES,
    PublishingError,
    field_label,
    sanitize_body,
)
from gongkai.publishing.services.entry import (
    attachment_add,
    attachment_remove,
    item_create,
    review_record,
    revision_scan,
    revision_submit,
    revision_update,
    scan_override,
)
from gongkai.publishing.services.guides import (
    GUIDE_FIELDS,
    GUIDE_ROLES,
    can_edit_guide,
    guide_save,
    register_guide_change_hook,
)
from gongkai.publishing.services.indexing import _sync_search as _sync_search
from gongkai.publishing.services.indexing import item_url, search_doc_for
from gongkai.publishing.services.publication import _formation_workdays as _formation_workdays
from gongkai.publishing.services.publication import (
    catalog_run_schedule,
    index_number_make,
    index_prefix_period,
    item_publish,
    item_unschedule,
)

# Also re-exported, for the app's own importing and demo modules: _sync_search and
# _formation_workdays.
__all__ = [
    "ALLOWED_TAGS",
    "CHANGE_FLOW",
    "CHANGE_REQUEST_ROLES",
    "CLEANUP_ROLES",
    "DETAIL_FIELDS",
    "ENTRY_ROLES",
    "GUIDE_FIELDS",
    "GUIDE_ROLES",
    "PublishingError",
    "REVIEWER_ROLES",
    "WITHHELD_ROLES",
    "attachment_add",
    "attachment_remove",
    "can_edit_guide",
    "catalog_run_schedule",
    "change_request_amend",
    "change_request_create",
    "change_request_step",
    "change_requests_reopen",
    "field_label",
    "guide_save",
    "index_number_make",
    "index_prefix_period",
    "item_create",
    "item_publish",
    "item_set_validity",
    "item_unschedule",
    "item_url",
    "register_guide_change_hook",
    "review_record",
    "revision_scan",
    "revision_submit",
    "revision_update",
    "sanitize_body",
    "scan_override",
    "search_doc_for",
    "withheld_review_record",
]
