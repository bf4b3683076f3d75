"""Test helpers: an item taken through the default review chain of agency A."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.publishing import services
from gongkai.publishing.models import Revision, Topic


def fields(**overrides: Any) -> dict[str, Any]:
    base = {
        "title": "通化市民政局关于2026年城乡低保标准的通知",
        "summary": "公布2026年城乡居民最低生活保障标准。",
        "body": "<p>各县（市、区）民政局：现将2026年低保标准通知如下。</p>",
        "doc_number": "通民发〔2026〕12号",
        "formed_on": dt.date(2026, 11, 2),
        "topic": Topic.objects.get(code="1703"),
        "genre": "notice",
        "keywords": "低保 标准",
    }
    base.update(overrides)
    return base


def approved(case: Any, **overrides: Any) -> Revision:
    """Frame entry by lisi → 一校 wangwu → 二校 qianqi → 终审 sunba."""
    rev = services.item_create(agency=case.agency_a, by=case.lisi, fields=fields(**overrides))
    services.revision_submit(revision=rev, by=case.lisi)
    for who in (case.wangwu, case.qianqi, case.sunba):
        services.review_record(revision=rev, by=who, decision="approve", comment="同意")
    rev.refresh_from_db()
    return rev


def detail_entry(case: Any, rev: Revision, **detail: Any) -> Revision:
    """详细信息录入 after 终审 by lisi, and the renewed 终审 by sunba it requires."""
    services.revision_update(revision=rev, by=case.lisi, fields=detail)
    services.review_record(revision=rev, by=case.sunba, decision="approve", comment="复核同意")
    rev.refresh_from_db()
    return rev


def published(case: Any, **overrides: Any) -> Any:
    rev = approved(case, **overrides)
    return services.item_publish(revision=rev, by=case.lisi)
