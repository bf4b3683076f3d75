from __future__ import annotations

import datetime as dt

from django.urls import reverse

from gongkai.reports.models import AnnualReport
from gongkai.reports.permissions import get_report_for_user
from gongkai.reports.services import report_create
from gongkai.reports.tests.helpers import make_application
from gongkai.test import BaseTestCase


class ReportViewsTest(BaseTestCase):
    report_a: AnnualReport
    report_b: AnnualReport
    report_city: AnnualReport

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report_a = report_create(by=cls.wushi, year=2025, agency=cls.agency_a)
        cls.report_b = report_create(by=None, year=2025, agency=cls.agency_b)
        cls.report_city = report_create(by=cls.chenzd, year=2025, region=cls.city_region)

    def test_it_lists_what_the_access_function_allows(self) -> None:
        from django.http import Http404

        for name, user in self.personas().items():
            self.login(user)
            resp = self.client.get(reverse("reports:list"))
            self.assertEqual(resp.status_code, 200, name)
            shown = {r.pk for r in resp.context["page"]}
            allowed = set()
            for r in AnnualReport.objects.all():
                try:
                    get_report_for_user(user, r.pk)
                    allowed.add(r.pk)
                except Http404:
                    pass
            self.assertEqual(shown, allowed, name)
        self.assertEqual(
            set(AnnualReport.objects.for_user(self.personas()["lisi"])), {self.report_a}
        )
        self.assertEqual(
            set(AnnualReport.objects.for_user(self.personas()["chenzd"])),
            {self.report_a, self.report_b, self.report_city},
        )

    def test_it_creates_a_draft_through_the_form(self) -> None:
        self.login(self.wushi)
        resp = self.client.post(
            reverse("reports:create"), {"year": 2024, "style": "2012", "agency": self.agency_a.pk}
        )
        self.assertEqual(resp.status_code, 302)
        self.assertTrue(
            AnnualReport.objects.filter(year=2024, style="2012", agency=self.agency_a).exists()
        )
        resp = self.client.post(reverse("reports:create"), {"year": 2024, "style": "2021"})
        self.assertEqual(resp.status_code, 400)
        self.login(self.lisi)  # a clerk does not compile the report
        resp = self.client.post(
            reverse("reports:create"), {"year": 2023, "style": "2021", "agency": self.agency_a.pk}
        )
        self.assertFalse(AnnualReport.objects.filter(year=2023).exists())

    def test_it_publishes_and_shows_the_report_on_the_portal(self) -> None:
        make_application(
            self.agency_a, dt.date(2025, 2, 1), outcome="disclose", closed_on=dt.date(2025, 2, 3)
        )
        self.login(self.wushi)
        detail = self.client.get(reverse("reports:detail", args=[self.report_a.pk]))
        self.assertContains(detail, "勾稽检查通过")
        self.assertContains(detail, 'rowspan="22"')
        self.assertEqual(
            self.client.get(reverse("reports:publish", args=[self.report_a.pk])).status_code, 405
        )
        resp = self.client.post(reverse("reports:publish", args=[self.report_a.pk]))
        self.assertEqual(resp.status_code, 302)
        self.report_a.refresh_from_db()
        self.assertEqual(self.report_a.status, "published")
        self.client.logout()
        index = self.client.get(reverse("reports_public:index"))
        self.assertContains(index, self.report_a.title)
        self.assertNotContains(index, self.report_b.title)
        page = self.client.get(reverse("reports_public:detail", args=[self.report_a.pk]))
        self.assertContains(page, "（一）予以公开")
        self.assertEqual(
            self.client.get(reverse("reports_public:detail", args=[self.report_b.pk])).status_code,
            404,
        )

    def test_it_refuses_edits_by_others(self) -> None:
        self.login(self.zhaoliu)
        self.assertEqual(
            self.client.post(reverse("reports:publish", args=[self.report_a.pk])).status_code, 404
        )
        self.login(self.fenger)
        self.assertEqual(
            self.client.post(reverse("reports:publish", args=[self.report_a.pk])).status_code, 403
        )
        self.login(self.lisi)
        self.assertEqual(
            self.client.post(reverse("reports:narrative", args=[self.report_a.pk]), {}).status_code,
            403,
        )

    def test_it_edits_the_narrative_with_placeholders(self) -> None:
        self.login(self.wushi)
        keys = list(self.report_a.narrative)
        data = {f"s{i}": self.report_a.narrative[k] for i, k in enumerate(keys)}
        data[f"s{keys.index('五、存在的主要问题及改进情况')}"] = (
            "全年受理申请{受理政府信息公开申请件次}件。"
        )
        self.client.post(reverse("reports:narrative", args=[self.report_a.pk]), data)
        resp = self.client.get(reverse("reports:detail", args=[self.report_a.pk]))
        self.assertContains(resp, "全年受理申请0件。")
        # unknown placeholders are refused (gongkai/reports/tests/test_placeholders.py)

    def test_it_downloads_every_format(self) -> None:
        self.login(self.wushi)
        for fmt, ctype in [
            ("json", "application/json"),
            ("csv", "text/csv"),
            ("html", "text/html"),
            ("xlsx", "application/vnd.openxmlformats"),
            ("docx", "application/vnd.openxmlformats"),
        ]:
            resp = self.client.get(reverse("reports:download", args=[self.report_a.pk, fmt]))
            self.assertEqual(resp.status_code, 200, fmt)
            self.assertTrue(resp["Content-Type"].startswith(ctype), fmt)
        self.assertEqual(
            self.client.get(
                reverse("reports:download", args=[self.report_a.pk, "exe"])
            ).status_code,
            404,
        )

    def test_it_renders_a_pdf_with_the_chart(self) -> None:
        from gongkai.lib.testing import require_system

        try:
            import weasyprint  # noqa: F401

            ok = True
        except (ImportError, OSError):
            ok = False
        require_system("weasyprint", ok, "apt-get install libpango-1.0-0 libpangoft2-1.0-0")
        from gongkai.lib.pdf import cjk_fonts_available

        require_system("Noto CJK fonts", cjk_fonts_available(), "apt-get install fonts-noto-cjk")
        self.login(self.wushi)
        resp = self.client.get(reverse("reports:download", args=[self.report_a.pk, "pdf"]))
        self.assertEqual(resp.status_code, 200)
        self.assertTrue(resp.content.startswith(b"%PDF"))
        import io

        from pypdf import PdfReader

        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.content)).pages)
        self.assertIn("收到和处理政府信息公开申请情况", text)
