"""Access functions of the publishing app: one per protected object type.

Each returns the object when the user may see it and raises ``Http404`` for missing *and*
invisible objects; with ``write=True`` the user must also hold a write role (anything but
只读查看) in the object's agency, else ``PermissionDenied``. Finer rules (who reviews which
stage, who executes a change) are the services' guards.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.accounts.models import NON_VIEWER_ROLES
from gongkai.agencies.models import Agency
from gongkai.publishing.models import (
    Attachment,
    CatalogItem,
    ChangeRequest,
    Guide,
    ImportJob,
    Revision,
)


def can_write(user: Any, agency_id: int) -> bool:
    return bool(set(user.roles_in(agency_id)) & NON_VIEWER_ROLES)


def _check(user: Any, agency_id: int, write: bool) -> None:
    if write and not can_write(user, agency_id):
        raise PermissionDenied("您对该机构的信息只有查看权限。")


def get_item_for_user(user: Any, pk: Any, *, write: bool = False) -> CatalogItem:
    """A catalog item of an agency the user may see (``CatalogItem.objects.for_user``)."""
    try:
        item = (
            CatalogItem.objects.for_user(user).select_related("agency", "topic__parent").get(pk=pk)
        )
    except (CatalogItem.DoesNotExist, ValueError, TypeError):
        raise Http404("信息不存在或无权查看。") from None
    _check(user, item.agency_id, write)
    return item


def get_revision_for_user(user: Any, pk: Any, *, write: bool = False) -> Revision:
    """A revision of an item the user may see."""
    try:
        rev = (
            Revision.objects.for_user(user)
            .select_related("item__agency", "stage", "author")
            .get(pk=pk)
        )
    except (Revision.DoesNotExist, ValueError, TypeError):
        raise Http404("版本不存在或无权查看。") from None
    _check(user, rev.item.agency_id, write)
    return rev


def get_change_request_for_user(user: Any, pk: Any, *, write: bool = False) -> ChangeRequest:
    """A change/deletion request of an item the user may see (指导科/网管科: their region)."""
    try:
        cr = (
            ChangeRequest.objects.for_user(user)
            .select_related("item__agency", "revision", "requested_by")
            .get(pk=pk)
        )
    except (ChangeRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("申请不存在或无权查看。") from None
    _check(user, cr.item.agency_id, write)
    return cr


def get_attachment_for_user(user: Any, pk: Any, *, write: bool = False) -> Attachment:
    """An attachment of an item the user may see."""
    try:
        att = Attachment.objects.select_related("item").get(
            pk=pk, item__in=CatalogItem.objects.for_user(user)
        )
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404("附件不存在或无权查看。") from None
    _check(user, att.item.agency_id, write)
    return att


def get_guide_for_user(user: Any, pk: Any) -> Guide:
    """A guide version of an agency the user may see (guides are public, edits are not)."""
    try:
        return Guide.objects.for_user(user).select_related("agency").get(pk=pk)
    except (Guide.DoesNotExist, ValueError, TypeError):
        raise Http404("指南不存在或无权查看。") from None


def get_guide_agency_for_user(user: Any, agency_pk: Any) -> Agency:
    """The agency whose 公开指南 the user may edit: 404 when missing or its business data is
    invisible to the user — also for the three administrators, whose agency directory is no
    licence to write an agency's guide — and 403 for a visible agency the user may not edit."""
    from gongkai.publishing.services import can_edit_guide

    try:
        agency = Agency.objects.for_business(user).get(pk=agency_pk)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise Http404("机构不存在或无权编辑其公开指南。") from None
    if not can_edit_guide(user, agency):
        raise PermissionDenied("您无权编辑该机构的公开指南。")
    return agency


def import_jobs_for_user(user: Any) -> Any:
    """Import jobs the user started; none for the three administrators (三员分立: an import
    writes an agency's catalog, which is business data)."""
    if not user.is_authenticated or user.admin_role:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(created_by=user)


def get_import_job_for_user(user: Any, pk: Any) -> ImportJob:
    try:
        return import_jobs_for_user(user).get(pk=pk)
    except (ImportJob.DoesNotExist, ValueError, TypeError):
        raise Http404("导入任务不存在或无权查看。") from None
