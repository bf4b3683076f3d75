"""政策解读 and 热点回应: entered as a draft, published by a leader after the 保密审查.

"Important policies" (``important_policies``) are public catalog items of 内容类别 政策法规
or counted as 规章/行政规范性文件 (第二十条事项); each should have a published interpretation
within ``INTERPRETATION_WORKDAYS`` (3) working days of its publication.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from gongkai.audit.services import audit_log
from gongkai.interaction.models import Interpretation
from gongkai.interaction.services.common import (
    NON_VIEWER_ROLES,
    REVIEW_ROLES,
    InteractionError,
    clean_text,
    findings_message,
    locked,
    now_of,
    require_roles,
    scan_for_publication,
    today_of,
)

INTERPRETATION_WORKDAYS = 3
GRAPHIC_TYPES = {"png", "jpg", "jpeg"}


def _check_graphic(graphic: Any) -> tuple[str, bytes]:
    from gongkai.publishing import scanner

    name = getattr(graphic, "name", "") or "graphic"
    data = graphic.read()
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in GRAPHIC_TYPES:
        raise InteractionError("图解只接受 PNG 或 JPG 图片。")
    try:
        scanner.check_upload(name, data)
    except scanner.UploadError as exc:
        raise InteractionError(str(exc)) from exc
    return name, data


def interpretation_save(
    *,
    by: Any,
    agency: Any,
    kind: str,
    title: str,
    body: str,
    video_url: str = "",
    graphic: Any = None,
    graphic_alt: str = "",
    items: list[Any] | None = None,
    interpretation: Interpretation | None = None,
) -> Interpretation:
    """Create a draft interpretation, or change one that is not published.

    The linked catalog items must belong to agencies ``by`` may see (checked by the form's
    queryset) — an interpretation may explain another agency's document (a 市政府 policy
    explained by the 民政局)."""
    require_roles(by, agency.pk, NON_VIEWER_ROLES, "录入解读回应")
    if kind not in Interpretation.Kind.values:
        raise InteractionError("请选择类别（政策解读或热点回应）。")
    title = clean_text(title, what="标题", max_length=200)
    body = clean_text(body, what="正文", max_length=50000)
    graphic_alt = clean_text(graphic_alt, what="图解文字说明", max_length=300, required=False)
    if video_url and not video_url.startswith(("https://", "http://")):
        raise InteractionError("视频链接须以 http:// 或 https:// 开头。")
    upload = _check_graphic(graphic) if graphic else None
    if upload and not graphic_alt:
        raise InteractionError("请为图解填写文字说明（供读屏软件朗读）。")
    with transaction.atomic():
        if interpretation is None:
            obj = Interpretation(created_by=by)
            old = None
        else:
            obj = locked(interpretation)
            if obj.status == Interpretation.Status.PUBLISHED:
                raise InteractionError("已发布的解读不能直接修改，请先撤回。")
            old = obj.title
        obj.agency = agency
        obj.kind = kind
        obj.title = title
        obj.body = body
        obj.video_url = video_url
        obj.graphic_alt = graphic_alt
        if upload:
            obj.graphic.save(upload[0], ContentFile(upload[1]), save=False)
        obj.save()
        if items is not None:
            obj.items.set(items)
        audit_log(
            "interaction.interpretation.created"
            if interpretation is None
            else "interaction.interpretation.changed",
            obj=obj,
            actor=by,
            changes={"title": [old, title]},
        )
    return obj


def interpretation_publish(
    *, interpretation: Interpretation, by: Any, now: dt.datetime | None = None
) -> Interpretation:
    """A leader of the agency publishes the interpretation after the 保密审查 found nothing."""
    require_roles(by, interpretation.agency_id, REVIEW_ROLES, "发布解读回应")
    now = now_of(now)
    current = Interpretation.objects.get(pk=interpretation.pk)
    findings = scan_for_publication(
        ("标题", current.title), ("正文", current.body), ("图解说明", current.graphic_alt)
    )
    if findings:  # kept for the editor to see, outside the refused transaction
        Interpretation.objects.filter(pk=interpretation.pk).update(scan_findings=findings)
        raise InteractionError(findings_message(findings))
    with transaction.atomic():
        obj = locked(interpretation)
        if obj.status == Interpretation.Status.PUBLISHED:
            raise InteractionError("该解读已发布。")
        if (obj.title, obj.body, obj.graphic_alt) != (
            current.title,
            current.body,
            current.graphic_alt,
        ):
            raise InteractionError("解读内容刚被修改，请重新审核。")
        obj.scan_findings = []
        old = obj.status
        obj.status = Interpretation.Status.PUBLISHED
        obj.published_at = now
        obj.save(update_fields=["status", "published_at", "scan_findings"])
        audit_log(
            "interaction.interpretation.published",
            obj=obj,
            actor=by,
            changes={"status": [old, obj.status]},
        )
        pk = obj.pk
        transaction.on_commit(lambda: sync_interpretation_search([pk]))
    return obj


def interpretation_withdraw(
    *, interpretation: Interpretation, by: Any, reason: str
) -> Interpretation:
    reason = clean_text(reason, what="撤回理由", max_length=300)
    require_roles(by, interpretation.agency_id, REVIEW_ROLES, "撤回解读回应")
    with transaction.atomic():
        obj = locked(interpretation)
        if obj.status != Interpretation.Status.PUBLISHED:
            raise InteractionError("只有已发布的解读可以撤回。")
        obj.status = Interpretation.Status.WITHDRAWN
        obj.save(update_fields=["status"])
        audit_log(
            "interaction.interpretation.withdrawn",
            obj=obj,
            actor=by,
            changes={"status": ["published", "withdrawn"]},
            message=reason,
        )
        pk = obj.pk
        transaction.on_commit(lambda: sync_interpretation_search([pk]))
    return obj


# --- important policies without interpretation -------------------------------------------


def important_policies() -> Any:
    """Public catalog items that need an interpretation: 内容类别 政策法规, or 第二十条事项
    规章 / 行政规范性文件."""
    from gongkai.publishing.models import CatalogItem

    return CatalogItem.objects.public().filter(
        Q(content_class="policy") | Q(art20_item__in=("regulation", "normative"))
    )


def _deadline(published: dt.datetime) -> dt.date | None:
    from gongkai.workdays.calendar import CalendarMissingError, add_workdays

    try:
        return add_workdays(timezone.localtime(published).date(), INTERPRETATION_WORKDAYS)
    except CalendarMissingError:
        return None


def policies_missing_interpretation(
    *, today: dt.date | None = None, agency_ids: Any = None, lookback_days: int | None = None
) -> list[Any]:
    """Important policies published more than 3 working days before ``today`` (within the
    last ``INTERACTION_INTERPRETATION_LOOKBACK_DAYS``, default 90, calendar days) that have
    no published interpretation. Each item gets ``interpretation_due`` (the date)."""
    today = today_of(today)
    if lookback_days is None:
        lookback_days = int(getattr(settings, "INTERACTION_INTERPRETATION_LOOKBACK_DAYS", 90))
    since = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=lookback_days), dt.time())
    )
    qs = important_policies().filter(published_at__gte=since)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    qs = qs.exclude(interpretations__status=Interpretation.Status.PUBLISHED).select_related(
        "agency"
    )
    out = []
    for item in qs.order_by("published_at")[:500]:
        due = _deadline(item.published_at)
        if due is not None and due < today:
            item.interpretation_due = due
            out.append(item)
        elif due is None and timezone.localdate(item.published_at) + dt.timedelta(days=3) < today:
            # The calendar has no data for the period (it fails closed): the policy may be
            # overdue, so it is listed with an unknown due date rather than silently dropped.
            # (Three working days are never fewer than three calendar days.)
            item.interpretation_due = None
            out.append(item)
    return out


def interpretation_timeliness(year: int, agency_ids: Any = None) -> dict[str, int]:
    """For 考核: important policies published in ``year`` (of ``agency_ids``), how many have a
    published interpretation, and how many got it within 3 working days of publication."""
    qs = important_policies().filter(published_at__year=year)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    rows = qs.annotate(
        first_interpretation=Min(
            "interpretations__published_at",
            filter=Q(interpretations__status=Interpretation.Status.PUBLISHED),
        )
    ).values_list("published_at", "first_interpretation")
    policies = interpreted = timely = 0
    for published, first in rows:
        policies += 1
        if first is None:
            continue
        interpreted += 1
        due = _deadline(published)
        if due is not None and timezone.localtime(first).date() <= due:
            timely += 1
    return {"policies": policies, "interpreted": interpreted, "within_3_workdays": timely}


# --- search -------------------------------------------------------------------------------


def interpretation_search_doc(obj: Interpretation) -> Any:
    from django.urls import reverse

    from gongkai.publishing import scanner
    from gongkai.search.api import SearchDoc

    return SearchDoc(
        key=f"interpretation:{obj.pk}",
        kind="interpretation",
        agency_id=obj.agency_id,
        title=scanner.mask_personal(obj.title),
        body_text=scanner.mask_personal(obj.body),
        published_at=obj.published_at,
        url=reverse("interaction_public:interpretation", kwargs={"pk": obj.pk}),
    )


def sync_interpretation_search(ids: list[int]) -> None:
    from gongkai.search import api

    public = list(Interpretation.objects.public().filter(pk__in=ids))
    if public:
        api.index_documents([interpretation_search_doc(o) for o in public])
    gone = [f"interpretation:{pk}" for pk in ids if pk not in {o.pk for o in public}]
    if gone:
        api.remove_documents(gone)
