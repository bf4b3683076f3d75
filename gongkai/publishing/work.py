"""What is waiting for whom: the per-role queue and the actions offered on an item page."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from gongkai.accounts.models import REGION_ROLES, Role
from gongkai.agencies.querysets import visible_agency_ids
from gongkai.publishing import flows
from gongkai.publishing.flows import CHANGE_FLOW
from gongkai.publishing.models import CatalogItem, ChangeRequest, Review, Revision
from gongkai.publishing.services import CLEANUP_ROLES, WITHHELD_ROLES


def _agencies_with(user: Any, roles: set[str]) -> set[int]:
    """Agencies where the user holds one of ``roles`` (region roles: every visible agency)."""
    if not user.is_authenticated:
        return set()
    ids = {m.agency_id for m in user.active_memberships if m.role in roles}
    if roles & REGION_ROLES and any(
        m.role in roles & REGION_ROLES for m in user.active_memberships
    ):
        ids |= visible_agency_ids(user) or set()
    return ids


def entry_agency_ids(user: Any) -> set[int]:
    return _agencies_with(user, {Role.CLERK})


def reviews_waiting(user: Any) -> QuerySet:
    """Revisions in review whose current stage's role the user holds, not their own entry,
    and whose previous stage of this round the user did not decide (``flows.can_review``)."""
    cond = Q(pk__in=[])
    for m in user.active_memberships if user.is_authenticated else []:
        cond |= Q(item__agency_id=m.agency_id, stage__role=m.role)
    mine_last = Review.objects.filter(
        revision=OuterRef("pk"), created_at__gte=OuterRef("submitted_at")
    ).order_by("-created_at", "-id")
    return (
        Revision.objects.filter(status=Revision.Status.IN_REVIEW)
        .filter(cond)
        .exclude(author=user)
        .annotate(last_reviewer=Subquery(mine_last.values("reviewer_id")[:1]))
        .filter(Q(last_reviewer__isnull=True) | ~Q(last_reviewer=user.pk))
        .select_related("item__agency", "stage", "author")
    )


def changes_waiting(user: Any) -> QuerySet:
    """Change requests whose next step belongs to one of the user's roles."""
    cond = Q(pk__in=[])
    for status, (_step, role, _next) in CHANGE_FLOW.items():
        ids = _agencies_with(user, {role})
        if ids:
            cond |= Q(status=status, item__agency_id__in=ids)
    return ChangeRequest.objects.filter(cond).select_related("item__agency", "requested_by")


def work_for(user: Any) -> dict[str, Any]:
    """Everything waiting for ``user``, grouped for the queue page."""
    mine = Revision.objects.filter(author=user).select_related("item__agency", "stage")
    cleanup_ids = _agencies_with(user, set(WITHHELD_ROLES))
    return {
        "to_review": list(reviews_waiting(user)[:100]),
        "drafts": list(mine.filter(status=Revision.Status.DRAFT)[:100]),
        "returned": list(mine.filter(status=Revision.Status.RETURNED)[:100]),
        "to_publish": list(
            mine.filter(status=Revision.Status.APPROVED, item__status=CatalogItem.Status.DRAFT)[
                :100
            ]
        ),
        "changes": [c for c in changes_waiting(user)[:100] if flows.can_step(user, c)],
        "withheld": CatalogItem.objects.filter(agency_id__in=cleanup_ids)
        .withheld_review_due()
        .count()
        if cleanup_ids
        else 0,
        "late": CatalogItem.objects.for_user(user).late().count(),
    }


# The names the item template uses for the REVISION_WORKFLOW verbs.
_BUTTON = {"review_approve": "review", "scan_override": "override"}


def actions_for(user: Any, item: CatalogItem, working: Revision | None) -> set[str]:
    """The buttons to show on an item page: the verbs ``REVISION_WORKFLOW`` allows ``user``
    on the working revision (the same predicates the services guard with), plus the
    item-level actions on a published item."""
    roles = set(user.roles_in(item.agency_id))
    actions: set[str] = set()
    if working is not None:
        working.item = item
        allowed = flows.revision_actions(user, working) - {"review_return"}
        actions |= {_BUTTON.get(v, v) for v in allowed}
        actions.add("scan")
    if item.status == CatalogItem.Status.PUBLISHED:
        if roles & flows.CHANGE_REQUEST_ROLES and not item.change_requests.open().exists():
            actions.add("change")
        if roles & CLEANUP_ROLES:
            actions.add("validity")
    if (
        item.disclosure_mode != "proactive"
        and roles & WITHHELD_ROLES
        and item.status == CatalogItem.Status.PUBLISHED
    ):
        actions.add("withheld")
    return actions


def change_next_step(user: Any, cr: ChangeRequest) -> str | None:
    """The label of the step ``user`` may do (or refuse) now on ``cr`` (``CHANGE_WORKFLOW``),
    or None. When the records no longer cover the content only refusing is allowed."""
    if not (flows.can_step(user, cr) or flows.can_refuse(user, cr)):
        return None
    from gongkai.publishing.models import ChangeStep

    return ChangeStep.Step(flows.CHANGE_FLOW[cr.status][0]).label
