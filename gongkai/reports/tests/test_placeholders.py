"""Narrative placeholders are a closed set: refused on save, harmless when already stored."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse

from gongkai.reports import placeholders
from gongkai.reports.compute import Scope, compute_figures
from gongkai.reports.models import AnnualReport
from gongkai.reports.services import ReportError, report_create, report_update_narrative
from gongkai.test import BaseTestCase

HOSTILE = ["{x.y}", "{a[b]}", "{名称:>2000000}", "{年度!r}", "{0}", "{}"]


class NarrativePlaceholderTest(BaseTestCase):
    report: AnnualReport

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.report = report_create(by=cls.wushi, year=2025, agency=cls.agency_a)

    def _post(self, text: str) -> list[str]:
        keys = list(self.report.narrative)
        data = {f"s{i}": self.report.narrative[k] for i, k in enumerate(keys)}
        data["s1"] = text
        response = self.client.post(reverse("reports:narrative", args=[self.report.pk]), data)
        self.assertEqual(response.status_code, 302)
        return [str(m) for m in get_messages(response.wsgi_request)]

    def test_it_refuses_every_unknown_placeholder_on_save_listing_the_allowed_names(self) -> None:
        self.login(self.wushi)
        before = AnnualReport.objects.get(pk=self.report.pk).narrative
        for bad in HOSTILE:
            with self.subTest(bad):
                shown = self._post(f"全年{bad}件。")
                self.assertTrue(any("无法识别的占位符" in m and bad in m for m in shown), shown)
                self.assertTrue(any("{本年主动公开政府信息条数}" in m for m in shown), shown)
        self.assertEqual(AnnualReport.objects.get(pk=self.report.pk).narrative, before)
        with self.assertRaisesMessage(ReportError, "无法识别的占位符"):
            report_update_narrative(report=self.report, by=self.wushi, narrative={"前言": "{x.y}"})
        self.assertEqual(self._post("全年{受理政府信息公开申请件次}件。")[-1], "已保存叙述文字。")

    def test_it_renders_already_stored_bad_narratives_as_typed(self) -> None:
        stored = {k: v + "".join(HOSTILE) for k, v in self.report.narrative.items()}
        AnnualReport.objects.filter(pk=self.report.pk).update(narrative=stored)
        self.login(self.wushi)
        page = self.client.get(reverse("reports:detail", args=[self.report.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "{x.y}{a[b]}{名称:&gt;2000000}")
        self.assertLess(len(page.content), 1_000_000)
        for fmt in ("json", "csv", "html", "xlsx", "docx"):
            resp = self.client.get(reverse("reports:download", args=[self.report.pk, fmt]))
            self.assertEqual(resp.status_code, 200, fmt)
            self.assertLess(len(resp.content), 1_000_000, fmt)
        self.assertEqual(
            self.client.post(reverse("reports:publish", args=[self.report.pk])).status_code, 302
        )
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, "published")
        self.client.logout()
        public = self.client.get(reverse("reports_public:detail", args=[self.report.pk]))
        self.assertContains(public, "{x.y}")

    def test_it_fills_only_allowed_names(self) -> None:
        values = {"年度": 2025, "培训次数": 3, "x": 1}
        self.assertEqual(
            placeholders.fill("{年度}年{培训次数}次{x}{年度:>9}", values), "2025年3次{x}{年度:>9}"
        )

    def test_it_keeps_the_allowed_names_in_step_with_the_figures(self) -> None:
        figures = compute_figures(Scope(agency=self.agency_a), 2025)
        self.assertEqual(set(placeholders.PLACEHOLDERS), set(figures.values) | {"年度", "机关"})
