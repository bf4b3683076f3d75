"""The legal-basis table: every outcome cell × decision era × kind of agency, rendered.

Checks citation, 行政复议机关 and periods of the notice an applicant would get
(``notice_preview``'s ``preview_notice``, the same rendering ``notice_issue`` uses), and
the services that feed it (partial ground, 非本机关 fields, consultation receipt, 一事一申请).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.core.management import call_command

from gongkai.agencies.models import Agency, Region
from gongkai.applications import legal, services
from gongkai.applications.management.commands.notice_preview import preview_notice
from gongkai.applications.notices import NoticeTemplateMissing
from gongkai.applications.services import ApplicationError
from gongkai.applications.tests.factories import AppTestCase, at, person
from gongkai.lib.taxonomy import OUTCOME_CELLS
from gongkai.test import make_agency

# (label, received, decided): the 条例 era follows receipt, the remedy rules the decision
WINDOWS = [
    ("2008", dt.date(2012, 3, 1), dt.date(2012, 3, 20)),
    ("2019-2023", dt.date(2021, 3, 1), dt.date(2021, 3, 22)),
    ("2024+", dt.date(2024, 3, 1), dt.date(2024, 3, 20)),
]
REFUSALS = {c for c in legal.PRE_REVIEW_KEYS}


def basis_and_remedy(notice) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    texts = [p["text"] for p in notice.paragraphs]
    basis = next(t for t in texts if t.startswith("依据"))
    remedy = next(t for t in texts if t.startswith("如对"))
    return basis, remedy


class LegalMatrixTests(AppTestCase):
    province_region: Region
    province: Agency
    county_dept: Agency

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.province_region = Region.objects.create(code="220000", name="吉林省", level="province")
        cls.province = make_agency(
            "jl-gov", "吉林省人民政府", cls.province_region, level="province", kind="government"
        )
        # 通化市 has no parent region here: the government one level up is configured
        Region.objects.filter(pk=cls.city_region.pk).update(superior_government="吉林省人民政府")
        cls.city_region.refresh_from_db()
        cls.county_dept = make_agency("dc-mzj", "东昌区民政局", cls.county_region, level="county")

    def agencies(self) -> list[tuple[str, Agency]]:
        return [
            ("city government", Agency.objects.get(code="th-gov")),
            ("county department", Agency.objects.get(code="dc-mzj")),
            ("provincial government", Agency.objects.get(code="jl-gov")),
        ]

    def render(self, cell: str, agency: Agency, received: dt.date, decided: dt.date, **kw):  # type: ignore[no-untyped-def]
        if cell == "partial":
            kw.setdefault("withheld_ground", "withhold_third_party")
        if cell == "other":
            kw.setdefault("legal_basis", "《中华人民共和国政府信息公开条例》第三十条")
        return preview_notice(cell=cell, agency=agency, received=received, decided=decided, **kw)

    def test_it_renders_every_cell_in_every_era_for_every_kind_of_agency(self) -> None:
        cells = [c.code for c in OUTCOME_CELLS] + ["not_this_agency", "disclose_published"]
        checked = 0
        for cell in cells:
            for window, received, decided in WINDOWS:
                era = "2008" if received < dt.date(2019, 5, 15) else "2019"
                for who, agency in self.agencies():
                    with self.subTest(cell=cell, window=window, agency=who):
                        notice = self.render(cell, agency, received, decided)
                        basis, remedy = basis_and_remedy(notice)
                        # citation: every source of the table row, and only of this era
                        for src in legal.citation_sources(
                            cell,
                            era,
                            withheld_ground="withhold_third_party" if cell == "partial" else "",
                        ):
                            self.assertIn(legal.SOURCES[src].article, basis)
                            self.assertIn(legal.SOURCES[src].law, basis)
                        if cell == "other":
                            self.assertIn("第三十条", basis)  # the handler's own basis
                        elif era == "2008":
                            self.assertRegex(basis, r"国务院令第492号|国办发")
                            self.assertNotIn("第三十六条", basis)
                        else:
                            self.assertNotIn("492号", basis)
                        # remedy body
                        self.assertNotIn("上一级人民政府", remedy)
                        if who == "city government":
                            self.assertIn("向吉林省人民政府申请行政复议", remedy)
                        elif who == "provincial government":
                            self.assertIn("向本机关（吉林省人民政府）申请行政复议", remedy)
                            self.assertIn("国务院申请裁决", remedy)
                        else:
                            if window == "2024+":
                                self.assertIn("向东昌区人民政府申请行政复议", remedy)
                                self.assertNotIn("上一级主管部门", remedy)
                            else:
                                self.assertIn(
                                    "向东昌区人民政府或者上一级主管部门申请行政复议", remedy
                                )
                        # periods
                        self.assertIn("60日内", remedy)
                        pre = window == "2024+" and cell in REFUSALS
                        if pre:
                            self.assertIn("应当先", remedy)
                            self.assertIn("第二十三条第一款第（四）项、第二款", remedy)
                            self.assertIn("15日内", remedy)
                            if cell != "partial":
                                self.assertNotIn("或者自收到本告知书之日起6个月内", remedy)
                        else:
                            self.assertNotIn("应当先", remedy)
                            period = "3个月" if window == "2008" else "6个月"
                            self.assertIn(f"{period}内向有管辖权的人民法院提起行政诉讼", remedy)
                        checked += 1
        self.assertEqual(checked, len(cells) * 3 * 3)

    def test_it_fixes_each_citation_named_in_the_issue(self) -> None:
        agency = Agency.objects.get(code="dc-mzj")
        r19, d19 = dt.date(2021, 3, 1), dt.date(2021, 3, 22)

        def basis(cell: str, received: dt.date = r19, **kw) -> str:  # type: ignore[no-untyped-def]
            return basis_and_remedy(self.render(cell, agency, received, d19, **kw))[0]

        self.assertIn("第三十六条第（四）项", basis("unable_not_held"))
        self.assertNotIn("第（五）项", basis("unable_not_held"))
        self.assertIn("第三十六条第（五）项", basis("not_this_agency"))
        self.assertNotRegex(basis("reject_confirm"), r"第三十六条[，。]")
        self.assertIn("第三十八条", basis("reject_confirm"))
        self.assertIn("《中华人民共和国政府信息公开条例》第四十二条", basis("other_unpaid"))
        self.assertIn("第三十条", basis("other"))
        self.assertIn("第三十六条第（二）项", basis("disclose"))
        self.assertNotIn("第（一）项", basis("disclose"))
        self.assertIn("第三十六条第（一）项", basis("disclose_published"))
        partial = basis("partial", withheld_ground="withhold_internal")
        self.assertIn("第三十七条", partial)
        self.assertIn("其中不予公开的部分属于人事管理", partial)
        self.assertIn("第十六条第一款", partial)
        r08 = dt.date(2012, 3, 1)
        for cell in ("withhold_internal", "withhold_process"):
            self.assertNotIn("第十四条", basis(cell, r08))
            self.assertIn("国办发〔2010〕5号", basis(cell, r08))

    def test_it_uses_the_decision_date_for_the_litigation_period(self) -> None:
        """Received 2019-05-14 (2008 条例), answered in June 2019: 6个月, not 3个月."""
        notice = self.render(
            "withhold_secret",
            Agency.objects.get(code="dc-mzj"),
            dt.date(2019, 5, 14),
            dt.date(2019, 6, 10),
        )
        basis, remedy = basis_and_remedy(notice)
        self.assertIn("国务院令第492号", basis)
        self.assertIn("6个月内", remedy)
        self.assertNotIn("3个月", remedy)
        before = self.render(
            "withhold_secret",
            Agency.objects.get(code="dc-mzj"),
            dt.date(2015, 4, 1),
            dt.date(2015, 4, 30),
        )
        self.assertIn("3个月内", basis_and_remedy(before)[1])

    def test_it_refuses_a_notice_whose_review_body_cannot_be_named(self) -> None:
        Region.objects.filter(pk=self.city_region.pk).update(superior_government="")
        with self.assertRaisesMessage(NoticeTemplateMissing, "上一级人民政府"):
            self.render("withhold_secret", Agency.objects.get(code="th-gov"), *WINDOWS[2][1:])
        # procedural notices (no remedy clause) are still issued
        self.render("correction", Agency.objects.get(code="th-gov"), *WINDOWS[2][1:])

    def test_it_names_vertical_and_justice_review_bodies(self) -> None:
        tax = make_agency(
            "dc-sw", "国家税务总局通化市东昌区税务局", self.county_region, level="county"
        )
        tax.review_kind = "vertical"
        tax.save()
        with self.assertRaisesMessage(NoticeTemplateMissing, "上一级主管部门"):
            self.render("withhold_law", tax, *WINDOWS[2][1:])
        tax.superior_department = "国家税务总局通化市税务局"
        tax.save()
        remedy = basis_and_remedy(self.render("withhold_law", tax, *WINDOWS[2][1:]))[1]
        self.assertIn("向国家税务总局通化市税务局申请行政复议", remedy)
        self.assertNotIn("东昌区人民政府", remedy)
        justice = make_agency("dc-sfj", "东昌区司法局", self.county_region, level="county")
        justice.review_kind = "justice"
        justice.superior_department = "通化市司法局"
        justice.save()
        remedy = basis_and_remedy(self.render("disclose", justice, *WINDOWS[2][1:]))[1]
        self.assertIn("向东昌区人民政府或者通化市司法局申请行政复议", remedy)
        override = make_agency("dc-x", "东昌区某局", self.county_region, level="county")
        override.review_body = "通化市东昌区人民政府行政复议办公室"
        override.save()
        remedy = basis_and_remedy(self.render("disclose", override, *WINDOWS[2][1:]))[1]
        self.assertIn("向通化市东昌区人民政府行政复议办公室申请行政复议", remedy)

    def test_it_sends_a_township_to_the_county_government(self) -> None:
        remedy = basis_and_remedy(self.render("disclose", self.town, *WINDOWS[1][1:]))[1]
        self.assertIn("向东昌区人民政府申请行政复议", remedy)

    def test_the_docs_match_the_table(self) -> None:
        from gongkai.applications.legal_doc import render_markdown

        path = Path(__file__).resolve().parents[3] / "docs" / "legal-basis.md"
        self.assertEqual(
            path.read_text(encoding="utf-8"),
            render_markdown(),
            "docs/legal-basis.md 与法律依据表不一致：请运行 manage.py legal_basis_doc",
        )

    def test_notice_preview_prints_text_and_fails_in_chinese(self) -> None:
        out = io.StringIO()
        call_command(
            "notice_preview",
            "--cell",
            "withhold_secret",
            "--agency",
            "dc-mzj",
            "--received",
            "2024-03-01",
            "--decided",
            "2024-03-20",
            stdout=out,
        )
        text = out.getvalue()
        self.assertIn("政府信息不予公开告知书", text)
        self.assertIn("应当先", text)
        with self.assertRaises(SystemExit) as ctx:
            call_command(
                "notice_preview",
                "--cell",
                "nonsense",
                "--agency",
                "dc-mzj",
                "--received",
                "2024-03-01",
                "--decided",
                "2024-03-20",
                stdout=io.StringIO(),
            )
        self.assertEqual(ctx.exception.code, 2)


class ProcessingCase(AppTestCase):
    MON = dt.date(2026, 3, 2)

    def processing(self):  # type: ignore[no-untyped-def]
        app, _ = services.application_register(
            agency=self.agency_a,
            by=self.lisi,
            channel="in_person",
            data=person(),
            received_on=self.MON,
            today=self.MON,
            now=at(self.MON),
        )
        return services.application_assign(
            application=app, by=self.lisi, handler=self.zhengyi, today=self.MON
        )


class LegalServiceTests(ProcessingCase):
    def test_it_requires_the_ground_of_the_withheld_part(self) -> None:
        app = self.processing()
        with self.assertRaisesMessage(ApplicationError, "不予公开部分的理由"):
            services.application_reply(
                application=app, by=self.zhengyi, outcome="partial", reply_text="x", today=self.MON
            )
        notice = services.application_reply(
            application=app,
            by=self.zhengyi,
            outcome="partial",
            reply_text="第三部分涉及个人隐私。",
            withheld_ground="withhold_third_party",
            today=self.MON,
        )
        text = " ".join(p["text"] for p in notice.paragraphs)
        self.assertIn("第十五条", text)
        self.assertIn("其中不予公开的部分", text)
        app.refresh_from_db()
        self.assertEqual(app.withheld_ground, "withhold_third_party")

    def test_it_prints_the_responsible_agency_on_a_not_this_agency_notice(self) -> None:
        app = self.processing()
        notice = services.application_reply(
            application=app,
            by=self.zhengyi,
            outcome="unable_not_held",
            notice_kind="not_this_agency",
            reply_text="经核实，该信息由通化市财政局制作。",
            responsible_agency_name="通化市财政局",
            responsible_agency_contact="0435-3000002",
            today=self.MON,
        )
        text = " ".join(p["text"] for p in notice.paragraphs)
        self.assertIn("负责公开该政府信息的行政机关：通化市财政局；联系方式：0435-3000002", text)

    def test_it_requires_a_legal_basis_for_other(self) -> None:
        app = self.processing()
        with self.assertRaisesMessage(ApplicationError, "法律依据"):
            services.application_reply(
                application=app, by=self.zhengyi, outcome="other", reply_text="x", today=self.MON
            )

    def test_it_counts_the_consultation_from_the_partys_receipt(self) -> None:
        from gongkai.workdays.calendar import add_workdays

        app = self.processing()
        c = services.consultation_start(
            application=app,
            by=self.zhengyi,
            kind="third_party",
            party="某公司",
            delivery="mail",
            today=self.MON,
        )
        self.assertIsNone(c.received_on)
        letter = app.notices.get(kind="third_party")
        self.assertNotIn("前）", " ".join(p["text"] for p in letter.paragraphs))
        later = dt.date(2026, 3, 10)
        with self.assertRaisesMessage(ApplicationError, "收到征求意见书之日"):
            services.consultation_record(
                consultation=c, by=self.zhengyi, result="no_reply", today=dt.date(2026, 4, 30)
            )
        c = services.consultation_record_receipt(
            consultation=c, by=self.zhengyi, received_on=dt.date(2026, 3, 5), today=later
        )
        self.assertEqual(c.due_on, add_workdays(dt.date(2026, 3, 5), 15))
        self.assertAudited("applications.application.consultation_receipt_recorded")
        direct = services.consultation_start(
            application=app, by=self.zhengyi, kind="agency", party="通化市财政局", today=later
        )
        self.assertEqual(direct.received_on, later)
        self.assertEqual(direct.due_on, add_workdays(later, 15))

    def test_it_splits_a_bundled_application_for_item_fees(self) -> None:
        from decimal import Decimal

        from gongkai.applications import fees

        comp = fees.compute("item", 9, items=4)  # items 9..12: two free, two at 100
        self.assertEqual(comp.amount, Decimal(200))
        self.assertIn("一事一申请", comp.explanation)
        app = self.processing()
        app = services.fee_notify(
            application=app, by=self.zhengyi, method="item", items=12, today=self.MON
        )
        self.assertEqual((app.fee_items, app.fee_amount), (12, Decimal(200)))


class LegalViewTests(ProcessingCase):
    def test_the_reply_form_takes_the_withheld_ground_and_the_responsible_agency(self) -> None:
        from django.urls import reverse

        app = self.processing()
        self.login(self.zhengyi)
        page = self.client.get(reverse("applications:detail", args=[app.pk]))
        self.assertContains(page, 'name="reply-withheld_ground"')
        self.assertContains(page, 'name="reply-responsible_agency_name"')
        response = self.client.post(
            reverse("applications:reply", args=[app.pk]),
            {
                "reply-outcome": "partial",
                "reply-reply_text": "汇总表予以公开；个人身份信息不予公开。",
                "reply-withheld_ground": "withhold_third_party",
            },
        )
        self.assertEqual(response.status_code, 302)
        notice = app.notices.get(kind="partial")
        self.assertIn("第十五条", " ".join(p["text"] for p in notice.paragraphs))

    def test_the_consultation_receipt_is_recorded_through_the_console(self) -> None:
        from django.urls import reverse

        app = self.processing()
        c = services.consultation_start(
            application=app,
            by=self.zhengyi,
            kind="third_party",
            party="某公司",
            delivery="mail",
            today=self.MON,
        )
        self.login(self.zhengyi)
        page = self.client.get(reverse("applications:detail", args=[app.pk]))
        self.assertContains(page, "待登记对方收到之日")
        url = reverse("applications:consultation_receipt", args=[app.pk, c.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        self.client.post(url, {"crcv-received_on": "2026-03-06"})
        c.refresh_from_db()
        self.assertEqual(c.received_on, dt.date(2026, 3, 6))
        self.login(self.zhaoliu)  # another agency's clerk
        self.assertEqual(self.client.post(url, {"crcv-received_on": "2026-03-07"}).status_code, 404)
