"""Demo catalog for 通化市: guides for every city department, a few dozen items across
agencies, columns and topics (including 2012 ones), and 民政局 items in every workflow state.

Idempotent (items are keyed by agency and title; guides are only created when missing) and
fast (a few hundred queries). 民政局 items go through the real services with the demo users
lisi/wangwu/qianqi/sunba so the review history and audit log are real.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.audit.services import audit_log
from gongkai.publishing import demo_content, services
from gongkai.publishing.models import Attachment, CatalogItem, Guide, Revision, Topic
from gongkai.publishing.topics import topics_load

TZ = timezone.get_default_timezone()

# 不予公开 / 依申请公开 entries of the catalog (for the Art 18 re-assessment queue)
WITHHELD = [
    (
        "th-mzj",
        "2012年城乡低保对象个人家庭收入核查明细",
        "withheld",
        "涉及个人隐私（第十五条）",
        "2012-05-10",
        "2012-05-20",
    ),
    (
        "th-czj",
        "2025年市本级财政专项资金绩效评价过程稿",
        "on_request",
        "属于过程性信息（第十六条）",
        "2025-09-01",
        "2025-09-10",
    ),
]

# agency code, title, doc number, formed on, published on, topic code, genre, column, content class, art20
ITEMS: list[tuple[str, str, str, str, str, str, str, str, str, str]] = [
    (
        "th-gov",
        "通化市人民政府关于印发通化市政府信息公开工作考核办法的通知",
        "通政发〔2012〕8号",
        "2012-03-05",
        "2012-03-12",
        "0201",
        "notice",
        "rules",
        "policy",
        "normative",
    ),
    (
        "th-gov",
        "通化市政府信息主动公开制度",
        "通政办发〔2012〕15号",
        "2012-04-10",
        "2012-04-16",
        "0201",
        "notice",
        "rules",
        "policy",
        "normative",
    ),
    (
        "th-gov",
        "通化市政府信息公开保密审查办法",
        "通政办发〔2012〕16号",
        "2012-04-10",
        "2012-04-17",
        "0206",
        "notice",
        "rules",
        "policy",
        "normative",
    ),
    (
        "th-gov",
        "通化市2012年国民经济和社会发展计划",
        "",
        "2012-02-20",
        "2012-03-01",
        "0301",
        "plan",
        "catalog",
        "plan",
        "",
    ),
    (
        "th-gov",
        "关于做好2012年春节期间安全生产工作的通告",
        "",
        "2012-01-10",
        "2012-01-12",
        "0905",
        "public_notice",
        "notice",
        "public_interest",
        "",
    ),
    (
        "th-fgw",
        "通化市“十二五”城乡发展规划",
        "",
        "2012-05-08",
        "2012-05-25",
        "1001",
        "plan",
        "catalog",
        "plan",
        "",
    ),
    (
        "th-fgw",
        "关于市区供热价格调整的批复",
        "通发改价〔2012〕31号",
        "2012-09-14",
        "2012-09-20",
        "0304",
        "reply",
        "catalog",
        "public_interest",
        "fee",
    ),
    (
        "th-czj",
        "通化市2011年市本级财政决算报告",
        "",
        "2012-07-02",
        "2012-07-20",
        "0401",
        "report",
        "catalog",
        "public_funds",
        "",
    ),
    (
        "th-czj",
        "通化市2012年市本级部门预算公开说明",
        "",
        "2012-03-20",
        "2012-04-05",
        "0401",
        "other",
        "catalog",
        "public_funds",
        "",
    ),
    (
        "th-czj",
        "2026年市本级政府采购目录及限额标准",
        "通财采〔2026〕3号",
        "2026-01-08",
        "2026-01-15",
        "0401",
        "notice",
        "catalog",
        "public_funds",
        "",
    ),
    (
        "th-rsj",
        "2012年通化市事业单位公开招聘工作人员公告",
        "",
        "2012-06-01",
        "2012-06-04",
        "1503",
        "announcement",
        "notice",
        "personnel",
        "",
    ),
    (
        "th-rsj",
        "通化市2026年城镇职工基本养老保险缴费基数通知",
        "通人社发〔2026〕5号",
        "2026-06-10",
        "2026-06-18",
        "1502",
        "notice",
        "catalog",
        "public_interest",
        "",
    ),
    (
        "th-jsj",
        "关于2012年城市棚户区改造项目的批复",
        "通建发〔2012〕22号",
        "2012-04-18",
        "2012-05-02",
        "1002",
        "reply",
        "catalog",
        "public_interest",
        "license",
    ),
    (
        "th-hbj",
        "2012年第二季度重点污染源监督性监测结果",
        "",
        "2012-07-05",
        "2012-07-16",
        "1003",
        "statistics",
        "catalog",
        "public_interest",
        "",
    ),
    (
        "th-hbj",
        "通化市环境保护局行政处罚决定书（通环罚〔2026〕7号）",
        "通环罚〔2026〕7号",
        "2026-09-03",
        "2026-09-10",
        "1003",
        "decision",
        "catalog",
        "public_interest",
        "penalty",
    ),
    (
        "th-wsj",
        "通化市2012年突发公共卫生事件应急预案",
        "",
        "2012-03-15",
        "2012-03-30",
        "1301",
        "plan",
        "catalog",
        "public_interest",
        "",
    ),
    (
        "th-gaj",
        "关于机动车驾驶证业务办理时间调整的通告",
        "",
        "2026-04-01",
        "2026-04-03",
        "1601",
        "public_notice",
        "notice",
        "public_interest",
        "",
    ),
    (
        "th-tjj",
        "2011年通化市国民经济和社会发展统计公报",
        "",
        "2012-03-28",
        "2012-04-06",
        "0303",
        "communique",
        "catalog",
        "other",
        "",
    ),
    (
        "th-jyj",
        "2012年通化市中考招生工作实施意见",
        "通教发〔2012〕18号",
        "2012-04-20",
        "2012-04-26",
        "1102",
        "opinion",
        "catalog",
        "public_interest",
        "normative",
    ),
    (
        "th-gkb",
        "通化市政务公开协调办召开2012年政府信息公开工作培训会",
        "",
        "2012-05-16",
        "2012-05-17",
        "0201",
        "news",
        "news",
        "other",
        "",
    ),
    (
        "th-gkb",
        "全市政府信息公开工作年度考核情况通报",
        "",
        "2026-02-10",
        "2026-02-14",
        "0201",
        "circular",
        "news",
        "other",
        "",
    ),
    (
        "th-wjj",
        "通化市行政事业性收费项目目录（2012年版）",
        "通价费〔2012〕9号",
        "2012-08-01",
        "2012-08-10",
        "0304",
        "notice",
        "catalog",
        "public_funds",
        "fee",
    ),
    (
        "dc-gov",
        "东昌区2012年农村危房改造工作实施方案",
        "东政办发〔2012〕11号",
        "2012-05-02",
        "2012-05-21",
        "1002",
        "notice",
        "catalog",
        "public_interest",
        "",
    ),
    (
        "dc-gov",
        "东昌区人民政府关于开展2026年秋季森林防火工作的通知",
        "",
        "2026-09-15",
        "2026-09-17",
        "0602",
        "notice",
        "notice",
        "public_interest",
        "",
    ),
]
MZJ_PUBLISHED = [
    (
        "通化市2012年城乡居民最低生活保障标准",
        "通民发〔2012〕5号",
        "2012-01-16",
        "2012-02-01",
        "1703",
        "normative",
    ),
    ("2012年第一季度城乡低保资金发放情况", "", "2012-04-06", "2012-04-18", "1703", ""),
    (
        "关于做好2012年度救灾物资储备工作的通知",
        "通民发〔2012〕21号",
        "2012-06-11",
        "2012-06-20",
        "1701",
        "",
    ),
    ("通化市民政局2026年社会组织年检结果公告", "", "2026-05-06", "2026-05-12", "1705", "license"),
    (
        "通化市民政局关于调整2026年城乡低保标准的通知",
        "通民发〔2026〕12号",
        "2026-07-01",
        "2026-08-20",
        "1703",
        "normative",
    ),
]
MZJ_WORK = [  # title, state
    ("2026年第四季度城乡低保资金发放情况（框架录入）", "draft"),
    ("关于开展2026年冬季困难群众走访慰问的通知", "in_review"),
    ("2026年养老服务补贴发放名单", "returned"),
    ("通化市民政局2026年度政府信息公开工作要点", "approved"),
]
GUIDE_TEXT = {
    "classification": "本机关主动公开的政府信息分为：机构职能、政策法规、规划计划、行政许可、行政处罚、财政资金、人事信息、工作动态等类别。",
    "arrangement": "政府信息按国务院主题分类和体裁分类编排，每条信息标注索引号、名称、内容概述、生成日期、发布机构和文号。",
    "access_methods": "一、主动公开：通过通化市人民政府信息公开网、政府公报、新闻发布会、公共查阅点获取。\n二、依申请公开：可通过网上申请、信函、当面等方式向本机关提出申请。",
}


def _aware(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, 0), tzinfo=TZ)


def _body(title: str) -> str:
    """The item's realistic demo body (``demo_content``); a short standard note otherwise."""
    return demo_content.body_html(title) or (
        "<p>本信息由发布机构依据《中华人民共和国政府信息公开条例》主动公开，"
        "如有疑问请与本机关政府信息公开工作机构联系。</p>"
    )


def _summary(title: str) -> str:
    return demo_content.summary_for(title) or title


def _attachment_files(title: str) -> list[tuple[str, bytes]]:
    """The files the demo renders for ``title`` (skipping a format whose renderer is missing)."""
    files = []
    for name, build in demo_content.ATTACHMENTS.get(title, []):
        data = build()
        if data:
            files.append((name, data))
    return files


def _attach_direct(item: CatalogItem, files: list[tuple[str, bytes]], when: dt.datetime) -> None:
    """Attachments of a legacy item (created with it, as the catalog import would)."""
    from django.core.files.base import ContentFile

    from gongkai.publishing import scanner

    for name, data in files:
        att = Attachment(
            item=item, original_name=name, size=len(data), sha256=scanner.sha256_hex(data),
            content_type=scanner.check_upload(name, data),
            extracted_text=scanner.extract_text(name, data), uploaded_at=when,
        )  # fmt: skip
        att.file.save(name, ContentFile(data), save=False)
        att.save()


def _publish_direct(agency: Agency, fields: dict[str, Any], when: dt.datetime) -> CatalogItem:
    """A legacy item of an agency without demo users: created published, with its revision.

    Its 索引号 year and 生成至发布 working days come from the item's own dates (``when`` and
    ``formed_on``), never from today's clock.
    """
    files = _attachment_files(fields["title"])
    with transaction.atomic():
        item = CatalogItem.objects.create(
            agency=agency, status=CatalogItem.Status.DRAFT, created_at=when, **fields
        )
        _attach_direct(item, files, when)
        from gongkai.publishing.services import _formation_workdays

        item.index_number = services.index_number_make(agency=agency, when=when)
        item.status, item.published_at = CatalogItem.Status.PUBLISHED, when
        item.publish_workdays = _formation_workdays(item.formed_on, when.date())
        item.save(update_fields=["index_number", "status", "published_at", "publish_workdays"])
        from gongkai.publishing.importing import _system_user

        author = _system_user()  # legacy items: recorded against the import service account
        Revision.objects.create(
            item=item,
            number=1,
            status=Revision.Status.PUBLISHED,
            author=author,
            created_at=when,
            published_at=when,
            **fields,
        )
        audit_log(
            "publishing.item.published",
            obj=item,
            message="演示数据",
            now=when,
            changes={"index_number": [None, item.index_number]},
        )
    return item


def _publish_workflow(
    mzj: Agency, users: dict[str, Any], topics: dict[str, Topic], row: Any
) -> CatalogItem:
    """A 民政局 item through the real services: drafted with its attachments, three review
    stages, published by its clerk — every step dated from the item's own publication date."""
    title, doc, formed, pub, topic, art20 = row
    lisi, wangwu, qianqi, sunba = (users[n] for n in ("lisi", "wangwu", "qianqi", "sunba"))
    when = _aware(pub)
    fields = {"title": title, "doc_number": doc, "formed_on": dt.date.fromisoformat(formed), "topic": topics[topic],
              "genre": "notice", "summary": _summary(title), "body": _body(title), "art20_item": art20,
              "content_class": "public_interest", "keywords": "民政"}  # fmt: skip
    rev = services.item_create(agency=mzj, by=lisi, fields=fields)
    for name, data in _attachment_files(title):  # uploaded while drafting, so reviewed
        services.attachment_add(
            item=rev.item, by=lisi, name=name, data=data, now=when - dt.timedelta(days=4)
        )
    services.revision_submit(revision=rev, by=lisi, now=when - dt.timedelta(days=3))
    for i, who in enumerate((wangwu, qianqi, sunba)):
        services.review_record(
            revision=rev,
            by=who,
            decision="approve",
            comment="同意",
            now=when - dt.timedelta(days=2 - i),
        )
    return services.item_publish(revision=rev, by=lisi, now=when)


def load(*, full: bool = False, out: Any = None) -> dict[str, int]:
    from gongkai.accounts.models import User
    from gongkai.publishing.models import ReviewStage

    topics_load(Topic, ReviewStage)
    topics = {t.code: t for t in Topic.objects.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    new_ids: list[int] = []
    # 1. guides for every city department (and the city and county governments)
    for agency in Agency.objects.filter(level__in=["city", "county"]).exclude(kind="branch"):
        if Guide.objects.filter(agency=agency).exists():
            continue
        Guide.objects.create(
            agency=agency, version=1, created_at=_aware("2012-03-01"),
            office_name=agency.office_name or f"{agency.name}办公室",
            office_address=agency.office_address or "吉林省通化市东昌区新华大街",
            office_hours=agency.office_hours or "工作日 上午8:30—11:30，下午13:30—16:30",
            office_phone=agency.office_phone or "0435-3200000",
            office_fax=agency.office_fax, office_postcode=agency.office_postcode or "134001",
            office_internet=agency.office_email or "通化市人民政府信息公开网“依申请公开”栏目", **GUIDE_TEXT,
        )  # fmt: skip
    # 2. published items, in order of publication so each agency's 索引号 serials follow the
    #    dates: legacy items of several agencies created published, withheld entries, and
    #    民政局 items through the real workflow (needs the demo users lisi/wangwu/qianqi/sunba)
    mzj = agencies.get("th-mzj")
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["lisi", "wangwu", "qianqi", "sunba"])
    }
    workflow = mzj is not None and len(users) == 4
    schedule: list[tuple[str, str, Any]] = []
    schedule += [(r[4], "direct", r) for r in [*ITEMS, *demo_content.EXTRA_ITEMS]]
    schedule += [(r[5], "withheld", r) for r in WITHHELD]
    if workflow:
        schedule += [(r[3], "workflow", r) for r in MZJ_PUBLISHED]
    for _pub, kind, row in sorted(schedule, key=lambda s: s[0]):
        if kind == "direct":
            code, title, doc, formed, pub, topic, genre, column, cclass, art20 = row
            agency = agencies.get(code)
            if agency is None or CatalogItem.objects.filter(agency=agency, title=title).exists():
                continue
            fields = {
                "title": title, "doc_number": doc, "formed_on": dt.date.fromisoformat(formed), "topic": topics.get(topic),
                "genre": genre, "column": column, "content_class": cclass, "art20_item": art20,
                "art20_amount": 12.5 if art20 == "fee" else None, "summary": _summary(title), "body": _body(title), "keywords": "",
            }  # fmt: skip
            new_ids.append(_publish_direct(agency, fields, _aware(pub)).pk)
        elif kind == "withheld":
            code, title, mode, reason, formed, pub = row
            agency = agencies.get(code)
            if agency is None or CatalogItem.objects.filter(agency=agency, title=title).exists():
                continue
            fields = {
                "title": title, "formed_on": dt.date.fromisoformat(formed), "topic": topics.get("1703"),
                "genre": "other", "disclosure_mode": mode, "disclosure_reason": reason, "summary": title,
            }  # fmt: skip
            _publish_direct(agency, fields, _aware(pub))
        elif mzj is not None:
            if CatalogItem.objects.filter(agency=mzj, title=row[0]).exists():
                continue
            new_ids.append(_publish_workflow(mzj, users, topics, row).pk)
    if workflow:
        lisi, wangwu, qianqi, sunba = (users[n] for n in ("lisi", "wangwu", "qianqi", "sunba"))
        for title, state in MZJ_WORK:
            if CatalogItem.objects.filter(agency=mzj, title=title).exists():
                continue
            fields = {"title": title, "formed_on": timezone.localdate() - dt.timedelta(days=3), "topic": topics["1703"],
                      "genre": "notice", "summary": title, "content_class": "public_interest"}  # fmt: skip
            rev = services.item_create(agency=mzj, by=lisi, fields=fields)
            if state == "draft":
                continue
            services.revision_submit(revision=rev, by=lisi)
            services.review_record(revision=rev, by=wangwu, decision="approve", comment="同意")
            if state == "returned":
                services.review_record(
                    revision=rev,
                    by=qianqi,
                    decision="return",
                    comment="名单含身份证号，请删除后重新提交",
                )
            elif state == "approved":
                services.review_record(revision=rev, by=qianqi, decision="approve", comment="同意")
                services.review_record(
                    revision=rev, by=sunba, decision="approve", comment="同意，录入正文后发布"
                )
    if new_ids:
        try:
            services._sync_search(new_ids)
        except Exception as exc:  # noqa: BLE001 - the demo stays usable without a search index
            if out is not None:
                out.write(f"公开目录：检索索引未更新（{exc}）\n")
    return {"catalog_items": CatalogItem.objects.count(), "guides": Guide.objects.count()}
