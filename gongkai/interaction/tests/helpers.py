"""Shared setup for the interaction tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gongkai.interaction import services
from gongkai.interaction.models import Question

QUESTION: dict[str, Any] = {
    "kind": "consult",
    "title": "低保申请需要哪些材料",
    "body": "我家在东昌区，想申请城市低保，请问需要准备哪些材料？",
    "name": "张三",
    "contact": "13912345678",
    "may_publish": True,
}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def submit(day: dt.date = dt.date(2012, 3, 5), **data: Any) -> tuple[Question, str]:
    return services.question_submit(data={**QUESTION, **data}, now=at(day))


def answered(tc: Any, day: dt.date = dt.date(2012, 3, 5), **data: Any) -> Question:
    """A 留言 routed to agency A by 陈指导 and answered by 李四 (awaiting review)."""
    q, _ = submit(day, **data)
    services.question_route(question=q, agency=tc.agency_a, by=tc.chenzd)
    return services.question_answer(
        question=q, by=tc.lisi, text="请携带户口簿、身份证和收入证明到街道办理。"
    )


def policy_item(tc: Any, published: dt.datetime, **fields: Any) -> Any:
    """A public 政策法规 catalog item of agency A, published at ``published``."""
    from gongkai.publishing.models import CatalogItem

    base = {
        "agency": tc.agency_a,
        "title": "通化市城乡最低生活保障办法",
        "doc_number": "通政发〔2012〕8号",
        "formed_on": published.date(),
        "status": "published",
        "published_at": published,
        "content_class": "policy",
        "index_number": "th-mzj-2012-0008",
        "created_by": tc.lisi,
    }
    base.update(fields)
    return CatalogItem.objects.create(**base)
