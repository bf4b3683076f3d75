"""Shared test data for the API tests: public items, a guide, a published report, a token, and
personal data elsewhere in the system that no API response may ever contain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gongkai.api.services import token_create
from gongkai.lib import codes
from gongkai.publishing import services as publishing
from gongkai.publishing.models import CatalogItem
from gongkai.publishing.tests.factories import fields, published
from gongkai.test import BaseTestCase

ID_BODY = "22050219800101123"
ID_NUMBER = ID_BODY + codes.id_check_char(ID_BODY)
PHONE = "13812345678"
APPLICANT = "欧阳明华"
PERSONAL = [ID_NUMBER, PHONE, APPLICANT, ID_NUMBER.lower()]

GUIDE = {
    "classification": "本机关主动公开的政府信息分为机构职能、政策法规、规划计划等类。",
    "arrangement": "按主题分类与体裁分类编排。",
    "access_methods": "通过本网站、公共查阅点获取。",
    "office_name": "通化市民政局办公室",
    "office_address": "通化市东昌区新华大街1号",
    "office_hours": "工作日 8:30-16:30",
    "office_phone": "0435-3201234",
}


class ApiDataCase(BaseTestCase):
    token_secret: str
    item1: Any
    item2: Any
    legacy: Any
    report: Any
    question: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.item1 = published(cls)
        rev = publishing.item_create(
            agency=cls.agency_a, by=cls.lisi,
            fields=fields(title="通化市民政局2026年社会救助工作要点", doc_number="通民发〔2026〕13号",
                          genre="plan", validity="valid"),
        )  # fmt: skip
        publishing.attachment_add(
            item=rev.item, by=cls.lisi, name="要点.txt", data="社会救助工作要点全文。".encode()
        )
        publishing.revision_submit(revision=rev, by=cls.lisi)
        for who in (cls.wangwu, cls.qianqi, cls.sunba):
            publishing.review_record(revision=rev, by=who, decision="approve", comment="同意")
        rev.refresh_from_db()
        cls.item2 = publishing.item_publish(revision=rev, by=cls.lisi)
        # a legacy item whose body carries personal data (as an old import could): the API masks it
        now = timezone.now()
        cls.legacy = CatalogItem.objects.create(
            agency=cls.agency_b, title=f"低保对象公示（联系电话{PHONE}）", formed_on=dt.date(2025, 3, 1),
            body=f"<p>申请人身份证号{ID_NUMBER}，手机{PHONE}。</p>", status="published",
            published_at=now - dt.timedelta(days=3), updated_at=now - dt.timedelta(days=3),
            index_number="", imported=True,
        )  # fmt: skip
        publishing.guide_save(agency=cls.agency_a, by=cls.wushi, fields=GUIDE)
        from gongkai.reports.services import report_create, report_publish

        report = report_create(by=cls.chenzd, year=2025, agency=cls.agency_a)
        cls.report = report_publish(report=report, by=cls.chenzd)
        # personal data elsewhere: an application and a remedy case
        from gongkai.applications.services import application_register

        application_register(
            agency=cls.agency_a, by=cls.zhengyi, channel="in_person",
            data={
                "applicant_type": "natural", "applicant_name": APPLICANT, "id_type": "resident_id",
                "id_number": ID_NUMBER, "phone": PHONE, "email": "oymh@example.com",
                "address": "通化市东昌区新华大街2号", "postcode": "134001",
                "description": "2025年度城乡低保资金发放明细", "doc_number": "", "purpose": "",
                "carrier": "electronic", "delivery": "email",
            },
        )  # fmt: skip
        from gongkai.remedies.models import RemedyCase

        RemedyCase.objects.create(
            agency=cls.agency_a, kind="review", applicant_name=APPLICANT,
            filed_on=dt.date(2025, 6, 1), summary=f"申请人{APPLICANT}不服答复",
        )  # fmt: skip
        from gongkai.interaction.models import Question

        cls.question = Question.objects.create(
            year=2026, serial=1, number="ZX2026000001", query_code_hash="0" * 64, kind="consult",
            agency=cls.agency_a, name=APPLICANT, contact=PHONE, title="低保申请条件咨询",
            body=f"我是{APPLICANT}，电话{PHONE}，想咨询低保申请条件。", status="published",
            received_on=dt.date(2026, 11, 2), answered_on=dt.date(2026, 11, 5),
            answer_text="您好，低保申请条件详见本局公开目录。", published_at=now - dt.timedelta(days=1),
        )  # fmt: skip
        cls.token_secret = token_create(
            agency=cls.agency_a, name="民政业务系统", acting_user=cls.lisi, by=cls.secadmin,
            scopes=["catalog:submit", "catalog:read-status"],
        ).secret  # fmt: skip

    def auth(self) -> dict[str, Any]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token_secret}"}
