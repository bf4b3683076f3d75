"""Access functions of the assessment app.

* The 指导科 (guidance section) of a region runs assessments and inspections for every agency
  of that region and below, and sees everything of them.
* Any other staff member sees, of an assessment, only their own agency's scores (with the
  evidence) and rank; of inspections, those of their agency; of work plans, the plans of the
  regions their agency belongs to.
* The three administrators see nothing here (三员分立: no business data).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from gongkai.accounts.models import Role
from gongkai.agencies.models import Region

# Roles of an agency that may report progress for it (besides the named owner).
TASK_ROLES = {Role.DEPT_HEAD, Role.OFFICE_HEAD, Role.APPROVER}


def _staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and not user.admin_role)


def guidance_region_ids(user: Any) -> set[int]:
    """Regions (and sub-regions) where ``user`` is 指导科."""
    if not _staff(user):
        return set()
    if hasattr(user, "_guidance_region_ids"):
        cached: set[int] = user._guidance_region_ids
        return cached
    ids: set[int] = set()
    for m in user.active_memberships:
        if m.role == Role.GUIDANCE:
            ids.update(m.agency.region.descendant_ids())
    user._guidance_region_ids = ids
    return ids


def can_run(user: Any, region: Any) -> bool:
    """Whether ``user`` is the guidance section of ``region`` (or of a region above it)."""
    return region is not None and region.pk in guidance_region_ids(user)


def own_agency_ids(user: Any) -> set[int]:
    if not _staff(user):
        return set()
    return {m.agency_id for m in user.active_memberships}


def can_update_task(user: Any, agency: Any) -> bool:
    return bool(_staff(user) and set(user.roles_in(agency.pk)) & TASK_ROLES)


def is_assessor(user: Any) -> bool:
    return bool(guidance_region_ids(user))


def assessments_for_user(user: Any) -> QuerySet:
    """Assessments of the guidance section's regions; for other staff, those that scored
    their agency."""
    from gongkai.assessment.models import Assessment

    if not _staff(user):
        return Assessment.objects.none()
    regions = guidance_region_ids(user)
    own = own_agency_ids(user)
    return Assessment.objects.filter(
        Q(region_id__in=regions) | Q(results__agency_id__in=own)
    ).distinct()


def get_assessment_for_user(user: Any, pk: int | str) -> tuple[Any, bool]:
    """(assessment, full): ``full`` for its assessor; otherwise only own-agency rows may be
    shown. 404 for missing and invisible alike."""
    try:
        a = assessments_for_user(user).select_related("region").get(pk=pk)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404("考核不存在或无权查看。") from exc
    return a, can_run(user, a.region)


def visible_agency_ids_in(user: Any, assessment: Any) -> set[int] | None:
    """Agencies of ``assessment`` whose scores ``user`` may see (None: all)."""
    return None if can_run(user, assessment.region) else own_agency_ids(user)


def inspections_for_user(user: Any) -> QuerySet:
    from gongkai.assessment.models import Inspection

    if not _staff(user):
        return Inspection.objects.none()
    return Inspection.objects.filter(
        Q(agency__region_id__in=guidance_region_ids(user)) | Q(agency_id__in=own_agency_ids(user))
    )


def get_inspection_for_user(user: Any, pk: int | str) -> Any:
    try:
        return inspections_for_user(user).select_related("agency__region").get(pk=pk)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404("检查记录不存在或无权查看。") from exc


def tasks_for_user(user: Any) -> QuerySet:
    from gongkai.assessment.models import RectificationTask

    if not _staff(user):
        return RectificationTask.objects.none()
    return RectificationTask.objects.filter(
        Q(finding__inspection__agency__region_id__in=guidance_region_ids(user))
        | Q(finding__inspection__agency_id__in=own_agency_ids(user))
    )


def get_task_for_user(user: Any, pk: int | str) -> Any:
    try:
        return (
            tasks_for_user(user)
            .select_related("finding__inspection__agency__region", "owner")
            .get(pk=pk)
        )
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404("整改任务不存在或无权查看。") from exc


def workplans_for_user(user: Any) -> QuerySet:
    """Plans of the guidance section's regions, and of the regions above each own agency."""
    from gongkai.assessment.models import WorkPlan

    if not _staff(user):
        return WorkPlan.objects.none()
    region_ids = set(guidance_region_ids(user))
    for m in user.active_memberships:
        r: Region | None = m.agency.region
        while r is not None:
            region_ids.add(r.pk)
            r = r.parent
    return WorkPlan.objects.filter(region_id__in=region_ids)


def get_workplan_for_user(user: Any, pk: int | str) -> Any:
    try:
        return workplans_for_user(user).select_related("region").get(pk=pk)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404("工作要点不存在或无权查看。") from exc
