from __future__ import annotations

import datetime as dt
import json
from io import StringIO

from django.core.management import call_command

from gongkai.remedies.models import RemedyCase
from gongkai.reports import documents
from gongkai.reports.compute import Scope, compute_table2, compute_table3, compute_table4
from gongkai.reports.models import AnnualReport
from gongkai.reports.panels import alerts
from gongkai.reports.services import ReportError, report_create, report_new_version, report_publish
from gongkai.reports.tests.helpers import make_application, make_item
from gongkai.reports.validation import validate_report_data
from gongkai.test import BaseTestCase

D = dt.date


class ComputeTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        a = cls.agency_a
        # carried in from 2024, finished in 2025
        make_application(
            a,
            D(2024, 12, 20),
            outcome="disclose",
            replied_on=D(2025, 1, 10),
            closed_on=D(2025, 1, 10),
        )
        # carried in from 2024, still open at the end of 2025 (carried out too)
        make_application(a, D(2024, 12, 28), applicant_type="business")
        # finished in 2024: neither
        make_application(a, D(2024, 3, 1), outcome="partial", closed_on=D(2024, 3, 20))
        # new in 2025
        make_application(
            a, D(2025, 2, 1), outcome="withhold_secret", closed_on=D(2025, 2, 20), channel="letter"
        )
        make_application(
            a,
            D(2025, 3, 1),
            applicant_type="legal",
            outcome="other_unpaid",
            closed_on=D(2025, 4, 1),
        )
        make_application(
            a, D(2025, 12, 30), applicant_type="welfare", channel="in_person"
        )  # carried out
        make_application(
            a, D(2025, 12, 29), outcome="disclose", closed_on=D(2026, 1, 5)
        )  # carried out
        make_application(a, None)  # receipt not confirmed: not counted
        make_application(cls.agency_b, D(2025, 5, 5), outcome="disclose", closed_on=D(2025, 5, 6))
        make_application(
            cls.town, D(2025, 5, 5), outcome="unable_not_held", closed_on=D(2025, 5, 9)
        )
        # table 二
        make_item(a, D(2025, 3, 3), art20_item="normative")
        make_item(
            a, D(2020, 3, 3), art20_item="normative", validity="repealed", invalid_on=D(2025, 6, 1)
        )
        make_item(a, D(2019, 3, 3), art20_item="normative")
        make_item(a, D(2025, 4, 4), art20_item="license")
        make_item(a, D(2025, 4, 4), art20_item="fee", art20_amount="12.5")
        make_item(a, D(2025, 4, 4), art20_item="license", status="withdrawn", withdrawn_at=None)
        # table 四
        RemedyCase.objects.create(
            agency=a,
            kind="review",
            filed_on=D(2025, 3, 1),
            outcome="upheld",
            concluded_on=D(2025, 5, 1),
        )
        RemedyCase.objects.create(
            agency=a,
            kind="review",
            filed_on=D(2025, 11, 1),
            outcome="corrected",
            concluded_on=D(2026, 2, 1),
        )
        RemedyCase.objects.create(agency=a, kind="direct", filed_on=D(2025, 6, 1))
        RemedyCase.objects.create(agency=a, kind="after_review", filed_on=D(2024, 6, 1))

    def test_it_counts_table3_with_carry_over(self) -> None:
        t3 = compute_table3(Scope(agency=self.agency_a), 2025)
        self.assertEqual(t3.row("new"), [2, 0, 0, 1, 1, 0, 4])
        self.assertEqual(t3.row("carried_in"), [1, 1, 0, 0, 0, 0, 2])
        self.assertEqual(t3.row("disclose")[-1], 1)
        self.assertEqual(t3.row("withhold_secret")[-1], 1)
        self.assertEqual(t3.row("other_unpaid"), [0, 0, 0, 0, 1, 0, 1])
        self.assertEqual(t3.row("total")[-1], 3)
        self.assertEqual(t3.row("carried_out"), [1, 1, 0, 1, 0, 0, 3])
        self.assertEqual(validate_report_data({"table3": t3.to_json()}), [])

    def test_it_rolls_up_a_region_with_lower_levels(self) -> None:
        city = compute_table3(Scope(region=self.city_region), 2025)
        county = compute_table3(Scope(region=self.county_region), 2025)
        self.assertEqual(city.row("new")[-1], 6)
        self.assertEqual(county.row("new")[-1], 1)
        self.assertEqual(county.row("unable_not_held")[-1], 1)

    def test_it_counts_table2_from_art20_items(self) -> None:
        t2 = compute_table2(Scope(agency=self.agency_a), 2025)
        self.assertEqual(t2.get("行政规范性文件", "本年制发件数"), 1)
        self.assertEqual(t2.get("行政规范性文件", "本年废止件数"), 1)
        self.assertEqual(t2.get("行政规范性文件", "现行有效件数"), 2)
        self.assertEqual(t2.get("行政许可", "本年处理决定数量"), 1)
        self.assertEqual(str(t2.get("行政事业性收费", "本年收费金额（单位：万元）")), "12.5000")

    def test_it_counts_table4_as_at_year_end(self) -> None:
        t4 = compute_table4(Scope(agency=self.agency_a), 2025)
        self.assertEqual(t4.group("review"), [1, 0, 0, 1, 2])
        self.assertEqual(t4.group("direct"), [0, 0, 0, 1, 1])
        self.assertEqual(t4.group("after_review"), [0, 0, 0, 0, 0])

    def test_it_exports_every_format(self) -> None:
        for fmt in ("json", "csv", "html"):
            out = StringIO()
            call_command("annual_report", agency="th-mzj", year=2025, format=fmt, stdout=out)
        data = json.loads(StringIO(self._json()).read())
        self.assertEqual(
            data["table3"]["三、本年度办理结果"]["（三）不予公开"]["1.属于国家秘密"]["总计"], 1
        )
        self.assertEqual(data["table3"]["一、本年新收政府信息公开申请数量"]["总计"], 4)

    def _json(self) -> str:
        import contextlib
        import io

        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            call_command("annual_report", agency="th-mzj", year=2025, format="json")
        return buf.getvalue()

    def test_it_builds_the_2012_narrative_with_shares(self) -> None:
        data = documents.build_report_data(Scope(region=self.city_region), 2025, "2012")
        html = documents.render_html_fragment(data)
        self.assertIn("三、依申请公开政府信息情况", html)
        self.assertIn("<svg", html)
        channels = data["breakdowns"][2]
        self.assertEqual(channels["total"], 6)
        self.assertEqual(validate_report_data(documents.export_data(data)), [])


class PublishTest(BaseTestCase):
    def test_it_freezes_the_published_report(self) -> None:
        report = report_create(by=self.wushi, year=2025, agency=self.agency_a)
        make_application(self.agency_a, D(2025, 2, 1), outcome="disclose", closed_on=D(2025, 2, 3))
        report = report_publish(report=report, by=self.wushi)
        assert report.data is not None
        self.assertEqual(report.data["table3"]["一、本年新收政府信息公开申请数量"]["总计"], 1)
        make_application(self.agency_a, D(2025, 3, 1))
        report.refresh_from_db()
        self.assertEqual(report.data["table3"]["一、本年新收政府信息公开申请数量"]["总计"], 1)
        self.assertAudited("reports.report.published")
        with self.assertRaises(ReportError):
            report_publish(report=report, by=self.wushi)
        with self.assertRaisesMessage(ReportError, "原因"):
            report_new_version(report=report, by=self.wushi, reason=" ")
        v2 = report_new_version(report=report, by=self.wushi, reason="补录申请")
        v2 = report_publish(report=v2, by=self.wushi)
        report.refresh_from_db()
        self.assertEqual(report.status, AnnualReport.Status.SUPERSEDED)
        self.assertEqual(v2.version, 2)
        assert v2.data is not None
        self.assertEqual(v2.data["table3"]["一、本年新收政府信息公开申请数量"]["总计"], 2)

    def test_it_reminds_of_the_deadlines(self) -> None:
        texts = [a.text for a in alerts(self.personas()["wushi"], today=D(2026, 1, 20))]
        self.assertEqual(texts, ["通化市民政局2025年度报告应于1月31日前发布，还剩11天。"])
        late = alerts(self.personas()["wushi"], today=D(2026, 2, 2))
        self.assertEqual(late[0].level, "error")
        gov = [a.text for a in alerts(self.personas()["chenzd"], today=D(2026, 3, 1))]
        self.assertEqual(gov, ["通化市人民政府2025年度报告应于3月31日前发布，还剩30天。"])
        self.assertEqual(alerts(self.personas()["lisi"], today=D(2026, 1, 20)), [])


class PdfAfterCommitTest(BaseTestCase):
    def test_it_stores_the_pdf_after_the_commit(self) -> None:
        from gongkai.lib.testing import require_system

        try:
            import weasyprint  # noqa: F401

            ok = True
        except (ImportError, OSError):
            ok = False
        require_system("weasyprint", ok, "apt-get install libpango-1.0-0 libpangoft2-1.0-0")
        report = report_create(by=self.wushi, year=2025, agency=self.agency_a)
        with self.captureOnCommitCallbacks(execute=True):
            report_publish(report=report, by=self.wushi)
        report.refresh_from_db()
        assert report.pdf is not None
        self.assertTrue(bytes(report.pdf).startswith(b"%PDF"))
