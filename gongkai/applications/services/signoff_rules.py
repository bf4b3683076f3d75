"""Whether an agency's replies need 审签 (kept apart so the reply service can ask it)."""

from __future__ import annotations

from gongkai.applications.models import ReplySignoffPolicy


def signoff_required(agency_id: int) -> bool:
    """True when the agency configured 审签 of replies (``ReplySignoffPolicy.required``)."""
    return ReplySignoffPolicy.objects.filter(agency_id=agency_id, required=True).exists()
