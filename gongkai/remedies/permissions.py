"""Access functions for remedy cases and complaints."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.accounts.models import NON_VIEWER_ROLES
from gongkai.remedies.models import Complaint, RemedyCase


def _can_write(user: Any, agency_id: int) -> bool:
    """A non-read-only role in the agency; the three administrators hold none (三员分立)."""
    return bool(user.roles_in(agency_id) & NON_VIEWER_ROLES)


def get_remedy_case_for_user(user: Any, pk: int | str, *, write: bool = False) -> RemedyCase:
    """The case if ``user`` may see it (404 for missing and invisible alike); ``write`` also
    needs a non-read-only role in the case's agency (403)."""
    try:
        case = RemedyCase.objects.for_user(user).select_related("agency", "application").get(pk=pk)
    except (RemedyCase.DoesNotExist, ValueError):
        raise Http404("案件不存在或无权查看。") from None
    if write and not _can_write(user, case.agency_id):
        raise PermissionDenied("您无权修改该案件。")
    return case


def get_complaint_for_user(user: Any, pk: int | str, *, write: bool = False) -> Complaint:
    """The complaint if ``user`` may see it (404 otherwise); ``write`` as for cases (403)."""
    try:
        complaint = Complaint.objects.for_user(user).select_related("agency").get(pk=pk)
    except (Complaint.DoesNotExist, ValueError):
        raise Http404("记录不存在或无权查看。") from None
    if write and not _can_write(user, complaint.agency_id):
        raise PermissionDenied("您无权修改该记录。")
    return complaint
